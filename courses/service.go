package courses

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"time"

	"skillgate/app/dbx"
	"skillgate/app/web"
)

// AssessmentSource hands over a course's assessment settings when the
// course is published, so that they become part of the version. The
// assessments domain implements it; app/wire connects the two.
type AssessmentSource interface {
	AssessmentSettings(ctx context.Context, courseID string) ([]AssessmentSettings, error)
}

// Service is the courses use cases.
type Service struct {
	store       *Store
	now         func() time.Time
	assessments AssessmentSource
	packHook    PackHook
	completion  CompletionHook
}

// NewService returns the service on its store (NewStore, whose bus tells
// every replica's caches what changed); now is the clock.
func NewService(store *Store, now func() time.Time) *Service {
	return &Service{store: store, now: now}
}

// SetAssessments connects the assessments domain (wired after both exist).
func (s *Service) SetAssessments(src AssessmentSource, hook PackHook) {
	s.assessments, s.packHook = src, hook
}

// CanAuthor reports whether p may edit course c.
func CanAuthor(p web.Principal, c Course) bool {
	return p.IsAdmin() || (p.Role == web.RoleTrainer && c.OwnerID != "" && c.OwnerID == p.UserID)
}

// authorable loads a course the caller must be allowed to edit: a course
// the caller may not even see is 404, one they may see but not edit 403.
func (s *Service) authorable(ctx context.Context, p web.Principal, id string) (Course, error) {
	c, err := s.store.CourseHead(ctx, id)
	if err != nil {
		return Course{}, err
	}
	if !CanAuthor(p, c) {
		if c.Version == 0 {
			return Course{}, web.NotFound("course")
		}
		return Course{}, web.Forbidden("only the course's trainer may change it")
	}
	return c, nil
}

// Authorize checks that p may author course id, for other domains
// (question banks, assessments, statistics).
func (s *Service) Authorize(ctx context.Context, p web.Principal, id string) (Course, error) {
	return s.authorable(ctx, p, id)
}

var (
	langRe   = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)
	maxTags  = 20
	maxTagSz = 50
)

// NewCourse is what a trainer sends to create a course.
type NewCourse struct {
	Slug, Title, Summary, Language string
	Tags                           []string
	EstimatedMinutes               int
	CertificateValidityDays        int
	Translates                     string
}

// checkTitle says of a title what a request's tags (required,max=200)
// say, so that a title gets one message whichever way it comes.
func checkTitle(title *string) []web.FieldError {
	return checkForm("title", title, 200, func(t string) bool { return strings.TrimSpace(t) != "" }, web.Required)
}

// checkForm says of a value longer than max what a max tag says, and
// bad of one that is not ok; nil is no change.
func checkForm(field string, v *string, max int, ok func(string) bool, bad func(field string) web.FieldError) []web.FieldError {
	switch {
	case v == nil:
		return nil
	case len(*v) > max:
		return []web.FieldError{web.TooLong(field, max)}
	case !ok(*v):
		return []web.FieldError{bad(field)}
	}
	return nil
}

// validateHead checks a course's head. Sizes get the messages of the
// request's validate tags; the rules (a slug's and a language's form)
// are said here only.
func validateHead(slug, title, language *string, tags *[]string, minutes, validity *int) []web.FieldError {
	f := checkForm("slug", slug, 100, web.IsSlug, web.NotSlug)
	f = append(f, checkTitle(title)...)
	f = append(f, checkForm("language", language, 35, langRe.MatchString, web.NotLocale)...)
	if tags != nil {
		if len(*tags) > maxTags {
			f = append(f, web.TooMany("tags", maxTags))
		}
		for _, t := range *tags {
			if !web.IsSlug(t) || len(t) > maxTagSz {
				f = append(f, web.RuleTagForm.On("tags"))
				break
			}
		}
	}
	if minutes != nil && (*minutes < 0 || *minutes > 100000) {
		f = append(f, web.Between("estimated_minutes", 0, 100000))
	}
	if validity != nil && (*validity < 0 || *validity > 36500) {
		f = append(f, web.Between("certificate_validity_days", 0, 36500))
	}
	return f
}

// Create makes a draft course owned by the caller.
func (s *Service) Create(ctx context.Context, p web.Principal, n NewCourse) (Course, error) {
	if fields := validateHead(&n.Slug, &n.Title, &n.Language, &n.Tags, &n.EstimatedMinutes, &n.CertificateValidityDays); len(fields) > 0 {
		return Course{}, web.Invalid("the course cannot be created", fields...)
	}
	if n.Tags == nil {
		n.Tags = []string{}
	}
	c := Course{ID: dbx.NewID(), Slug: n.Slug, OwnerID: p.UserID, Title: strings.TrimSpace(n.Title), Summary: n.Summary,
		Language: n.Language, Tags: n.Tags, EstimatedMinutes: n.EstimatedMinutes, CertificateValidityDays: n.CertificateValidityDays,
		Translates: n.Translates, Dirty: true, Modules: []Module{}}
	if err := s.store.CreateCourse(ctx, c, s.now()); err != nil {
		return Course{}, err
	}
	return s.store.Course(ctx, c.ID)
}

// Update edits the working copy; learners keep the published version.
func (s *Service) Update(ctx context.Context, p web.Principal, id string, ch CourseChange) (Course, error) {
	if fields := validateHead(ch.Slug, ch.Title, ch.Language, ch.Tags, ch.EstimatedMinutes, ch.CertificateValidityDays); len(fields) > 0 {
		return Course{}, web.Invalid("the course cannot be changed", fields...)
	}
	var out Course
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		c, err := s.authorable(ctx, p, id)
		if err != nil {
			return err
		}
		if c.Version > 0 && ch.Slug != nil && *ch.Slug != c.Slug {
			return web.Invalid("the course cannot be changed", web.RuleSlugFrozen.On("slug"))
		}
		if err := s.store.UpdateCourse(ctx, c.ID, ch, s.now()); err != nil {
			return err
		}
		out, err = s.store.Course(ctx, c.ID)
		return err
	})
	return out, err
}

// AddModule adds a module at position (appended when nil).
func (s *Service) AddModule(ctx context.Context, p web.Principal, courseID, title string, position *int) (Module, error) {
	title = strings.TrimSpace(title)
	if title == "" || len(title) > 200 {
		return Module{}, web.Invalid("the module cannot be created", web.RequiredUpTo("title", 200))
	}
	if position != nil && *position < 1 {
		return Module{}, web.Invalid("the module cannot be created", web.AtLeast("position", 1))
	}
	m := Module{ID: dbx.NewID(), Title: title, Lessons: []Lesson{}}
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		c, err := s.authorable(ctx, p, courseID)
		if err != nil {
			return err
		}
		next, err := s.store.NextPosition(ctx, "course_modules", "course_id", c.ID)
		if err != nil {
			return err
		}
		m.Position = next
		if position != nil && *position < next {
			m.Position = *position
		}
		if err := s.store.InsertModule(ctx, m, c.ID, ""); err != nil {
			return err
		}
		return s.store.Touch(ctx, c.ID, s.now())
	})
	return m, err
}

// AddLesson adds a lesson to a module, rendering and sanitising its body.
func (s *Service) AddLesson(ctx context.Context, p web.Principal, moduleID, title, body string, position *int) (Lesson, error) {
	var fields []web.FieldError
	title = strings.TrimSpace(title)
	if title == "" || len(title) > 200 {
		fields = append(fields, web.RequiredUpTo("title", 200))
	}
	if len(body) > 200_000 {
		fields = append(fields, web.TooLongBytes("body_markdown", 200_000))
	}
	if position != nil && *position < 1 {
		fields = append(fields, web.AtLeast("position", 1))
	}
	if len(fields) > 0 {
		return Lesson{}, web.Invalid("the lesson cannot be created", fields...)
	}
	html, err := RenderMarkdown(body)
	if err != nil {
		return Lesson{}, err
	}
	l := Lesson{ID: dbx.NewID(), ModuleID: moduleID, Title: title, BodyMarkdown: body, BodyHTML: html}
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		courseID, err := s.store.ModuleCourse(ctx, moduleID)
		if err != nil {
			return err
		}
		c, err := s.authorable(ctx, p, courseID)
		if err != nil {
			if web.IsKind(err, web.KindNotFound) {
				return web.NotFound("module")
			}
			return err
		}
		l.CourseID = c.ID
		next, err := s.store.NextPosition(ctx, "course_lessons", "module_id", moduleID)
		if err != nil {
			return err
		}
		l.Position = next
		if position != nil && *position < next {
			l.Position = *position
		}
		if err := s.store.InsertLesson(ctx, l, ""); err != nil {
			return err
		}
		return s.store.Touch(ctx, c.ID, s.now())
	})
	return l, err
}

// Publish freezes the working copy, with its assessment settings, as the
// next version.
func (s *Service) Publish(ctx context.Context, p web.Principal, id string) (Course, error) {
	var out Course
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		c, err := s.authorable(ctx, p, id)
		if err != nil {
			return err
		}
		out, err = s.publish(ctx, c.ID)
		return err
	})
	return out, err
}

func (s *Service) publish(ctx context.Context, courseID string) (Course, error) {
	if _, err := s.store.LockCourse(ctx, courseID); err != nil {
		return Course{}, err
	}
	c, err := s.store.Course(ctx, courseID)
	if err != nil {
		return Course{}, err
	}
	snap := Snapshot{Title: c.Title, Summary: c.Summary, Language: c.Language, Tags: c.Tags, EstimatedMinutes: c.EstimatedMinutes,
		CertificateValidityDays: c.CertificateValidityDays, Translates: c.Translates, Modules: c.Modules, Assessments: []AssessmentSettings{}}
	if len(snap.Lessons()) == 0 {
		return Course{}, web.Invalid("the course cannot be published", web.RuleNeedsLesson.On("modules"))
	}
	if s.assessments != nil {
		if snap.Assessments, err = s.assessments.AssessmentSettings(ctx, c.ID); err != nil {
			return Course{}, err
		}
	}
	if err := s.store.SaveVersion(ctx, c, snap, c.Version+1, s.now()); err != nil {
		return Course{}, err
	}
	c.Version++
	c.Dirty = false
	return c, nil
}

// View is a course as one caller sees it: the working copy for its author,
// the current published version for everyone else.
type View struct {
	Course   Course
	Version  *Version
	Endorsed bool // by an admin, for the catalogue (see Publishers)
}

// Get returns the course by id or slug as the caller may see it.
func (s *Service) Get(ctx context.Context, p *web.Principal, idOrSlug string) (View, error) {
	if p != nil && p.CanAuthor() {
		c, err := s.store.CourseHead(ctx, idOrSlug)
		if err != nil {
			return View{}, err
		}
		if CanAuthor(*p, c) {
			if c, err = s.store.Course(ctx, c.ID); err != nil {
				return View{}, err
			}
			views := []View{{Course: c}}
			err = s.markEndorsed(ctx, views)
			return views[0], err
		}
	}
	// Everyone else sees the current version, which a course never
	// published does not have: one query, 404 for drafts.
	v, err := s.store.CurrentVersion(ctx, idOrSlug)
	if err != nil {
		return View{}, err
	}
	views := []View{{Course: Course{ID: v.CourseID, Slug: v.Slug, Version: v.Number}, Version: &v}}
	err = s.markEndorsed(ctx, views)
	return views[0], err
}

// Catalogue lists published courses, and the caller's own working copies
// for trainers (every working copy for admins), ordered by course id.
func (s *Service) Catalogue(ctx context.Context, p *web.Principal, f CatalogueFilter, page web.Page) (web.List[View], error) {
	published, err := s.store.Published(ctx, f, page)
	if err != nil {
		return web.List[View]{}, err
	}
	var drafts []Course
	if p != nil && p.CanAuthor() {
		f.DraftsOf, f.AllDrafts = p.UserID, p.IsAdmin()
		if drafts, err = s.store.Drafts(ctx, f, page); err != nil {
			return web.List[View]{}, err
		}
	}
	own := map[string]bool{}
	var views []View
	for _, d := range drafts {
		own[d.ID] = true
		views = append(views, View{Course: d})
	}
	for i := range published {
		v := &published[i]
		if own[v.CourseID] {
			continue
		}
		views = append(views, View{Course: Course{ID: v.CourseID, Slug: v.Slug, Version: v.Number}, Version: v})
	}
	slices.SortFunc(views, func(a, b View) int { return strings.Compare(a.Course.ID, b.Course.ID) })
	if len(views) > page.Limit+1 {
		views = views[:page.Limit+1]
	}
	if err := s.markEndorsed(ctx, views); err != nil {
		return web.List[View]{}, err
	}
	return web.NewList(views, page, func(v View) string { return v.Course.ID }), nil
}

// Lesson returns a lesson: from the published version for an enrolled
// learner, from the working copy for the course's author. A learner's
// read finds the course and its version in memory; only the enrollment,
// which is the learner's own, is read from the database.
func (s *Service) Lesson(ctx context.Context, p web.Principal, id string) (Lesson, error) {
	var courseID string
	if p.CanAuthor() {
		draft, err := s.store.LessonDraft(ctx, id)
		if err != nil {
			return Lesson{}, err
		}
		c, err := s.store.CourseHead(ctx, draft.CourseID)
		if err != nil {
			return Lesson{}, err
		}
		if CanAuthor(p, c) {
			return s.store.liveLesson(ctx, id)
		}
		courseID = draft.CourseID
	} else {
		found, ok, err := s.store.LessonCourseID(ctx, id)
		if err != nil {
			return Lesson{}, err
		}
		if !ok {
			return Lesson{}, web.NotFound("lesson")
		}
		courseID = found
	}
	v, err := s.store.CurrentVersion(ctx, courseID)
	if web.IsKind(err, web.KindNotFound) {
		return Lesson{}, web.NotFound("lesson")
	}
	if err != nil {
		return Lesson{}, err
	}
	l, ok := v.Lesson(id)
	if !ok {
		return Lesson{}, web.NotFound("lesson")
	}
	if err := s.store.RequireEnrollment(ctx, v.CourseID, p.UserID); err != nil {
		if web.IsKind(err, web.KindNotFound) {
			return Lesson{}, web.Forbidden("enroll in the course to read its lessons")
		}
		return Lesson{}, err
	}
	return l, nil
}

// Enroll enrolls the caller in a published course; enrolling again
// returns the same enrollment with created false.
func (s *Service) Enroll(ctx context.Context, p web.Principal, courseID string) (Enrollment, bool, error) {
	c, err := s.store.PublishedHead(ctx, courseID)
	if err != nil {
		return Enrollment{}, false, err
	}
	e, err := s.store.Enrollment(ctx, c.ID, p.UserID)
	created := false
	if web.IsKind(err, web.KindNotFound) {
		e = Enrollment{ID: dbx.NewID(), CourseID: c.ID, UserID: p.UserID, Version: c.Version, CreatedAt: s.now()}
		err = s.store.CreateEnrollment(ctx, e)
		created = err == nil
		if errors.Is(err, errAlreadyEnrolled) {
			e, err = s.store.Enrollment(ctx, c.ID, p.UserID)
		}
	}
	if err != nil {
		return Enrollment{}, false, err
	}
	out, err := s.withProgress(ctx, []Enrollment{e})
	if err != nil {
		return Enrollment{}, false, err
	}
	return out[0], created, nil
}

// withProgress fills in slug and progress against each course's current
// version.
func (s *Service) withProgress(ctx context.Context, es []Enrollment) ([]Enrollment, error) {
	ids := make([]string, len(es))
	courseIDs := make([]string, 0, len(es))
	for i, e := range es {
		ids[i] = e.ID
		courseIDs = append(courseIDs, e.CourseID)
	}
	done, err := s.store.CompletedLessons(ctx, ids)
	if err != nil {
		return nil, err
	}
	versions, err := s.store.VersionsOf(ctx, courseIDs)
	if err != nil {
		return nil, err
	}
	for i := range es {
		v := versions[es[i].CourseID]
		es[i].CourseSlug = v.Slug
		es[i].ProgressPercent = progress(v.Snapshot, done[es[i].ID])
		es[i].CompletedLessonIDs = completedIDs(v.Snapshot, done[es[i].ID])
	}
	return es, nil
}

// progress is the share of the version's lessons done, rounded to the
// nearest percent (6 of 7 is 86), but 100 only when every lesson is done
// and 0 only when none is: a learner with one lesson left never reads 100.
func progress(s Snapshot, done map[string]bool) int {
	lessons := s.Lessons()
	if len(lessons) == 0 {
		return 0
	}
	n := 0
	for _, l := range lessons {
		if done[l.ID] {
			n++
		}
	}
	pct := (n*200 + len(lessons)) / (2 * len(lessons))
	switch {
	case n < len(lessons) && pct > 99:
		pct = 99
	case n > 0 && pct < 1:
		pct = 1
	}
	return pct
}

// completedIDs lists the lessons of the version that are done, in reading
// order; lessons done in an older version and since removed are left out.
func completedIDs(s Snapshot, done map[string]bool) []string {
	out := []string{}
	for _, l := range s.Lessons() {
		if done[l.ID] {
			out = append(out, l.ID)
		}
	}
	return out
}

// MyEnrollments lists the caller's enrollments with progress.
func (s *Service) MyEnrollments(ctx context.Context, p web.Principal, page web.Page) (web.List[Enrollment], error) {
	es, err := s.store.Enrollments(ctx, p.UserID, page)
	if err != nil {
		return web.List[Enrollment]{}, err
	}
	if es, err = s.withProgress(ctx, es); err != nil {
		return web.List[Enrollment]{}, err
	}
	return web.NewList(es, page, func(e Enrollment) string { return e.ID }), nil
}

// PackageAccess checks that the caller may download the course (an
// enrolled learner or its author) and names its current version.
func (s *Service) PackageAccess(ctx context.Context, p web.Principal, courseID string) (id string, version int, err error) {
	c, err := s.store.PublishedHead(ctx, courseID)
	if err != nil {
		return "", 0, err
	}
	if !CanAuthor(p, c) {
		if _, err := s.store.Enrollment(ctx, c.ID, p.UserID); err != nil {
			if web.IsKind(err, web.KindNotFound) {
				return "", 0, web.Forbidden("enroll in the course to download it")
			}
			return "", 0, err
		}
	}
	return c.ID, c.Version, nil
}

// PublishedVersion loads one immutable published version.
func (s *Service) PublishedVersion(ctx context.Context, courseID string, number int) (Version, error) {
	return s.store.VersionByNumber(ctx, courseID, number)
}

// LearnerStatus is what assessments need to know of a learner and a course.
type LearnerStatus struct {
	Enrolled         bool
	CompletedLessons bool
	Version          Version
}

// Learner reports a user's enrollment in a course and the current version.
func (s *Service) Learner(ctx context.Context, userID, courseID string) (LearnerStatus, error) {
	v, err := s.store.CurrentVersion(ctx, courseID)
	if err != nil {
		return LearnerStatus{}, err
	}
	st := LearnerStatus{Version: v}
	e, err := s.store.Enrollment(ctx, v.CourseID, userID)
	if web.IsKind(err, web.KindNotFound) {
		return st, nil
	}
	if err != nil {
		return LearnerStatus{}, err
	}
	st.Enrolled = true
	done, err := s.store.CompletedLessons(ctx, []string{e.ID})
	if err != nil {
		return LearnerStatus{}, err
	}
	st.CompletedLessons = progress(v.Snapshot, done[e.ID]) == 100
	return st, nil
}
