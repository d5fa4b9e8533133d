package classes

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"skillgate/app/web"
)

// Handler is the classes HTTP edge.
type Handler struct {
	svc *Service
	// pdf renders cards; nil answers only JSON.
	pdf func(cards []Card) ([]byte, error)
}

// NewHandler returns the edge.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc, pdf: CardsPDF} }

// Mount registers the routes on the /api/v1 router. Trainers and admins
// only; a trainer sees only their own classes.
func (h *Handler) Mount(api fiber.Router, g web.Guard) {
	staff := g.Require(web.RoleTrainer)
	api.Post("/classes", staff, h.create)
	api.Get("/classes", staff, h.list)
	api.Get("/classes/:id", staff, h.get)
	api.Patch("/classes/:id", staff, h.update)
	api.Post("/classes/:id/learners", staff, h.addLearners)
	api.Get("/classes/:id/progress", staff, h.progress)
	api.Post("/classes/:id/cards", staff, h.cards)
}

// ClassResponse is the contract's class object.
type ClassResponse struct {
	ID           string             `json:"id"`
	Name         string             `json:"name"`
	TrainerID    string             `json:"trainer_id"`
	CourseIDs    []string           `json:"course_ids"`
	LearnerCount int                `json:"learner_count"`
	Locale       string             `json:"locale"`
	CreatedAt    time.Time          `json:"created_at"`
	Learners     *[]LearnerResponse `json:"learners,omitempty"` // only where one class is shown
}

// LearnerResponse is a learner as a class lists them.
type LearnerResponse struct {
	ID       string  `json:"id"`
	Name     string  `json:"name"`
	Username *string `json:"username"`
	Email    *string `json:"email"`
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func classResponse(c Class) ClassResponse {
	r := ClassResponse{ID: c.ID, Name: c.Name, TrainerID: c.TrainerID, CourseIDs: c.CourseIDs, LearnerCount: c.LearnerCount,
		Locale: c.Locale, CreatedAt: c.CreatedAt.UTC()}
	if r.CourseIDs == nil {
		r.CourseIDs = []string{}
	}
	if c.Learners != nil {
		list := make([]LearnerResponse, len(c.Learners))
		for i, l := range c.Learners {
			list[i] = LearnerResponse{ID: l.ID, Name: l.Name, Username: optional(l.Username), Email: optional(l.Email)}
		}
		r.Learners = &list
	}
	return r
}

type createRequest struct {
	Name      string   `json:"name" validate:"required,max=200"`
	CourseIDs []string `json:"course_ids" validate:"max=100,dive,max=200"`
	Locale    string   `json:"locale" validate:"omitempty,max=35"`
}

func (h *Handler) create(c *fiber.Ctx) error {
	var req createRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	p, _ := web.Caller(c)
	cl, err := h.svc.Create(c.UserContext(), p, NewClass{Name: req.Name, CourseIDs: req.CourseIDs, Locale: req.Locale})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(classResponse(cl))
}

func (h *Handler) list(c *fiber.Ctx) error {
	page, err := web.ParsePage(c)
	if err != nil {
		return err
	}
	p, _ := web.Caller(c)
	list, err := h.svc.List(c.UserContext(), p, page)
	if err != nil {
		return err
	}
	return c.JSON(web.MapList(list, classResponse))
}

func (h *Handler) get(c *fiber.Ctx) error {
	p, _ := web.Caller(c)
	cl, err := h.svc.Get(c.UserContext(), p, c.Params("id"))
	if err != nil {
		return err
	}
	if cl.Learners == nil {
		cl.Learners = []Learner{}
	}
	return c.JSON(classResponse(cl))
}

type updateRequest struct {
	Name      *string   `json:"name" validate:"omitempty,max=200"`
	CourseIDs *[]string `json:"course_ids" validate:"omitempty,max=100,dive,max=200"`
}

func (h *Handler) update(c *fiber.Ctx) error {
	var req updateRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	p, _ := web.Caller(c)
	cl, err := h.svc.Update(c.UserContext(), p, c.Params("id"), ClassChange{Name: req.Name, CourseIDs: req.CourseIDs})
	if err != nil {
		return err
	}
	return c.JSON(classResponse(cl))
}

type learnerRow struct {
	Name     string `json:"name"`
	Username string `json:"username"`
	Email    string `json:"email"`
	Locale   string `json:"locale"`
}

type learnersRequest struct {
	Learners []learnerRow `json:"learners"`
}

// UserResponse is the contract's user object for a learner a class added.
type UserResponse struct {
	ID             string  `json:"id"`
	Email          *string `json:"email"`
	Username       *string `json:"username"`
	Name           string  `json:"name"`
	Role           string  `json:"role"`
	Locale         string  `json:"locale"`
	OrganizationID *string `json:"organization_id"`
}

// AddedResponse is one learner of an addition: the user object, with the
// row's line, and the same object again under user (the contract writes
// the lists as [{user}]).
type AddedResponse struct {
	UserResponse
	Line int          `json:"line"`
	User UserResponse `json:"user"`
}

// AddLearnersResponse answers a bulk addition.
type AddLearnersResponse struct {
	Created  []AddedResponse `json:"created"`
	Existing []AddedResponse `json:"existing"`
}

func addedResponses(in []AddedLearner) []AddedResponse {
	out := make([]AddedResponse, len(in))
	for i, a := range in {
		l := a.Learner
		u := UserResponse{ID: l.ID, Email: optional(l.Email), Username: optional(l.Username), Name: l.Name, Role: l.Role, Locale: l.Locale}
		out[i] = AddedResponse{UserResponse: u, Line: a.Line, User: u}
	}
	return out
}

// addLearners takes {learners:[...]} as JSON, or text/csv with a header
// line naming the columns name, username, email and locale.
func (h *Handler) addLearners(c *fiber.Ctx) error {
	ct := strings.ToLower(strings.TrimSpace(string(c.Request().Header.ContentType())))
	var rows []NewLearner
	if strings.HasPrefix(ct, "text/csv") {
		var err error
		if rows, err = ParseCSV(c.Body()); err != nil {
			return err
		}
	} else {
		var req learnersRequest
		if err := web.Bind(c, &req); err != nil {
			return err
		}
		if req.Learners == nil {
			return rowsInvalid([]RowError{rowError(0, web.Required("learners"))})
		}
		rows = make([]NewLearner, len(req.Learners))
		for i, r := range req.Learners {
			rows[i] = NewLearner{Line: i + 1, Name: r.Name, Username: r.Username, Email: r.Email, Locale: r.Locale}
		}
	}
	p, _ := web.Caller(c)
	added, err := h.svc.AddLearners(c.UserContext(), p, c.Params("id"), rows)
	if err != nil {
		return err
	}
	return c.JSON(AddLearnersResponse{Created: addedResponses(added.Created), Existing: addedResponses(added.Existing)})
}

// csvColumns are the columns a learners CSV may have; others are ignored.
var csvColumns = []string{"name", "username", "email", "locale"}

// ParseCSV reads learner rows from CSV with a header line; each row keeps
// its line in the file (the header is line 1). A file that cannot be read
// as CSV, or has no name column, is a 422 naming the line. It reads at
// most MaxRows+1 rows, enough to say there are too many.
func ParseCSV(body []byte) ([]NewLearner, error) {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	r := csv.NewReader(bytes.NewReader(body))
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	header, err := r.Read()
	if err == io.EOF {
		return nil, rowsInvalid([]RowError{rowError(1, web.RuleCSVEmpty.On("name"))})
	}
	if err != nil {
		return nil, csvError(err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		for _, known := range csvColumns {
			if h == known {
				if _, dup := col[h]; !dup {
					col[h] = i
				}
			}
		}
	}
	if _, ok := col["name"]; !ok {
		return nil, rowsInvalid([]RowError{rowError(1, web.RuleCSVNoName.On("name"))})
	}
	var rows []NewLearner
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		line, _ := r.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return rec[i]
			}
			return ""
		}
		rows = append(rows, NewLearner{Line: line, Name: get("name"), Username: get("username"), Email: get("email"), Locale: get("locale")})
		if len(rows) > MaxRows {
			break
		}
	}
	return rows, nil
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		// The reader's two errors are said in the catalogues; any other
		// keeps the reader's English in its message.
		f := web.RuleCSVInvalidErr.On("", "Err", pe.Err.Error())
		switch {
		case errors.Is(pe.Err, csv.ErrBareQuote):
			f = web.RuleCSVBareQuote.On("")
		case errors.Is(pe.Err, csv.ErrQuote):
			f = web.RuleCSVQuote.On("")
		}
		return rowsInvalid([]RowError{rowError(pe.Line, f)})
	}
	return rowsInvalid([]RowError{rowError(0, web.RuleCSVInvalid.On(""))})
}

// ProgressCourse is one course of a learner's progress row.
type ProgressCourse struct {
	CourseID        string   `json:"course_id"`
	ProgressPercent int      `json:"progress_percent"`
	Attempts        int      `json:"attempts"`
	BestPercent     *float64 `json:"best_percent"`
	Passed          bool     `json:"passed"`
	CertificateID   *string  `json:"certificate_id"`
}

// TierResponse names a tier.
type TierResponse struct {
	ID   string `json:"id"`
	Slug string `json:"slug"`
	Name string `json:"name"`
}

// ProgressLearner is one learner's row.
type ProgressLearner struct {
	UserID   string           `json:"user_id"`
	Name     string           `json:"name"`
	Username *string          `json:"username"`
	Courses  []ProgressCourse `json:"courses"`
	Tier     *TierResponse    `json:"tier"`
}

// ProgressResponse is the class's progress table.
type ProgressResponse struct {
	Learners []ProgressLearner `json:"learners"`
}

func progressResponse(in []LearnerProgress) ProgressResponse {
	out := ProgressResponse{Learners: make([]ProgressLearner, len(in))}
	for i, lp := range in {
		row := ProgressLearner{UserID: lp.Learner.ID, Name: lp.Learner.Name, Username: optional(lp.Learner.Username),
			Courses: make([]ProgressCourse, len(lp.Courses))}
		for j, cp := range lp.Courses {
			row.Courses[j] = ProgressCourse{CourseID: cp.CourseID, ProgressPercent: cp.ProgressPercent, Attempts: cp.Attempts,
				BestPercent: cp.BestPercent, Passed: cp.Passed, CertificateID: optional(cp.CertificateID)}
		}
		if lp.Tier != nil {
			row.Tier = &TierResponse{ID: lp.Tier.ID, Slug: lp.Tier.Slug, Name: lp.Tier.Name}
		}
		out.Learners[i] = row
	}
	return out
}

func (h *Handler) progress(c *fiber.Ctx) error {
	p, _ := web.Caller(c)
	list, err := h.svc.Progress(c.UserContext(), p, c.Params("id"))
	if err != nil {
		return err
	}
	if wantsCSV(c) {
		c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="class-progress.csv"`)
		return c.Send(ProgressCSV(list))
	}
	return c.JSON(progressResponse(list))
}

func wantsCSV(c *fiber.Ctx) bool {
	return strings.Contains(strings.ToLower(c.Get(fiber.HeaderAccept)), "text/csv")
}

// ProgressCSV writes the progress table as CSV: one line per learner and course (a learner of a
// class without courses gets one line with the course columns empty).
func ProgressCSV(in []LearnerProgress) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"user_id", "name", "username", "course_id", "progress_percent", "attempts", "best_percent", "passed", "certificate_id", "tier"})
	for _, lp := range in {
		tier := ""
		if lp.Tier != nil {
			tier = lp.Tier.Slug
		}
		base := []string{lp.Learner.ID, cell(lp.Learner.Name), cell(lp.Learner.Username)}
		if len(lp.Courses) == 0 {
			_ = w.Write(append(base, "", "", "", "", "", "", tier))
		}
		for _, cp := range lp.Courses {
			best := ""
			if cp.BestPercent != nil {
				best = strconv.FormatFloat(*cp.BestPercent, 'f', -1, 64)
			}
			_ = w.Write(append(append([]string{}, base...), cp.CourseID, strconv.Itoa(cp.ProgressPercent), strconv.Itoa(cp.Attempts),
				best, strconv.FormatBool(cp.Passed), cp.CertificateID, tier))
		}
	}
	w.Flush()
	return buf.Bytes()
}

// cell keeps a spreadsheet from reading a name as a formula.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

type cardsRequest struct {
	LearnerIDs []string `json:"learner_ids" validate:"max=1000,dive,max=36"`
}

// CardResponse is one card as JSON.
type CardResponse struct {
	UserID    string  `json:"user_id"`
	Name      string  `json:"name"`
	Username  *string `json:"username"`
	Secret    string  `json:"secret"`
	Code      string  `json:"code"`
	SignInURL string  `json:"sign_in_url"`
}

// CardsResponse answers a card issue asked for as JSON.
type CardsResponse struct {
	Cards []CardResponse `json:"cards"`
}

// cards issues cards: a PDF to print unless JSON is asked for.
func (h *Handler) cards(c *fiber.Ctx) error {
	var req cardsRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	p, _ := web.Caller(c)
	list, err := h.svc.Cards(c.UserContext(), p, c.Params("id"), req.LearnerIDs)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	accept := strings.ToLower(c.Get(fiber.HeaderAccept))
	if strings.Contains(accept, "application/json") && !strings.Contains(accept, "application/pdf") {
		out := CardsResponse{Cards: make([]CardResponse, len(list))}
		for i, cd := range list {
			out.Cards[i] = CardResponse{UserID: cd.Learner.ID, Name: cd.Learner.Name, Username: optional(cd.Learner.Username),
				Secret: cd.Secret, Code: cd.Code, SignInURL: cd.SignInURL}
		}
		return c.JSON(out)
	}
	doc, err := h.pdf(list)
	if err != nil {
		return fmt.Errorf("classes: cards pdf: %w", err)
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="sign-in-cards.pdf"`)
	return c.Send(doc)
}
