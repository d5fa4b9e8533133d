package tiers_test

import (
	"testing"
	"time"

	"skillgate/tiers"
)

func TestEvaluate(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	cert := func(slug string, score float64, age time.Duration, status string) tiers.Fact {
		return tiers.Fact{CertificateID: slug + "-c", CourseSlug: slug, Counts: slug, Status: status, ScorePercent: score,
			IssuedAt: now.Add(-age), ExpiresAt: now.Add(-age).Add(730 * day)}
	}
	dlf := cert("digital-literacy-foundations", 90, 10*day, "active")
	dce := cert("data-confidentiality-essentials", 85, 10*day, "active")
	aqp := cert("annotation-quality-practices", 90, 10*day, "active")
	hindi := tiers.Fact{CertificateID: "hi", CourseSlug: "digital-literacy-foundations-hi", Counts: "digital-literacy-foundations",
		Status: "active", ScorePercent: 75, IssuedAt: now.Add(-day), ExpiresAt: now.Add(700 * day)}
	soon := dlf
	soon.ExpiresAt = now.Add(20 * day)

	for _, tc := range []struct {
		name  string
		facts []tiers.Fact
		tier  string
		t2dce tiers.Reason // why tier-2 misses data-confidentiality ("" when met)
		t1    tiers.Reason // why tier-1 misses digital literacy ("" when met)
	}{
		{"nothing", nil, "", tiers.ReasonNotTaken, tiers.ReasonNotTaken},
		{"tier 1", []tiers.Fact{dlf}, "tier-1", tiers.ReasonNotTaken, ""},
		{"Hindi certificate counts", []tiers.Fact{hindi}, "tier-1", tiers.ReasonNotTaken, ""},
		{"tier 2", []tiers.Fact{dlf, dce}, "tier-2", "", ""},
		{"tier 3", []tiers.Fact{dlf, dce, aqp}, "tier-3", "", ""},
		{"score too low", []tiers.Fact{dlf, cert("data-confidentiality-essentials", 79.5, 10*day, "active")}, "tier-1", tiers.ReasonScoreTooLow, ""},
		{"too old for tier 2", []tiers.Fact{dlf, cert("data-confidentiality-essentials", 95, 366*day, "active")}, "tier-1", tiers.ReasonTooOld, ""},
		{"exactly 365 days still counts", []tiers.Fact{dlf, cert("data-confidentiality-essentials", 95, 365*day, "active")}, "tier-2", "", ""},
		{"expired", []tiers.Fact{dlf, cert("data-confidentiality-essentials", 95, 800*day, "expired")}, "tier-1", tiers.ReasonExpired, ""},
		{"revoked", []tiers.Fact{dlf, cert("data-confidentiality-essentials", 95, day, "revoked")}, "tier-1", tiers.ReasonRevoked, ""},
		{"revoked tier-1 drops everything", []tiers.Fact{cert("digital-literacy-foundations", 90, day, "revoked"), dce, aqp}, "", "", tiers.ReasonRevoked},
		{"expired by date though marked active", []tiers.Fact{cert("digital-literacy-foundations", 90, 731*day, "active")}, "", tiers.ReasonNotTaken, tiers.ReasonExpired},
		{"best reason wins", []tiers.Fact{dlf, cert("data-confidentiality-essentials", 95, day, "revoked"), cert("data-confidentiality-essentials", 50, day, "active")}, "tier-1", tiers.ReasonScoreTooLow, ""},
		{"a second good certificate outweighs a revoked one", []tiers.Fact{dlf, cert("data-confidentiality-essentials", 95, day, "revoked"), dce}, "tier-2", "", ""},
		{"tier 3 needs tier 2's certificates too", []tiers.Fact{dlf, aqp}, "tier-1", tiers.ReasonNotTaken, ""},
		{"annotation score 84.9 is too low", []tiers.Fact{dlf, dce, cert("annotation-quality-practices", 84.9, day, "active")}, "tier-2", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := tiers.Evaluate(tiers.BuiltIn(), tc.facts, now)
			got := ""
			if res.Tier != nil {
				got = res.Tier.Slug
			}
			if got != tc.tier {
				t.Fatalf("tier %q, want %q (%+v)", got, tc.tier, res.Tiers)
			}
			if len(res.Tiers) != 3 || res.Tiers[0].Slug != "tier-1" || res.Tiers[2].Slug != "tier-3" {
				t.Fatalf("tiers not by rank: %+v", res.Tiers)
			}
			reasonFor := func(st tiers.Standing, slug string) tiers.Reason {
				for _, m := range st.Missing {
					if m.CourseSlug == slug {
						return m.Reason
					}
				}
				return ""
			}
			if r := reasonFor(res.Tiers[1], "data-confidentiality-essentials"); r != tc.t2dce {
				t.Errorf("tier-2 data-confidentiality: %q, want %q", r, tc.t2dce)
			}
			if r := reasonFor(res.Tiers[0], "digital-literacy-foundations"); r != tc.t1 {
				t.Errorf("tier-1 digital literacy: %q, want %q", r, tc.t1)
			}
			for _, st := range res.Tiers {
				if st.Eligible != (len(st.Missing) == 0) {
					t.Errorf("%s eligible %v with missing %v", st.Slug, st.Eligible, st.Missing)
				}
			}
		})
	}
	t.Run("expiring within 30 days", func(t *testing.T) {
		res := tiers.Evaluate(tiers.BuiltIn(), []tiers.Fact{soon, dce}, now)
		if len(res.Expiring) != 1 || res.Expiring[0].CertificateID != soon.CertificateID {
			t.Fatalf("expiring: %+v", res.Expiring)
		}
	})
}
