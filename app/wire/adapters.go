package wire

import (
	"context"

	"skillgate/accounts"
	"skillgate/app/web"
	"skillgate/assessments"
	"skillgate/certs"
	"skillgate/courses"
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
	return assessments.LearnerInfo{Enrolled: st.Enrolled, CompletedLessons: st.CompletedLessons, CourseVersion: st.Version.Number,
		Assessments: toAssessmentSettings(st.Version.CourseID, st.Version.Snapshot.Assessments)}, nil
}

func toAssessmentSettings(courseID string, in []courses.AssessmentSettings) []assessments.Settings {
	out := make([]assessments.Settings, len(in))
	for i, a := range in {
		out[i] = assessments.Settings{ID: a.ID, CourseID: courseID, Title: a.Title, Kind: assessments.Kind(a.Kind),
			QuestionCount: a.QuestionCount, Tags: a.Tags, TimeLimitSeconds: a.TimeLimitSeconds, PassPercent: a.PassPercent,
			MaxAttempts: a.MaxAttempts, CooldownSeconds: a.CooldownSeconds}
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
			CooldownSeconds: a.CooldownSeconds}
	}
	return out, nil
}

func (s assessmentSeam) ImportPackAssessments(ctx context.Context, courseID, gift string, specs []courses.PackAssessment) (bool, error) {
	out := make([]assessments.Settings, len(specs))
	for i, a := range specs {
		out[i] = assessments.Settings{Title: a.Title, Kind: assessments.Kind(a.Kind), QuestionCount: a.QuestionCount, Tags: a.Tags,
			TimeLimitSeconds: a.TimeLimitSeconds, PassPercent: a.PassPercent, MaxAttempts: a.MaxAttempts, CooldownSeconds: a.CooldownSeconds}
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
