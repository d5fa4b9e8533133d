package wire

import (
	"context"
	"time"

	"skillgate/accounts"
	"skillgate/app/exam"
	"skillgate/app/web"
	"skillgate/assessments"
	"skillgate/certs"
	"skillgate/classes"
	"skillgate/courses"
	"skillgate/tiers"
)

// courseSeam lets assessments ask the courses domain what they need.
type courseSeam struct{ c *courses.Service }

func (s courseSeam) Authorize(ctx context.Context, p web.Principal, courseID string) (string, error) {
	c, err := s.c.Authorize(ctx, p, courseID)
	return c.ID, err
}

// MarkChanged marks the course's working copy changed when its bank or
// assessments are edited.
func (s courseSeam) MarkChanged(ctx context.Context, courseID string) error {
	return s.c.MarkChanged(ctx, courseID)
}

func (s courseSeam) Published(ctx context.Context, courseID string) (string, []assessments.Settings, error) {
	v, err := s.c.CurrentVersion(ctx, courseID)
	if err != nil {
		return "", nil, err
	}
	return v.CourseID, ofCourse(v.CourseID, v.Snapshot.Assessments), nil
}

func (s courseSeam) Learner(ctx context.Context, userID, courseID string) (assessments.LearnerInfo, error) {
	st, err := s.c.Learner(ctx, userID, courseID)
	if err != nil {
		return assessments.LearnerInfo{}, err
	}
	lessons := st.Version.Snapshot.Lessons()
	refs := make([]assessments.LessonRef, len(lessons))
	for i, l := range lessons {
		refs[i] = assessments.LessonRef{ID: l.ID, Title: l.Title}
	}
	return assessments.LearnerInfo{Enrolled: st.Enrolled, CompletedLessons: st.CompletedLessons, CourseVersion: st.Version.Number,
		Assessments: ofCourse(st.Version.CourseID, st.Version.Snapshot.Assessments), Lessons: refs}, nil
}

// ofCourse names the course in settings frozen by a version (versions
// published before both domains shared exam.Settings did not store it).
func ofCourse(courseID string, in []exam.Settings) []exam.Settings {
	out := make([]exam.Settings, len(in))
	for i, a := range in {
		a.CourseID = courseID
		out[i] = a
	}
	return out
}

// assessmentSeam lets courses freeze assessment settings at publish and
// hand a pack's bank to assessments at import.
type assessmentSeam struct{ a *assessments.Service }

func (s assessmentSeam) AssessmentSettings(ctx context.Context, courseID string) ([]exam.Settings, error) {
	return s.a.PublishableSettings(ctx, courseID)
}

func (s assessmentSeam) ImportPackAssessments(ctx context.Context, courseID, gift string, specs []exam.Settings) (bool, error) {
	return s.a.ImportBank(ctx, courseID, gift, specs)
}

// certSeam gives certificates what they need of courses and accounts, and
// turns a pass into a certificate.
type certSeam struct {
	courses  *courses.Service
	accounts *accounts.Service
	certs    *certs.Service
}

func (s certSeam) CourseVersion(ctx context.Context, courseID string, version int) (certs.CourseInfo, error) {
	v, err := s.courses.PublishedVersion(ctx, courseID, version)
	if err != nil {
		return certs.CourseInfo{}, err
	}
	return certs.CourseInfo{ID: v.CourseID, Slug: v.Slug, Title: v.Title, Summary: v.Summary, Language: v.Language,
		Version: v.Number, ValidityDays: v.CertificateValidityDays}, nil
}

func (s certSeam) Authorize(ctx context.Context, p web.Principal, courseID string) error {
	_, err := s.courses.Authorize(ctx, p, courseID)
	return err
}

func (s certSeam) HolderName(ctx context.Context, userID string) (string, error) {
	u, err := s.accounts.User(ctx, userID)
	return u.Name, err
}

// OnPass is the PassHook: the certificate commits with the grade.
func (s certSeam) OnPass(ctx context.Context, ev assessments.Passed) (string, error) {
	c, err := s.certs.Issue(ctx, ev)
	return c.ID, err
}

// tierSeam gives tiers the certificates (counted for the course they
// translate, where they translate one) and the organizations' names.
type tierSeam struct {
	certs    *certs.Service
	courses  *courses.Service
	accounts *accounts.Service
}

func (s tierSeam) fact(ctx context.Context, c certs.Certificate, counts map[string]string) (tiers.Fact, error) {
	target, ok := counts[c.CourseSlug]
	if !ok {
		head, err := s.courses.CourseHead(ctx, c.CourseSlug)
		switch {
		case err == nil && head.Translates != "":
			target = head.Translates
		case err == nil || web.IsKind(err, web.KindNotFound):
			target = c.CourseSlug
		default:
			return tiers.Fact{}, err
		}
		counts[c.CourseSlug] = target
	}
	return tiers.Fact{CertificateID: c.ID, CourseSlug: c.CourseSlug, Counts: target, Status: c.Status(s.certs.Now()),
		ScorePercent: c.ScorePercent, IssuedAt: c.IssuedAt, ExpiresAt: c.ExpiresAt}, nil
}

func (s tierSeam) HolderFacts(ctx context.Context, holderID string) ([]tiers.Fact, error) {
	list, err := s.certs.HolderCertificates(ctx, holderID)
	if err != nil {
		return nil, err
	}
	counts := map[string]string{}
	out := make([]tiers.Fact, len(list))
	for i, c := range list {
		if out[i], err = s.fact(ctx, c, counts); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s tierSeam) Shared(ctx context.Context, claims []tiers.Claim) ([]tiers.SharedCertificate, error) {
	cs := make([]certs.Claim, len(claims))
	for i, c := range claims {
		cs[i] = certs.Claim{Kind: certs.ClaimKind(c.Kind), Value: c.Value}
	}
	list, err := s.certs.Resolve(ctx, cs)
	if err != nil {
		return nil, err
	}
	counts := map[string]string{}
	out := make([]tiers.SharedCertificate, len(list))
	for i, c := range list {
		if c == nil {
			continue
		}
		f, err := s.fact(ctx, *c, counts)
		if err != nil {
			return nil, err
		}
		out[i] = tiers.SharedCertificate{Fact: f, HolderID: c.HolderID, HolderName: c.HolderName, Found: true}
	}
	return out, nil
}

func (s tierSeam) ExpiredBetween(ctx context.Context, from, to time.Time) ([]string, error) {
	return s.certs.ExpiredBetween(ctx, from, to)
}

func (s tierSeam) OrganizationNames(ctx context.Context, ids []string) (map[string]string, error) {
	out := map[string]string{}
	for _, id := range ids {
		if _, done := out[id]; done {
			continue
		}
		o, err := s.accounts.Organization(ctx, id)
		if err != nil && !web.IsKind(err, web.KindNotFound) {
			return nil, err
		}
		out[id] = o.Name
	}
	return out, nil
}

// classSeam gives classes what they need of accounts, courses,
// assessments, certificates and tiers.
type classSeam struct {
	accounts    *accounts.Service
	courses     *courses.Service
	assessments *assessments.Service
	certs       *certs.Service
	tiers       *tiers.Service
}

func toClassLearner(u accounts.User) classes.Learner {
	return classes.Learner{ID: u.ID, Name: u.Name, Username: u.Username, Email: u.Email, Role: string(u.Role), Locale: u.Locale}
}

func (s classSeam) CheckLearner(n classes.NewLearner) (classes.NewLearner, []web.FieldError) {
	a := accounts.NewLearner{Name: n.Name, Username: n.Username, Email: n.Email, Locale: n.Locale}.Normalize()
	return classes.NewLearner{Line: n.Line, Name: a.Name, Username: a.Username, Email: a.Email, Locale: a.Locale}, accounts.CheckLearner(a)
}

func (s classSeam) FindLearners(ctx context.Context, usernames, emails []string) ([]classes.Learner, error) {
	users, err := s.accounts.FindUsers(ctx, usernames, emails)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []classes.Learner
	for _, u := range users {
		if !seen[u.ID] {
			seen[u.ID] = true
			out = append(out, toClassLearner(u))
		}
	}
	return out, nil
}

func (s classSeam) CreateLearners(ctx context.Context, rows []classes.NewLearner) ([]classes.Learner, error) {
	in := make([]accounts.NewLearner, len(rows))
	for i, r := range rows {
		in[i] = accounts.NewLearner{Name: r.Name, Username: r.Username, Email: r.Email, Locale: r.Locale}
	}
	return toClassLearners(s.accounts.CreateLearners(ctx, in))
}

func (s classSeam) Learners(ctx context.Context, ids []string) ([]classes.Learner, error) {
	return toClassLearners(s.accounts.UsersByIDs(ctx, ids))
}

// toClassLearners maps accounts as a class shows them, passing an error on.
func toClassLearners(users []accounts.User, err error) ([]classes.Learner, error) {
	if err != nil {
		return nil, err
	}
	out := make([]classes.Learner, len(users))
	for i, u := range users {
		out[i] = toClassLearner(u)
	}
	return out, nil
}

func (s classSeam) IssueCards(ctx context.Context, ids []string) ([]classes.Card, error) {
	cards, err := s.accounts.IssueCards(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]classes.Card, len(cards))
	for i, c := range cards {
		out[i] = classes.Card{Learner: toClassLearner(c.User), Secret: c.Secret, Code: c.Code, SignInURL: c.SignInURL}
	}
	return out, nil
}

func (s classSeam) PublishedCourse(ctx context.Context, idOrSlug string) (string, error) {
	c, err := s.courses.CourseHead(ctx, idOrSlug)
	if err != nil {
		return "", err
	}
	if c.Version == 0 {
		return "", web.NotFound("course")
	}
	return c.ID, nil
}

func (s classSeam) Enroll(ctx context.Context, userID, courseID string) error {
	_, _, err := s.courses.Enroll(ctx, web.Principal{UserID: userID, Role: web.RoleLearner}, courseID)
	return err
}

func (s classSeam) Progress(ctx context.Context, userID string) (map[string]int, error) {
	out := map[string]int{}
	p := web.Principal{UserID: userID, Role: web.RoleLearner}
	page := web.Page{Limit: 100}
	for {
		list, err := s.courses.MyEnrollments(ctx, p, page)
		if err != nil {
			return nil, err
		}
		for _, e := range list.Items {
			out[e.CourseID] = e.ProgressPercent
		}
		if list.NextCursor == nil || len(list.Items) == 0 {
			return out, nil
		}
		page.After = list.Items[len(list.Items)-1].ID
	}
}

func (s classSeam) FinalStanding(ctx context.Context, userID, courseID string) (classes.Standing, error) {
	var st classes.Standing
	settings, err := s.assessments.AssessmentSettings(ctx, courseID)
	if err != nil {
		return st, err
	}
	for _, a := range settings {
		if a.Kind != assessments.KindFinal {
			continue
		}
		attempts, err := s.assessments.UserAttempts(ctx, a.ID, userID)
		if err != nil {
			return st, err
		}
		for _, at := range attempts {
			st.Attempts++
			if at.Status != assessments.StatusGraded {
				continue
			}
			if st.BestPercent == nil || at.Percent > *st.BestPercent {
				pct := at.Percent
				st.BestPercent = &pct
			}
			st.Passed = st.Passed || at.Passed
		}
	}
	return st, nil
}

func (s classSeam) Certificates(ctx context.Context, userID string) (map[string]string, error) {
	list, err := s.certs.HolderCertificates(ctx, userID)
	if err != nil {
		return nil, err
	}
	now := s.certs.Now()
	out := map[string]string{}
	best := map[string]certs.Certificate{}
	for _, c := range list {
		prev, ok := best[c.CourseID]
		active, prevActive := c.Status(now) == "active", ok && prev.Status(now) == "active"
		if !ok || (active && !prevActive) || (active == prevActive && c.IssuedAt.After(prev.IssuedAt)) {
			best[c.CourseID] = c
			out[c.CourseID] = c.ID
		}
	}
	return out, nil
}

func (s classSeam) Tier(ctx context.Context, userID string) (*classes.Tier, error) {
	res, err := s.tiers.MyTier(ctx, web.Principal{UserID: userID, Role: web.RoleLearner})
	if err != nil || res.Tier == nil {
		return nil, err
	}
	return &classes.Tier{ID: res.Tier.ID, Slug: res.Tier.Slug, Name: res.Tier.Name}, nil
}
