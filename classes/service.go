package classes

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"skillgate/app/dbx"
	"skillgate/app/web"
)

// Service is the classes use cases.
type Service struct {
	store    *Store
	accounts Accounts
	courses  Courses
	results  Results
	now      func() time.Time
}

// NewService returns the service on store; the other domains come in
// through ports.
func NewService(store *Store, a Accounts, c Courses, r Results, now func() time.Time) *Service {
	if now == nil {
		now = func() time.Time { return time.Now().UTC() }
	}
	return &Service{store: store, accounts: a, courses: c, results: r, now: now}
}

// NewClass is what creating a class takes.
type NewClass struct {
	Name      string
	CourseIDs []string
	Locale    string
}

func checkName(name string) []web.FieldError {
	switch {
	case strings.TrimSpace(name) == "":
		return []web.FieldError{web.Required("name")}
	case utf8.RuneCountInString(name) > 200:
		return []web.FieldError{web.TooLong("name", 200)}
	case strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return []web.FieldError{web.ControlChars("name")}
	}
	return nil
}

// resolveCourses checks that every id or slug names a published course and
// returns the ids without repeats, in order.
func (s *Service) resolveCourses(ctx context.Context, in []string) ([]string, []web.FieldError, error) {
	var out []string
	var fields []web.FieldError
	for i, ref := range in {
		id, err := s.courses.PublishedCourse(ctx, strings.TrimSpace(ref))
		if web.IsKind(err, web.KindNotFound) || (err == nil && id == "") {
			fields = append(fields, web.RuleNoPublishedCourse.On(fmt.Sprintf("course_ids[%d]", i)))
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out, fields, nil
}

// Create makes a class of the calling trainer (or admin).
func (s *Service) Create(ctx context.Context, p web.Principal, n NewClass) (Class, error) {
	n.Name = strings.TrimSpace(n.Name)
	if n.Locale == "" {
		n.Locale = "en"
	}
	var fields []web.FieldError
	fields = append(fields, checkName(n.Name)...)
	if !web.IsLocale(n.Locale) {
		fields = append(fields, web.NotLocale("locale"))
	}
	if len(n.CourseIDs) > 100 {
		fields = append(fields, web.RuleMaxCourses.On("course_ids", "Max", 100))
		n.CourseIDs = nil
	}
	ids, bad, err := s.resolveCourses(ctx, n.CourseIDs)
	if err != nil {
		return Class{}, err
	}
	if fields = append(fields, bad...); len(fields) > 0 {
		return Class{}, web.Invalid("the class cannot be created", fields...)
	}
	c := Class{ID: dbx.NewID(), Name: n.Name, TrainerID: p.UserID, Locale: n.Locale, CourseIDs: ids, CreatedAt: s.now()}
	if c.CourseIDs == nil {
		c.CourseIDs = []string{}
	}
	if err := s.store.InTx(ctx, func(ctx context.Context) error { return s.store.Create(ctx, c) }); err != nil {
		return Class{}, err
	}
	return c, nil
}

// visible loads a class the caller may see: its trainer's, or any for an
// admin. Anyone else is told it does not exist.
func (s *Service) visible(ctx context.Context, p web.Principal, id string, lock bool) (Class, error) {
	c, err := s.store.Get(ctx, id, lock)
	if err != nil {
		return Class{}, err
	}
	if !p.IsAdmin() && c.TrainerID != p.UserID {
		return Class{}, web.NotFound("class")
	}
	return c, nil
}

// List pages through the caller's classes (every class for an admin).
func (s *Service) List(ctx context.Context, p web.Principal, page web.Page) (web.List[Class], error) {
	trainer := p.UserID
	if p.IsAdmin() {
		trainer = ""
	}
	list, err := s.store.List(ctx, trainer, page)
	if err != nil {
		return web.List[Class]{}, err
	}
	return web.NewList(list, page, func(c Class) string { return c.ID }), nil
}

// Get returns a class with its learners.
func (s *Service) Get(ctx context.Context, p web.Principal, id string) (Class, error) {
	c, err := s.visible(ctx, p, id, false)
	if err != nil {
		return Class{}, err
	}
	c.Learners, err = s.learners(ctx, c.ID)
	return c, err
}

// learners loads the class's learners in the order they joined.
func (s *Service) learners(ctx context.Context, classID string) ([]Learner, error) {
	ids, err := s.store.LearnerIDs(ctx, classID)
	if err != nil {
		return nil, err
	}
	list, err := s.accounts.Learners(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]Learner, len(list))
	for _, l := range list {
		byID[l.ID] = l
	}
	out := make([]Learner, 0, len(ids))
	for _, id := range ids {
		if l, ok := byID[id]; ok {
			out = append(out, l)
		}
	}
	return out, nil
}

// ClassChange is a PATCH; nil fields stay as they are.
type ClassChange struct {
	Name      *string
	CourseIDs *[]string
}

// Update renames a class or changes its courses; the class's learners are
// enrolled in every course added, in the same transaction.
func (s *Service) Update(ctx context.Context, p web.Principal, id string, ch ClassChange) (Class, error) {
	var fields []web.FieldError
	if ch.Name != nil {
		*ch.Name = strings.TrimSpace(*ch.Name)
		fields = append(fields, checkName(*ch.Name)...)
	}
	var ids []string
	if ch.CourseIDs != nil {
		if len(*ch.CourseIDs) > 100 {
			fields = append(fields, web.RuleMaxCourses.On("course_ids", "Max", 100))
		} else {
			var bad []web.FieldError
			var err error
			if ids, bad, err = s.resolveCourses(ctx, *ch.CourseIDs); err != nil {
				return Class{}, err
			}
			fields = append(fields, bad...)
		}
	}
	var out Class
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		c, err := s.visible(ctx, p, id, true)
		if err != nil {
			return err
		}
		if len(fields) > 0 {
			return web.Invalid("the class cannot be changed", fields...)
		}
		now := s.now()
		if ch.Name != nil {
			if err := s.store.Rename(ctx, c.ID, *ch.Name, now); err != nil {
				return err
			}
		}
		if ch.CourseIDs != nil {
			if err := s.store.SetCourses(ctx, c.ID, ids); err != nil {
				return err
			}
			var added []string
			for _, cid := range ids {
				if !slices.Contains(c.CourseIDs, cid) {
					added = append(added, cid)
				}
			}
			learners, err := s.store.LearnerIDs(ctx, c.ID)
			if err != nil {
				return err
			}
			if err := s.enroll(ctx, learners, added); err != nil {
				return err
			}
		}
		out, err = s.store.Get(ctx, c.ID, false)
		return err
	})
	return out, err
}

func (s *Service) enroll(ctx context.Context, userIDs, courseIDs []string) error {
	for _, cid := range courseIDs {
		for _, uid := range userIDs {
			if err := s.courses.Enroll(ctx, uid, cid); err != nil {
				return fmt.Errorf("classes: enroll %s in %s: %w", uid, cid, err)
			}
		}
	}
	return nil
}

// AddLearners adds learners to a class, all or nothing: every bad row is
// reported by line and then nothing changes. A row naming a learner
// already in the class (by username, by email, or, for a row with
// neither, by name) is existing and changes nothing; a learner of another
// of the trainer's classes joins this one; anyone else's username or email
// is refused, so that a class can never take over an account. New learners
// are made, joined and enrolled in the class's courses in one transaction.
func (s *Service) AddLearners(ctx context.Context, p web.Principal, classID string, rows []NewLearner) (Added, error) {
	if _, err := s.visible(ctx, p, classID, false); err != nil {
		return Added{}, err
	}
	if len(rows) == 0 {
		return Added{}, rowsInvalid([]RowError{rowError(0, web.RuleLearnersNone.On("learners"))})
	}
	if len(rows) > MaxRows {
		return Added{}, rowsInvalid([]RowError{rowError(0, web.RuleLearnersMax.On("learners", "Max", MaxRows))})
	}
	var errs []RowError
	byUsername := map[string]int{}
	byEmail := map[string]int{}
	for i := range rows {
		line := rows[i].Line
		n, problems := s.accounts.CheckLearner(rows[i])
		n.Line = line
		rows[i] = n
		for _, pr := range problems {
			errs = append(errs, RowError{Line: line, FieldError: pr})
		}
		if n.Username != "" {
			if first, ok := byUsername[n.Username]; ok {
				errs = append(errs, rowError(line, web.RuleRepeatsLine.On("username", "Line", first)))
			} else {
				byUsername[n.Username] = line
			}
		}
		if key := strings.ToLower(n.Email); key != "" {
			if first, ok := byEmail[key]; ok {
				errs = append(errs, rowError(line, web.RuleRepeatsLine.On("email", "Line", first)))
			} else {
				byEmail[key] = line
			}
		}
	}
	var out Added
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		c, err := s.visible(ctx, p, classID, true)
		if err != nil {
			return err
		}
		members, err := s.store.LearnerIDs(ctx, c.ID)
		if err != nil {
			return err
		}
		inClass := map[string]bool{}
		for _, id := range members {
			inClass[id] = true
		}
		usernames := make([]string, 0, len(byUsername))
		for u := range byUsername {
			usernames = append(usernames, u)
		}
		emails := make([]string, 0, len(byEmail))
		for e := range byEmail {
			emails = append(emails, e)
		}
		found, err := s.accounts.FindLearners(ctx, usernames, emails)
		if err != nil {
			return err
		}
		ids := make([]string, len(found))
		byU, byE := map[string]Learner{}, map[string]Learner{}
		for i, l := range found {
			ids[i] = l.ID
			if l.Username != "" {
				byU[l.Username] = l
			}
			if l.Email != "" {
				byE[strings.ToLower(l.Email)] = l
			}
		}
		ours, err := s.store.TrainerLearners(ctx, c.TrainerID, ids)
		if err != nil {
			return err
		}
		// Rows with neither username nor email match the class's
		// learners by name, each learner at most once.
		classByName := map[string][]Learner{}
		current, err := s.learners(ctx, c.ID)
		if err != nil {
			return err
		}
		for _, l := range current {
			classByName[nameKey(l.Name)] = append(classByName[nameKey(l.Name)], l)
		}
		var create []NewLearner
		var join []AddedLearner
		taken := map[string]bool{}
		for _, n := range rows {
			var match *Learner
			field := ""
			if l, ok := byU[n.Username]; ok && n.Username != "" {
				match, field = &l, "username"
			}
			if l, ok := byE[strings.ToLower(n.Email)]; ok && n.Email != "" {
				if match != nil && match.ID != l.ID {
					errs = append(errs, rowError(n.Line, web.RuleOtherLearner.On("email")))
					continue
				}
				if match == nil {
					match, field = &l, "email"
				}
			}
			switch {
			case match != nil && (inClass[match.ID] || ours[match.ID]):
				if taken[match.ID] {
					errs = append(errs, rowError(n.Line, web.RuleNamedTwice.On(field)))
					continue
				}
				taken[match.ID] = true
				if inClass[match.ID] {
					out.Existing = append(out.Existing, AddedLearner{Line: n.Line, Learner: *match})
				} else {
					join = append(join, AddedLearner{Line: n.Line, Learner: *match})
				}
			case match != nil:
				errs = append(errs, rowError(n.Line, web.RuleTakenByOther.On(field)))
			case n.Username == "" && n.Email == "" && len(classByName[nameKey(n.Name)]) > 0:
				l := classByName[nameKey(n.Name)][0]
				classByName[nameKey(n.Name)] = classByName[nameKey(n.Name)][1:]
				taken[l.ID] = true
				out.Existing = append(out.Existing, AddedLearner{Line: n.Line, Learner: l})
			default:
				create = append(create, n)
			}
		}
		if len(errs) > 0 {
			return rowsInvalid(errs)
		}
		for i := range create {
			if create[i].Locale == "" {
				create[i].Locale = c.Locale // the class's language is its learners'
			}
		}
		made, err := s.accounts.CreateLearners(ctx, create)
		if err != nil {
			return err
		}
		newIDs := make([]string, 0, len(made)+len(join))
		for i, l := range made {
			out.Created = append(out.Created, AddedLearner{Line: create[i].Line, Learner: l})
			newIDs = append(newIDs, l.ID)
		}
		for _, j := range join {
			out.Existing = append(out.Existing, j)
			newIDs = append(newIDs, j.Learner.ID)
		}
		if err := s.store.AddLearners(ctx, c.ID, newIDs, s.now()); err != nil {
			return err
		}
		return s.enroll(ctx, newIDs, c.CourseIDs)
	})
	if err != nil {
		return Added{}, err
	}
	sort.SliceStable(out.Existing, func(i, j int) bool { return out.Existing[i].Line < out.Existing[j].Line })
	return out, nil
}

// rowError is a field error of one row.
func rowError(line int, f web.FieldError) RowError { return RowError{Line: line, FieldError: f} }

// rowsInvalid is the 422 that names every bad row.
func rowsInvalid(errs []RowError) error {
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Line < errs[j].Line })
	return &web.Error{Kind: web.KindValidation, Message: "no learner was added: correct the rows listed and send them all again",
		Extra: map[string]any{"errors": errs}}
}

// RowErrorsOf returns the rows a refused addition named, for a page that
// shows them beside the file.
func RowErrorsOf(err error) ([]RowError, bool) {
	e, ok := web.AsError(err)
	if !ok {
		return nil, false
	}
	rows, ok := e.Extra["errors"].([]RowError)
	return rows, ok
}

// Progress is the class's table: for each learner, each course of the
// class, and the learner's tier.
func (s *Service) Progress(ctx context.Context, p web.Principal, classID string) ([]LearnerProgress, error) {
	c, err := s.visible(ctx, p, classID, false)
	if err != nil {
		return nil, err
	}
	learners, err := s.learners(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	out := make([]LearnerProgress, len(learners))
	for i, l := range learners {
		row := LearnerProgress{Learner: l, Courses: make([]CourseProgress, len(c.CourseIDs))}
		progress, err := s.courses.Progress(ctx, l.ID)
		if err != nil {
			return nil, err
		}
		certs, err := s.results.Certificates(ctx, l.ID)
		if err != nil {
			return nil, err
		}
		for j, cid := range c.CourseIDs {
			st, err := s.results.FinalStanding(ctx, l.ID, cid)
			if err != nil {
				return nil, err
			}
			row.Courses[j] = CourseProgress{CourseID: cid, ProgressPercent: progress[cid], Attempts: st.Attempts,
				BestPercent: st.BestPercent, Passed: st.Passed, CertificateID: certs[cid]}
		}
		if row.Tier, err = s.results.Tier(ctx, l.ID); err != nil {
			return nil, err
		}
		out[i] = row
	}
	return out, nil
}

// Cards issues new sign-in cards to the class's learners (all of them, or
// those named), replacing their earlier cards and ending their sessions.
func (s *Service) Cards(ctx context.Context, p web.Principal, classID string, learnerIDs []string) ([]Card, error) {
	c, err := s.visible(ctx, p, classID, false)
	if err != nil {
		return nil, err
	}
	members, err := s.store.LearnerIDs(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	ids := members
	if len(learnerIDs) > 0 {
		ids = nil
		var fields []web.FieldError
		for i, id := range learnerIDs {
			if !slices.Contains(members, id) {
				fields = append(fields, web.RuleNotClassLearner.On(fmt.Sprintf("learner_ids[%d]", i)))
			} else if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
		if len(fields) > 0 {
			return nil, web.Invalid("no card was issued", fields...)
		}
	}
	if len(ids) == 0 {
		return []Card{}, nil
	}
	return s.accounts.IssueCards(ctx, ids)
}
