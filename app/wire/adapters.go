package wire

import (
	"context"
	"time"

	"skillgate/accounts"
	"skillgate/app/web"
	"skillgate/assessments"
	"skillgate/certs"
	"skillgate/courses"
	"skillgate/tiers"
)

// courseSeam lets assessments ask the courses domain what they need.
type courseSeam struct{ c *courses.Service }

func (s courseSeam) Authorize(ctx context.Context, p web.Principal, courseID string) (string, error) {
	c, err := s.c.Authorize(ctx, p, courseID)
	return c.ID, err
}

func (s courseSeam) Published(ctx context.Context, courseID string) (string, []assessments.Settings, error) {
	v, err := s.c.Store().CurrentVersion(ctx, courseID)
	if err != nil {
		return "", nil, err
	}
	return v.CourseID, toAssessmentSettings(v.CourseID, v.Snapshot.Assessments), nil
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
		Assessments: toAssessmentSettings(st.Version.CourseID, st.Version.Snapshot.Assessments), Lessons: refs}, nil
}

func toAssessmentSettings(courseID string, in []courses.AssessmentSettings) []assessments.Settings {
	out := make([]assessments.Settings, len(in))
	for i, a := range in {
		out[i] = assessments.Settings{ID: a.ID, CourseID: courseID, Title: a.Title, Kind: assessments.Kind(a.Kind),
			QuestionCount: a.QuestionCount, Tags: a.Tags, TimeLimitSeconds: a.TimeLimitSeconds, PassPercent: a.PassPercent,
			MaxAttempts: a.MaxAttempts, CooldownSeconds: a.CooldownSeconds, CooldownSchedule: a.CooldownSchedule, Review: a.Review,
			LessonTags: a.LessonTags}
	}
	return out
}

// assessmentSeam lets courses freeze assessment settings at publish and
// hand a pack's bank to assessments at import.
type assessmentSeam struct{ a *assessments.Service }

func (s assessmentSeam) AssessmentSettings(ctx context.Context, courseID string) ([]courses.AssessmentSettings, error) {
	list, err := s.a.AssessmentSettings(ctx, courseID)
	if err != nil {
		return nil, err
	}
	out := make([]courses.AssessmentSettings, len(list))
	for i, a := range list {
		out[i] = courses.AssessmentSettings{ID: a.ID, Title: a.Title, Kind: string(a.Kind), QuestionCount: a.QuestionCount,
			Tags: a.Tags, TimeLimitSeconds: a.TimeLimitSeconds, PassPercent: a.PassPercent, MaxAttempts: a.MaxAttempts,
			CooldownSeconds: a.CooldownSeconds, CooldownSchedule: a.CooldownSchedule, Review: a.Review,
			LessonTags: a.LessonTags}
	}
	return out, nil
}

func (s assessmentSeam) ImportPackAssessments(ctx context.Context, courseID, gift string, specs []courses.PackAssessment) (bool, error) {
	out := make([]assessments.Settings, len(specs))
	for i, a := range specs {
		out[i] = assessments.Settings{Title: a.Title, Kind: assessments.Kind(a.Kind), QuestionCount: a.QuestionCount, Tags: a.Tags,
			TimeLimitSeconds: a.TimeLimitSeconds, PassPercent: a.PassPercent, MaxAttempts: a.MaxAttempts, CooldownSeconds: a.CooldownSeconds,
			CooldownSchedule: a.CooldownSchedule, Review: a.Review,
			LessonTags: a.LessonTags}
	}
	return s.a.ImportBank(ctx, courseID, gift, out)
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
	u, err := s.accounts.Store().UserByID(ctx, userID)
	return u.Name, err
}

// OnPass is the PassHook: the certificate commits with the grade.
func (s certSeam) OnPass(ctx context.Context, ev assessments.Passed) (string, error) {
	c, err := s.certs.Issue(ctx, certs.Pass{AttemptID: ev.AttemptID, CourseID: ev.CourseID, CourseVersion: ev.CourseVersion,
		UserID: ev.UserID, ScorePercent: ev.ScorePercent, PassPercent: ev.PassPercent, GradedAt: ev.GradedAt})
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
		head, err := s.courses.Store().CourseHead(ctx, c.CourseSlug)
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

func (s tierSeam) Shared(ctx context.Context, ids, tokens []string) ([]tiers.SharedCertificate, error) {
	list, err := s.certs.Resolve(ctx, ids, tokens)
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
