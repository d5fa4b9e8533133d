package site

import (
	"cmp"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"skillgate/app/web"
	"skillgate/courses"
)

type courseCard struct {
	Slug, Title, Summary, Language string
	Minutes, Lessons               int
	Progress                       int
	Enrolled                       bool
}

type catalogueView struct {
	Q, Language string
	Mine        []courseCard
	Courses     []courseCard
	Languages   []string
}

func card(v courses.Version) courseCard {
	return courseCard{Slug: v.Slug, Title: v.Title, Summary: v.Summary, Language: v.Language,
		Minutes: v.EstimatedMinutes, Lessons: len(v.Lessons())}
}

func (s *Site) catalogue(c *fiber.Ctx) error {
	r := reqOf(c)
	ctx := c.UserContext()
	v := catalogueView{Q: strings.TrimSpace(c.Query("q")), Language: c.Query("language"), Languages: []string{"en", "hi", "sw"}}
	if len(v.Q) > 100 {
		v.Q = v.Q[:100]
	}
	if v.Language != "" && !strings.Contains(" en hi sw ", " "+v.Language+" ") {
		v.Language = ""
	}
	list, err := s.d.Courses.Catalogue(ctx, nil, courses.CatalogueFilter{Query: v.Q, Language: v.Language}, web.Page{Limit: 100})
	if err != nil {
		return s.fail(c, err)
	}
	progress := map[string]int{}
	if r.user != nil {
		mine, err := s.d.Courses.MyEnrollments(ctx, r.principal(), web.Page{Limit: 100})
		if err != nil {
			return s.fail(c, err)
		}
		for _, e := range mine.Items {
			progress[e.CourseID] = e.ProgressPercent
		}
	}
	for _, item := range list.Items {
		if item.Version == nil {
			continue
		}
		cc := card(*item.Version)
		if p, ok := progress[item.Course.ID]; ok {
			cc.Enrolled, cc.Progress = true, p
			v.Mine = append(v.Mine, cc)
			continue
		}
		v.Courses = append(v.Courses, cc)
	}
	// Courses in the reader's language come first: a Hindi reader should
	// not scroll past English courses to find hers.
	slices.SortStableFunc(v.Courses, func(a, b courseCard) int {
		return cmp.Compare(langRank(a.Language, r.lang.Code), langRank(b.Language, r.lang.Code))
	})
	return s.render(c, fiber.StatusOK, "catalogue", r.lang.T("catalogue.title"), v)
}

func langRank(lang, reader string) int {
	if lang == reader {
		return 0
	}
	return 1
}

type lessonLink struct {
	ID, Title string
	Done      bool
	Number    int
}

type moduleView struct {
	Title   string
	Lessons []lessonLink
}

type assessmentLink struct {
	ID, Title, Kind string
	Questions       int
	Minutes         int
}

type courseView struct {
	Slug, Title, Summary, Language string
	Minutes                        int
	Enrolled                       bool
	Percent, DoneCount, Total      int
	Modules                        []moduleView
	Assessments                    []assessmentLink
	ContinueID                     string // the first lesson not done
	AllDone                        bool
}

func (s *Site) course(c *fiber.Ctx) error {
	r := reqOf(c)
	userID := ""
	if r.user != nil {
		userID = r.user.ID
	}
	st, err := s.d.Courses.LearnerStanding(c.UserContext(), userID, c.Params("slug"))
	if err != nil {
		return s.fail(c, err)
	}
	ver := st.Version
	v := courseView{Slug: ver.Slug, Title: ver.Title, Summary: ver.Summary, Language: ver.Language,
		Minutes: ver.EstimatedMinutes, Enrolled: st.Enrolled, Percent: st.Percent}
	n := 0
	for _, m := range ver.Modules {
		mv := moduleView{Title: m.Title}
		for _, l := range m.Lessons {
			n++
			done := st.Done[l.ID]
			if done {
				v.DoneCount++
			} else if v.ContinueID == "" {
				v.ContinueID = l.ID
			}
			mv.Lessons = append(mv.Lessons, lessonLink{ID: l.ID, Title: l.Title, Done: done, Number: n})
		}
		v.Modules = append(v.Modules, mv)
	}
	v.Total = n
	v.AllDone = n > 0 && v.DoneCount == n
	for _, a := range ver.Assessments {
		v.Assessments = append(v.Assessments, assessmentLink{ID: a.ID, Title: a.Title, Kind: string(a.Kind),
			Questions: a.QuestionCount, Minutes: (a.TimeLimitSeconds + 59) / 60})
	}
	return s.render(c, fiber.StatusOK, "course", ver.Title, v)
}

func (s *Site) enroll(c *fiber.Ctx) error {
	r := reqOf(c)
	st, err := s.d.Courses.LearnerStanding(c.UserContext(), "", c.Params("slug"))
	if err != nil {
		return s.fail(c, err)
	}
	if _, _, err := s.d.Courses.Enroll(c.UserContext(), r.principal(), st.Version.CourseID); err != nil {
		return s.fail(c, err)
	}
	if first := st.Version.Lessons(); len(first) > 0 {
		return s.redirect(c, "/lessons/"+first[0].ID, "enrolled")
	}
	return s.redirect(c, "/courses/"+st.Version.Slug, "enrolled")
}

type lessonView struct {
	ID, Title, HTML         string
	CourseSlug, CourseTitle string
	Number, Total           int
	Done                    bool
	PrevID, NextID          string
	FinalID                 string // the final, offered after the last lesson
}

func (s *Site) lesson(c *fiber.Ctx) error {
	r := reqOf(c)
	ctx := c.UserContext()
	l, err := s.d.Courses.Lesson(ctx, r.principal(), c.Params("id"))
	if err != nil {
		if web.IsKind(err, web.KindForbidden) {
			// Not enrolled: the course page has the button that fixes it.
			if ver, serr := s.d.Courses.LessonCourse(ctx, c.Params("id")); serr == nil {
				return s.redirect(c, "/courses/"+ver.Slug, "enrol_first")
			}
		}
		return s.fail(c, err)
	}
	st, err := s.d.Courses.LearnerStanding(ctx, r.user.ID, l.CourseID)
	if err != nil {
		return s.fail(c, err)
	}
	v := lessonView{ID: l.ID, Title: l.Title, HTML: l.BodyHTML, CourseSlug: st.Version.Slug, CourseTitle: st.Version.Title,
		Done: st.Done[l.ID]}
	all := st.Version.Lessons()
	v.Total = len(all)
	for i, x := range all {
		if x.ID != l.ID {
			continue
		}
		v.Number = i + 1
		if i > 0 {
			v.PrevID = all[i-1].ID
		}
		if i+1 < len(all) {
			v.NextID = all[i+1].ID
		}
	}
	if v.NextID == "" {
		for _, a := range st.Version.Assessments {
			if a.Kind == "final" {
				v.FinalID = a.ID
			}
		}
	}
	return s.render(c, fiber.StatusOK, "lesson", l.Title, v)
}

func (s *Site) completeLesson(c *fiber.Ctx) error {
	r := reqOf(c)
	ctx := c.UserContext()
	id := c.Params("id")
	done, err := s.d.Courses.Complete(ctx, r.principal(), id)
	if err != nil {
		return s.fail(c, err)
	}
	if done.CertificateID != "" && done.ProgressPercent == 100 {
		// The last lesson of a course whose final she passed: the
		// certificate was issued with it.
		return s.redirect(c, "/certificates", "certificate_earned")
	}
	st, err := s.d.Courses.LearnerStanding(ctx, r.user.ID, done.CourseID)
	if err != nil {
		return s.fail(c, err)
	}
	all := st.Version.Lessons()
	for i, x := range all {
		if x.ID == id && i+1 < len(all) {
			return s.redirect(c, "/lessons/"+all[i+1].ID, "lesson_done")
		}
	}
	return s.redirect(c, "/courses/"+st.Version.Slug, "lesson_done")
}
