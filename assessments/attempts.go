// attempts.go holds attempts: start, save, submit, grade and the learner's review.

package assessments

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"time"

	"skillgate/app/dbx"
	"skillgate/app/web"
)

// AttemptsUsedUp is the 409 when no attempt is left.
var errAttemptsUsedUp = web.Conflict("no attempts are left for this assessment")

// cooldown is the 409 with retry_at while a learner must wait.
func cooldown(retryAt, now time.Time) error {
	return &web.Error{Kind: web.KindConflict, Message: "wait before the next attempt",
		Extra: map[string]any{"retry_at": retryAt.UTC().Format(time.RFC3339)}, RetryAfter: retryAt.Sub(now)}
}

// Start begins an attempt, or returns the open one (created false).
//
// A first start with nothing open is the learner's standing from the
// courses domain, one read of the learner's attempts and one insert: the
// course of the assessment and its question bank come from memory, and
// the unique (assessment, user, number) index, not a transaction, settles
// two starts at once. Anything open goes the transactional way.
func (s *Service) Start(ctx context.Context, p web.Principal, assessmentID string) (Attempt, bool, error) {
	courseID, err := s.assessmentCourse(ctx, assessmentID)
	if err != nil {
		return Attempt{}, false, err
	}
	info, err := s.courses.Learner(ctx, p.UserID, courseID)
	if err != nil {
		if web.IsKind(err, web.KindNotFound) {
			return Attempt{}, false, web.NotFound("assessment")
		}
		return Attempt{}, false, err
	}
	i := slices.IndexFunc(info.Assessments, func(a Settings) bool { return a.ID == assessmentID })
	if i < 0 {
		return Attempt{}, false, web.NotFound("assessment") // not in the published version yet
	}
	set := info.Assessments[i]
	set.CourseID = courseID
	if !info.Enrolled {
		return Attempt{}, false, web.Forbidden("enroll in the course to sit its assessments")
	}
	var out Attempt
	created := false
	attempts, err := s.store.UserAttempts(ctx, assessmentID, p.UserID)
	if err != nil {
		return Attempt{}, false, err
	}
	if !slices.ContainsFunc(attempts, func(a Attempt) bool { return a.Status == StatusOpen }) {
		out, err = s.create(ctx, p, info, set, attempts)
		created = err == nil
	} else {
		err = s.store.InTx(ctx, func(ctx context.Context) error {
			now := s.now()
			attempts, err := s.store.UserAttempts(ctx, assessmentID, p.UserID)
			if err != nil {
				return err
			}
			for i, a := range attempts {
				if a.Status != StatusOpen {
					continue
				}
				if now.After(a.Deadline) {
					if err := s.lock(ctx, a.ID); err != nil {
						return err
					}
					if attempts[i], err = s.gradeByID(ctx, a.ID); err != nil {
						return err
					}
					continue
				}
				if out, err = s.store.Attempt(ctx, a.ID); err != nil {
					return err
				}
				out.Standing = StandingOf(out.Settings, attempts, now)
				return nil
			}
			out, err = s.create(ctx, p, info, set, attempts)
			created = err == nil
			return err
		})
	}
	if errors.Is(err, ErrAttemptRace) {
		// Another request started the attempt first: answer with it.
		attempts, lerr := s.store.UserAttempts(ctx, assessmentID, p.UserID)
		if lerr == nil {
			for _, a := range attempts {
				if a.Status == StatusOpen {
					out, err = s.store.Attempt(ctx, a.ID)
					out.Standing = StandingOf(out.Settings, attempts, s.now())
					return out, false, err
				}
			}
		}
	}
	return out, created, err
}

// create begins a new attempt after attempts (none of them open), if the
// rules allow one now.
func (s *Service) create(ctx context.Context, p web.Principal, info LearnerInfo, set Settings, attempts []Attempt) (Attempt, error) {
	now := s.now()
	st := StandingOf(set, attempts, now)
	if st.AttemptsLeft == 0 {
		return Attempt{}, errAttemptsUsedUp
	}
	if st.RetryAt != nil {
		return Attempt{}, cooldown(*st.RetryAt, now)
	}
	form, err := s.draw(ctx, set)
	if err != nil {
		return Attempt{}, err
	}
	out := Attempt{ID: dbx.NewID(), AssessmentID: set.ID, CourseID: set.CourseID, UserID: p.UserID,
		CourseVersion: info.CourseVersion, Number: len(attempts) + 1, Status: StatusOpen, StartedAt: now,
		Deadline: now.Add(time.Duration(set.TimeLimitSeconds) * time.Second), Form: form, Settings: set,
		Answers: map[string]Response{}}
	if err := s.store.createAttempt(ctx, out, info.CompletedLessons); err != nil {
		return Attempt{}, err
	}
	out.Standing = StandingOf(set, append(attempts, out), now)
	return out, nil
}

// draw picks the attempt's questions at random (among those carrying one of
// the assessment's tags, when it names any) and shuffles their options.
func (s *Service) draw(ctx context.Context, set Settings) ([]Question, error) {
	shared, err := s.bank(ctx, set.CourseID)
	if err != nil {
		return nil, err
	}
	bank := slices.Clone(shared) // shuffled and cut below; the bank stays whole
	if len(set.Tags) > 0 {
		bank = slices.DeleteFunc(bank, func(q Question) bool {
			return !slices.ContainsFunc(q.Tags, func(t string) bool { return slices.Contains(set.Tags, t) })
		})
	}
	if len(bank) == 0 {
		return nil, web.Conflict("the question bank has no questions for this assessment yet")
	}
	s.shuffle(len(bank), func(i, j int) { bank[i], bank[j] = bank[j], bank[i] })
	form := bank[:min(set.QuestionCount, len(bank))]
	for i := range form {
		opts := slices.Clone(form[i].Options)
		s.shuffle(len(opts), func(a, b int) { opts[a], opts[b] = opts[b], opts[a] })
		for j := range opts {
			// Each attempt names its options anew (a random id, mapped to
			// the bank's by BankID in the stored form): an option id seen
			// in one attempt, or an answer key shared between learners,
			// matches nothing in another.
			opts[j].BankID, opts[j].ID = opts[j].ID, dbx.NewID()
		}
		form[i].Options = opts
	}
	return form, nil
}

// owned loads an attempt of the caller's; anyone else's is 404.
func (s *Service) owned(ctx context.Context, p web.Principal, id string) (Attempt, error) {
	a, err := s.store.Attempt(ctx, id)
	if err != nil {
		return Attempt{}, err
	}
	if a.UserID != p.UserID {
		return Attempt{}, web.NotFound("attempt")
	}
	return a, nil
}

// validateResponses checks that answers name questions of the form and
// options of those questions.
func validateResponses(form []Question, rs []Response) error {
	byID := map[string]Question{}
	for _, q := range form {
		byID[q.ID] = q
	}
	var f []web.FieldError
	seen := map[string]bool{}
	for i, r := range rs {
		field := fmt.Sprintf("answers[%d]", i)
		q, ok := byID[r.QuestionID]
		switch {
		case !ok:
			f = append(f, web.RuleNotInAttempt.On(field+".question_id"))
			continue
		case seen[r.QuestionID]:
			f = append(f, web.RuleAnsweredTwice.On(field+".question_id"))
		}
		seen[r.QuestionID] = true
		if q.Type.IsChoice() {
			if r.Value != nil {
				f = append(f, web.RuleChoiceByOptions.On(field+".value"))
			}
			if len(r.OptionIDs) > len(q.Options) {
				f = append(f, web.RuleTooManyOptions.On(field+".option_ids"))
			}
			for _, id := range r.OptionIDs {
				if !slices.ContainsFunc(q.Options, func(o Option) bool { return o.ID == id }) {
					// Option ids are the attempt's own: one from another question,
					// another attempt or the bank names nothing here.
					f = append(f, web.RuleForeignOption.On(field+".option_ids"))
					break
				}
			}
		} else {
			if len(r.OptionIDs) > 0 {
				f = append(f, web.RuleOptionsForChoice.On(field+".option_ids"))
			}
			if r.Value != nil && len(*r.Value) > 1000 {
				f = append(f, web.TooLong(field+".value", 1000))
			}
		}
	}
	if len(f) > 0 {
		return web.Invalid("the answers do not fit this attempt", f...)
	}
	return nil
}

// SaveAnswers autosaves answers while the attempt is open and in time.
func (s *Service) SaveAnswers(ctx context.Context, p web.Principal, id string, rs []Response) (Attempt, error) {
	var out Attempt
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		a, err := s.ownedLocked(ctx, p, id)
		if err != nil {
			return err
		}
		now := s.now()
		if a.Status != StatusOpen {
			return web.Conflict("the attempt has been submitted")
		}
		if now.After(a.Deadline) {
			return web.Conflict("the time for this attempt is over")
		}
		if err := s.keepResponses(ctx, &a, id, rs, now); err != nil {
			return err
		}
		out = a
		return s.withStanding(ctx, &out)
	})
	return out, err
}

// withStanding sets a.Standing from the learner's attempts at a's
// assessment, in the caller's transaction.
func (s *Service) withStanding(ctx context.Context, a *Attempt) error {
	attempts, err := s.store.attemptHistory(ctx, a.AssessmentID, a.UserID)
	if err != nil {
		return err
	}
	pending := a.Standing.CertificatePending
	a.Standing = StandingOf(a.Settings, attempts, s.now())
	a.Standing.CertificatePending = pending
	return nil
}

// ownedLocked locks an attempt of the caller's for the rest of the
// transaction and loads it.
func (s *Service) ownedLocked(ctx context.Context, p web.Principal, id string) (Attempt, error) {
	if err := s.lock(ctx, id); err != nil {
		return Attempt{}, err
	}
	return s.owned(ctx, p, id)
}

// lock serialises work on one attempt across transactions (PostgreSQL row
// lock; SQLite transactions are already serial).
func (s *Service) lock(ctx context.Context, id string) error {
	return s.store.lockAttempt(ctx, id)
}

// Submit saves any last answers (only while in time) and grades the
// attempt once: every later submit returns the same result. A first
// submit is one locked load (the attempt, its answers and the learner's
// other attempts), grading in memory, and one write per table: the
// answers sent with it, the grade with its certificate, the item scores
// and the certificate itself.
func (s *Service) Submit(ctx context.Context, p web.Principal, id string, rs []Response) (Attempt, error) {
	var out Attempt
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		g, err := s.store.lockForGrading(ctx, id)
		if err != nil {
			return err
		}
		if g.UserID != p.UserID {
			return web.NotFound("attempt")
		}
		a := g.Attempt
		if a.Status == StatusGraded {
			out = a
			if err := s.pendingCertificate(ctx, &out); err != nil {
				return err
			}
			return s.withStanding(ctx, &out)
		}
		now := s.now()
		if len(rs) > 0 && !now.After(a.Deadline) {
			if err := s.keepResponses(ctx, &a, id, rs, now); err != nil {
				return err
			}
		}
		if out, err = s.grade(ctx, a, gradeHints{lessonsDone: g.lessonsDone, holderName: p.Name}); err != nil {
			return err
		}
		if st, ok := g.standingAfterGrading(out, now); ok {
			st.CertificatePending = out.Standing.CertificatePending
			out.Standing = st
			return nil
		}
		return s.withStanding(ctx, &out)
	})
	return out, err
}

// pendingCertificate sets a.Standing.CertificatePending for a passed final
// without a certificate whose learner has lessons left.
func (s *Service) pendingCertificate(ctx context.Context, a *Attempt) error {
	if !a.Passed || a.Settings.Kind != KindFinal || a.CertificateID != "" {
		return nil
	}
	info, err := s.courses.Learner(ctx, a.UserID, a.CourseID)
	if err != nil {
		return err
	}
	if !info.CompletedLessons {
		a.Standing.CertificatePending = CertificateWaitsForLessons
	}
	return nil
}

// gradeHints are what a grader may already know of an attempt.
type gradeHints struct {
	// lessonsDone: every lesson was done when the attempt began.
	lessonsDone bool
	// holderName is the learner's name, for the certificate.
	holderName string
}

// errGradedMeanwhile stops a transaction that issued a certificate for an
// attempt another grader graded first (callers lock the attempt, so it
// cannot happen unless one does not): the certificate is rolled back.
var errGradedMeanwhile = errors.New("assessments: attempt graded by another request")

// grade grades an open attempt from the answers saved by its deadline, in
// the caller's transaction, which holds the attempt's lock. The
// conditional update makes it happen once: a second grader finds the
// attempt graded and returns the stored result. A pass of a final raises
// Passed through the hook in the same transaction, before the grade is
// written, so that the grade and its certificate are one update.
//
// a is the attempt as loaded in this transaction, with its answers.
func (s *Service) grade(ctx context.Context, a Attempt, h gradeHints) (Attempt, error) {
	if a.Status == StatusGraded {
		return a, nil
	}
	now := s.now()
	answers := a.Answers
	if now.After(a.Deadline) {
		// Saves are refused after the deadline, but one may have raced it.
		var err error
		if answers, err = s.store.answers(ctx, a.ID, &a.Deadline); err != nil {
			return a, err
		}
	}
	o := GradeAttempt(a.Form, answers, a.Settings.PassPercent)
	a.Score, a.MaxScore, a.Percent, a.Passed, a.Results = o.Score, o.MaxScore, o.Percent, o.Passed, o.Results
	if a.Passed && a.Settings.Kind == KindFinal && s.hook != nil {
		// A certificate needs every lesson completed as well as the pass
		// (the contract); a pass without them is recorded without one.
		issue := h.lessonsDone
		if !issue {
			if err := s.lockLearnerCourse(ctx, a.UserID, a.CourseID); err != nil {
				return a, err
			}
			info, err := s.courses.Learner(ctx, a.UserID, a.CourseID)
			if err != nil {
				return a, err
			}
			if issue = info.CompletedLessons; !issue {
				// Not lost: OnLessonsCompleted issues it with the last lesson.
				a.Standing.CertificatePending = CertificateWaitsForLessons
			}
		}
		if issue {
			certID, err := s.hook.OnPass(ctx, Passed{AttemptID: a.ID, AssessmentID: a.AssessmentID, CourseID: a.CourseID,
				CourseVersion: a.CourseVersion, UserID: a.UserID, HolderName: h.holderName, ScorePercent: a.Percent,
				PassPercent: a.Settings.PassPercent, GradedAt: now})
			if err != nil {
				return a, fmt.Errorf("assessments: issue for pass of %s: %w", a.ID, err)
			}
			a.CertificateID = certID
		}
	}
	won, err := s.store.MarkGraded(ctx, a, now)
	if err != nil {
		return a, err
	}
	if !won {
		if a.CertificateID != "" {
			return a, errGradedMeanwhile
		}
		return s.store.Attempt(ctx, a.ID)
	}
	a.Status, a.SubmittedAt = StatusGraded, &now
	if err := s.store.SaveItemScores(ctx, a); err != nil {
		return a, err
	}
	return a, nil
}

// gradeByID loads an attempt and grades it if it is still open.
func (s *Service) gradeByID(ctx context.Context, id string) (Attempt, error) {
	a, err := s.store.Attempt(ctx, id)
	if err != nil {
		return a, err
	}
	return s.grade(ctx, a, gradeHints{})
}

// OnLessonsCompleted is called by the courses domain inside the
// transaction that completes a learner's last lesson of a course: a pass
// of the course's final that waited for the lessons earns its certificate
// now (the best such pass). It returns the certificate, "" when there is
// no pass, and the one already issued when there is one.
func (s *Service) OnLessonsCompleted(ctx context.Context, userID, courseID string) (string, error) {
	if s.hook == nil {
		return "", nil
	}
	if err := s.lockLearnerCourse(ctx, userID, courseID); err != nil {
		return "", err
	}
	passes, err := s.store.PassedFinals(ctx, userID, courseID)
	if err != nil || len(passes) == 0 {
		return "", err
	}
	best := passes[0]
	for _, a := range passes {
		if a.CertificateID != "" {
			return a.CertificateID, nil
		}
		if a.Percent > best.Percent {
			best = a
		}
	}
	now := s.now()
	certID, err := s.hook.OnPass(ctx, Passed{AttemptID: best.ID, AssessmentID: best.AssessmentID, CourseID: best.CourseID,
		CourseVersion: best.CourseVersion, UserID: best.UserID, ScorePercent: best.Percent, PassPercent: best.Settings.PassPercent,
		GradedAt: now})
	if err != nil {
		return "", fmt.Errorf("assessments: issue for pass of %s at the last lesson: %w", best.ID, err)
	}
	if certID != "" {
		if err := s.store.SetCertificate(ctx, best.ID, certID); err != nil {
			return "", err
		}
	}
	return certID, nil
}

// lockLearnerCourse serialises, for one learner and course, the grading of
// a pass and the completion of the last lesson (a PostgreSQL advisory lock
// until the transaction ends): whichever commits second sees the other, so
// a pass and the last lesson arriving together still earn the certificate.
func (s *Service) lockLearnerCourse(ctx context.Context, userID, courseID string) error {
	h := fnv.New64a()
	h.Write([]byte("skillgate/pass\x00" + userID + "\x00" + courseID))
	return s.store.lockTx(ctx, int64(h.Sum64()))
}

// Review is an attempt as one caller may see it.
type Review struct {
	Attempt
	// Reveal says whether right answers and explanations may be shown.
	Reveal bool
	// Author is true for the course's trainer (or an admin).
	Author bool
	// Lessons maps question ids to the lesson to re-read (from a
	// "lesson:N" tag: the N-th lesson in reading order, or a lesson id).
	Lessons map[string]LessonRef
}

// Get returns an attempt to its learner or the course's author; an attempt
// past its deadline is graded first.
func (s *Service) Get(ctx context.Context, p web.Principal, id string) (Review, error) {
	a, err := s.store.Attempt(ctx, id)
	if err != nil {
		return Review{}, err
	}
	author := false
	if a.UserID != p.UserID {
		if !p.CanAuthor() {
			return Review{}, web.NotFound("attempt")
		}
		if _, err := s.courses.Authorize(ctx, p, a.CourseID); err != nil {
			return Review{}, web.NotFound("attempt")
		}
		author = true
	}
	if a.Status == StatusOpen && s.now().After(a.Deadline) {
		err := s.store.InTx(ctx, func(ctx context.Context) error {
			if err := s.lock(ctx, id); err != nil {
				return err
			}
			a, err = s.gradeByID(ctx, id)
			return err
		})
		if err != nil {
			return Review{}, err
		}
	}
	if err := s.withStanding(ctx, &a); err != nil {
		return Review{}, err
	}
	r := Review{Attempt: a, Author: author}
	if a.Status == StatusGraded {
		r.Reveal = author || MayReveal(a.Settings.Review, a.Standing)
		info, err := s.courses.Learner(ctx, a.UserID, a.CourseID)
		if err != nil && !web.IsKind(err, web.KindNotFound) {
			return Review{}, err
		}
		if a.Passed && a.Settings.Kind == KindFinal && a.CertificateID == "" && err == nil && !info.CompletedLessons {
			r.Standing.CertificatePending = CertificateWaitsForLessons
		}
		r.Lessons = LessonLinks(a.Form, info.Lessons, a.Settings.LessonTags)
	}
	return r, nil
}

// LessonLinks maps each question to the lesson to re-read: a tag
// "lesson:N" (the N-th lesson of the course in reading order, counting
// from 1) or "lesson:ID", else a tag the assessment's lessonTags maps to a
// lesson id. It is a pure function.
func LessonLinks(form []Question, lessons []LessonRef, lessonTags map[string]string) map[string]LessonRef {
	out := map[string]LessonRef{}
	for _, q := range form {
		for _, t := range q.Tags {
			ref, ok := strings.CutPrefix(strings.ToLower(t), "lesson:")
			if !ok {
				if id, mapped := lessonTags[t]; mapped {
					if i := slices.IndexFunc(lessons, func(l LessonRef) bool { return l.ID == id }); i >= 0 {
						out[q.ID] = lessons[i]
					}
				}
				continue
			}
			if n, err := strconv.Atoi(ref); err == nil && n >= 1 && n <= len(lessons) {
				out[q.ID] = lessons[n-1]
				break
			}
			if i := slices.IndexFunc(lessons, func(l LessonRef) bool { return strings.EqualFold(l.ID, ref) }); i >= 0 {
				out[q.ID] = lessons[i]
				break
			}
		}
	}
	return out
}

// keepResponses checks rs against the attempt's form, saves them to
// attempt id stamped now and puts them in a.Answers.
func (s *Service) keepResponses(ctx context.Context, a *Attempt, id string, rs []Response, now time.Time) error {
	if err := validateResponses(a.Form, rs); err != nil {
		return err
	}
	if err := s.store.SaveAnswers(ctx, id, rs, now); err != nil {
		return err
	}
	for _, r := range rs {
		a.Answers[r.QuestionID] = r
	}
	return nil
}
