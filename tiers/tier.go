// Package tiers owns task tiers (the certificates that gate better-paid
// work), eligibility checks, the verification trail a worker can see, and
// the webhooks that tell employers when a certificate they checked is
// revoked or expires. It imports app/web, app/dbx and app/secrets only;
// certificates, courses and organizations come through interfaces.
package tiers

import (
	"slices"
	"time"
)

// Requirement is one certificate a tier asks for.
type Requirement struct {
	CourseSlug string  `json:"course_slug"`
	MinPercent float64 `json:"min_percent"`
	MaxAgeDays int     `json:"max_age_days,omitempty"` // 0: any age
}

// Tier is a level of work with its pay and requirements.
type Tier struct {
	ID            string
	Slug          string
	Name          string
	Rank          int
	Description   string
	HourlyRateUSD float64
	Requirements  []Requirement
}

// Reason says why a requirement is not met.
type Reason string

// The reasons, from the most to the least hopeful.
const (
	ReasonScoreTooLow Reason = "score_too_low"
	ReasonTooOld      Reason = "too_old"
	ReasonExpired     Reason = "expired"
	ReasonRevoked     Reason = "revoked"
	ReasonNotTaken    Reason = "not_taken"
)

// Fact is what tier evaluation knows of one certificate.
type Fact struct {
	CertificateID string
	CourseSlug    string
	// Counts names the course the certificate counts for: the course a
	// translation translates, else the course itself.
	Counts       string
	Status       string // active, revoked, expired
	ScorePercent float64
	IssuedAt     time.Time
	ExpiresAt    time.Time
}

// Missing is a requirement not met, and why.
type Missing struct {
	CourseSlug string `json:"course_slug"`
	Reason     Reason `json:"reason"`
}

// Standing is a worker's position against one tier.
type Standing struct {
	Slug     string
	Eligible bool
	Missing  []Missing
}

// Expiring is a certificate that stops counting soon.
type Expiring struct {
	CertificateID string
	CourseSlug    string
	ExpiresAt     time.Time
}

// Result is a worker's tier and what is missing for every tier.
type Result struct {
	Tier     *Tier
	Tiers    []Standing
	Expiring []Expiring
}

// ExpiryWarning is how far ahead expiring certificates are listed.
const ExpiryWarning = 30 * 24 * time.Hour

// meets reports whether a certificate satisfies a requirement at now.
func meets(f Fact, r Requirement, now time.Time) bool {
	return f.Counts == r.CourseSlug && f.Status == "active" && now.Before(f.ExpiresAt) && f.ScorePercent >= r.MinPercent &&
		(r.MaxAgeDays == 0 || !now.After(f.IssuedAt.Add(time.Duration(r.MaxAgeDays)*24*time.Hour)))
}

// why names the most hopeful reason a requirement is not met: a score too
// low on a current certificate before a certificate grown too old, before
// an expired one, before a revoked one, before none at all.
func why(facts []Fact, r Requirement, now time.Time) Reason {
	best := ReasonNotTaken
	rank := map[Reason]int{ReasonScoreTooLow: 0, ReasonTooOld: 1, ReasonExpired: 2, ReasonRevoked: 3, ReasonNotTaken: 4}
	for _, f := range facts {
		if f.Counts != r.CourseSlug {
			continue
		}
		var reason Reason
		switch {
		case f.Status == "revoked":
			reason = ReasonRevoked
		case f.Status == "expired" || !now.Before(f.ExpiresAt):
			reason = ReasonExpired
		case f.ScorePercent < r.MinPercent:
			reason = ReasonScoreTooLow
		default:
			reason = ReasonTooOld
		}
		if rank[reason] < rank[best] {
			best = reason
		}
	}
	return best
}

// Evaluate places a worker: the highest-ranked tier whose every
// requirement an active certificate meets, what is missing for each tier
// and why, and the certificates that expire within 30 days. It is a pure
// function of the tiers, the certificates and the clock.
func Evaluate(tiers []Tier, facts []Fact, now time.Time) Result {
	sorted := slices.Clone(tiers)
	slices.SortFunc(sorted, func(a, b Tier) int { return a.Rank - b.Rank })
	res := Result{Tiers: make([]Standing, 0, len(sorted)), Expiring: []Expiring{}}
	for i, t := range sorted {
		st := Standing{Slug: t.Slug, Eligible: true, Missing: []Missing{}}
		for _, r := range t.Requirements {
			if slices.ContainsFunc(facts, func(f Fact) bool { return meets(f, r, now) }) {
				continue
			}
			st.Eligible = false
			st.Missing = append(st.Missing, Missing{CourseSlug: r.CourseSlug, Reason: why(facts, r, now)})
		}
		if st.Eligible {
			res.Tier = &sorted[i]
		}
		res.Tiers = append(res.Tiers, st)
	}
	for _, f := range facts {
		if f.Status == "active" && now.Before(f.ExpiresAt) && f.ExpiresAt.Sub(now) <= ExpiryWarning {
			res.Expiring = append(res.Expiring, Expiring{CertificateID: f.CertificateID, CourseSlug: f.CourseSlug, ExpiresAt: f.ExpiresAt})
		}
	}
	slices.SortFunc(res.Expiring, func(a, b Expiring) int { return a.ExpiresAt.Compare(b.ExpiresAt) })
	return res
}

// BuiltIn are the tiers loaded with the catalogue.
func BuiltIn() []Tier {
	return []Tier{
		{Slug: "tier-1", Name: "General data tasks", Rank: 1, HourlyRateUSD: 3.0,
			Description:  "Image and text labelling, transcription of non-sensitive audio, simple content tagging.",
			Requirements: []Requirement{{CourseSlug: "digital-literacy-foundations", MinPercent: 70}}},
		{Slug: "tier-2", Name: "Sensitive data tasks", Rank: 2, HourlyRateUSD: 4.5,
			Description: "Work on personal, health or payment data under a confidentiality agreement.",
			Requirements: []Requirement{{CourseSlug: "digital-literacy-foundations", MinPercent: 70},
				{CourseSlug: "data-confidentiality-essentials", MinPercent: 80, MaxAgeDays: 365}}},
		{Slug: "tier-3", Name: "Quality reviewer", Rank: 3, HourlyRateUSD: 6.0,
			Description: "Review others' work on sensitive data, score quality and handle escalations.",
			Requirements: []Requirement{{CourseSlug: "digital-literacy-foundations", MinPercent: 70},
				{CourseSlug: "data-confidentiality-essentials", MinPercent: 80, MaxAgeDays: 365},
				{CourseSlug: "annotation-quality-practices", MinPercent: 85}}},
	}
}
