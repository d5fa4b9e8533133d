package courses

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"skillgate/app/web"
)

// Handler is the courses HTTP edge.
type Handler struct {
	svc *Service
}

// NewHandler returns the edge.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

// Mount registers the routes on the /api/v1 router.
func (h *Handler) Mount(api fiber.Router, g web.Guard) {
	api.Get("/courses", g.Optional(), h.list)
	api.Post("/courses", g.Require(web.RoleTrainer), h.create)
	api.Get("/courses/:id", g.Optional(), h.get)
	api.Patch("/courses/:id", g.Require(web.RoleTrainer), h.update)
	api.Post("/courses/:id/modules", g.Require(web.RoleTrainer), h.addModule)
	api.Post("/courses/:id/publish", g.Require(web.RoleTrainer), h.publish)
	api.Post("/courses/:id/endorse", g.Require(web.RoleAdmin), h.endorse)
	api.Post("/courses/:id/enrollments", g.Require(web.RoleLearner), h.enroll)
	api.Get("/courses/:id/package", g.Require(), h.pkg)
	api.Get("/courses/:id/images/:name", h.image)
	api.Post("/modules/:id/lessons", g.Require(web.RoleTrainer), h.addLesson)
	api.Get("/lessons/:id", g.Require(), h.lesson)
	api.Post("/lessons/:id/complete", g.Require(web.RoleLearner), h.complete)
	api.Get("/me/enrollments", g.Require(web.RoleLearner), h.myEnrollments)
	h.mountEditing(api, g)
}

// LessonRef is a lesson as listed in a course.
type LessonRef struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Position int    `json:"position"`
}

// ModuleResponse is a module with its lesson titles.
type ModuleResponse struct {
	ID       string      `json:"id"`
	Title    string      `json:"title"`
	Position int         `json:"position"`
	Lessons  []LessonRef `json:"lessons"`
}

// CourseHead is the part of a course shared by its answers.
type CourseHead struct {
	ID                      string   `json:"id"`
	Slug                    string   `json:"slug"`
	Title                   string   `json:"title"`
	Summary                 string   `json:"summary"`
	Language                string   `json:"language"`
	Tags                    []string `json:"tags"`
	Status                  Status   `json:"status"`
	Version                 int      `json:"version"`
	EstimatedMinutes        int      `json:"estimated_minutes"`
	CertificateValidityDays *int     `json:"certificate_validity_days,omitempty"`
	// Endorsed says an admin endorsed the course for the catalogue (built-in
	// courses always are); given on reads, where it is looked up.
	Endorsed *bool `json:"endorsed,omitempty"`
}

// publishedHead is the head of a published version.
func publishedHead(v Version) CourseHead {
	s := v.Snapshot
	return CourseHead{ID: v.CourseID, Slug: v.Slug, Title: s.Title, Summary: s.Summary, Language: s.Language,
		Tags: nonNil(s.Tags), Status: StatusPublished, Version: v.Number, EstimatedMinutes: s.EstimatedMinutes,
		CertificateValidityDays: validity(s.CertificateValidityDays)}
}

// CourseResponse is the contract's course object.
type CourseResponse struct {
	CourseHead
	Modules []ModuleResponse `json:"modules"`
}

func modulesResponse(mods []Module) []ModuleResponse {
	out := make([]ModuleResponse, len(mods))
	for i, m := range mods {
		refs := make([]LessonRef, len(m.Lessons))
		for j, l := range m.Lessons {
			refs[j] = LessonRef{ID: l.ID, Title: l.Title, Position: l.Position}
		}
		out[i] = ModuleResponse{ID: m.ID, Title: m.Title, Position: m.Position, Lessons: refs}
	}
	return out
}

func validity(days int) *int {
	if days == 0 {
		return nil
	}
	return &days
}

func courseResponse(c Course) CourseResponse {
	return CourseResponse{CourseHead: CourseHead{ID: c.ID, Slug: c.Slug, Title: c.Title, Summary: c.Summary, Language: c.Language,
		Tags: nonNil(c.Tags), Status: c.Status(), Version: c.Version, EstimatedMinutes: c.EstimatedMinutes,
		CertificateValidityDays: validity(c.CertificateValidityDays)}, Modules: modulesResponse(c.Modules)}
}

func viewResponse(v View) CourseResponse {
	var out CourseResponse
	if v.Version == nil {
		out = courseResponse(v.Course)
	} else {
		out = CourseResponse{CourseHead: publishedHead(*v.Version), Modules: modulesResponse(v.Version.Snapshot.Modules)}
	}
	endorsed := v.Endorsed
	out.Endorsed = &endorsed
	return out
}

func (h *Handler) list(c *fiber.Ctx) error {
	page, err := web.ParsePage(c)
	if err != nil {
		return err
	}
	f := CatalogueFilter{Query: strings.TrimSpace(c.Query("q")), Language: c.Query("language"), Tag: c.Query("tag")}
	if len(f.Query) > 200 {
		return web.BadRequest("q must be at most 200 characters")
	}
	p := web.CallerPtr(c)
	if p != nil && p.CanAuthor() {
		// Authors also see their drafts: answered from the database.
		list, err := h.svc.Catalogue(c.UserContext(), p, f, page)
		if err != nil {
			return err
		}
		return c.JSON(web.MapList(list, viewResponse))
	}
	// Everyone else sees the same answer for the same question, encoded
	// once until a course changes.
	answers := h.svc.store.caches.catalogues
	key := strings.Join([]string{strconv.Itoa(page.Limit), page.After, f.Query, f.Language, f.Tag}, "\x00")
	gen := answers.Generation()
	body, ok := answers.Get(key)
	if !ok {
		list, err := h.svc.Catalogue(c.UserContext(), p, f, page)
		if err != nil {
			return err
		}
		plain, err := web.MarshalJSON(web.MapList(list, viewResponse))
		if err != nil {
			return err
		}
		body = web.Precompress(plain)
		answers.Put(gen, key, body)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	return body.Send(c)
}

type createRequest struct {
	Slug                    string   `json:"slug" validate:"required,max=100"`
	Title                   string   `json:"title" validate:"required,max=200"`
	Summary                 string   `json:"summary" validate:"max=2000"`
	Language                string   `json:"language" validate:"required,max=35"`
	Tags                    []string `json:"tags" validate:"max=20"`
	EstimatedMinutes        int      `json:"estimated_minutes"`
	CertificateValidityDays int      `json:"certificate_validity_days"`
}

func (h *Handler) create(c *fiber.Ctx) error {
	var req createRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	p, _ := web.Caller(c)
	course, err := h.svc.Create(c.UserContext(), p, NewCourse{Slug: req.Slug, Title: req.Title, Summary: req.Summary,
		Language: req.Language, Tags: req.Tags, EstimatedMinutes: req.EstimatedMinutes, CertificateValidityDays: req.CertificateValidityDays})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(courseResponse(course))
}

func (h *Handler) get(c *fiber.Ctx) error {
	v, err := h.svc.Get(c.UserContext(), web.CallerPtr(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(viewResponse(v))
}

type updateRequest struct {
	Slug                    *string   `json:"slug" validate:"omitempty,max=100"`
	Title                   *string   `json:"title" validate:"omitempty,max=200"`
	Summary                 *string   `json:"summary" validate:"omitempty,max=2000"`
	Language                *string   `json:"language" validate:"omitempty,max=35"`
	Tags                    *[]string `json:"tags"`
	EstimatedMinutes        *int      `json:"estimated_minutes"`
	CertificateValidityDays *int      `json:"certificate_validity_days"`
}

func (h *Handler) update(c *fiber.Ctx) error {
	var req updateRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	p, _ := web.Caller(c)
	course, err := h.svc.Update(c.UserContext(), p, c.Params("id"), CourseChange{Slug: req.Slug, Title: req.Title,
		Summary: req.Summary, Language: req.Language, Tags: req.Tags, EstimatedMinutes: req.EstimatedMinutes,
		CertificateValidityDays: req.CertificateValidityDays})
	if err != nil {
		return err
	}
	return c.JSON(courseResponse(course))
}

type moduleRequest struct {
	Title    string `json:"title" validate:"required,max=200"`
	Position *int   `json:"position"`
}

func (h *Handler) addModule(c *fiber.Ctx) error {
	var req moduleRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	p, _ := web.Caller(c)
	m, err := h.svc.AddModule(c.UserContext(), p, c.Params("id"), req.Title, req.Position)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(modulesResponse([]Module{m})[0])
}

type lessonRequest struct {
	Title        string `json:"title" validate:"required,max=200"`
	BodyMarkdown string `json:"body_markdown"`
	Position     *int   `json:"position"`
}

// LessonResponse is the contract's lesson object.
type LessonResponse struct {
	ID           string `json:"id"`
	Title        string `json:"title"`
	Position     int    `json:"position"`
	BodyMarkdown string `json:"body_markdown"`
	BodyHTML     string `json:"body_html"`
}

func lessonResponse(l Lesson) LessonResponse {
	return LessonResponse{ID: l.ID, Title: l.Title, Position: l.Position, BodyMarkdown: l.BodyMarkdown, BodyHTML: l.BodyHTML}
}

func (h *Handler) addLesson(c *fiber.Ctx) error {
	var req lessonRequest
	if err := web.Bind(c, &req); err != nil {
		return err
	}
	p, _ := web.Caller(c)
	l, err := h.svc.AddLesson(c.UserContext(), p, c.Params("id"), req.Title, req.BodyMarkdown, req.Position)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(lessonResponse(l))
}

func (h *Handler) lesson(c *fiber.Ctx) error {
	p, _ := web.Caller(c)
	cache := h.svc.store.caches.lessons
	gen := cache.Generation()
	l, err := h.svc.Lesson(c.UserContext(), p, c.Params("id"))
	if err != nil {
		return err
	}
	if p.CanAuthor() {
		// Authors may be reading a draft: encoded afresh.
		return c.JSON(lessonResponse(l))
	}
	// A learner's lesson is the published one, the same for every reader.
	body, ok := cache.Get(l.ID)
	if !ok {
		plain, err := web.MarshalJSON(lessonResponse(l))
		if err != nil {
			return err
		}
		body = web.Precompress(plain)
		cache.Put(gen, l.ID, body)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	return body.Send(c)
}

func (h *Handler) publish(c *fiber.Ctx) error {
	p, _ := web.Caller(c)
	course, err := h.svc.Publish(c.UserContext(), p, c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(courseResponse(course))
}

// EnrollmentResponse is the contract's enrollment object.
type EnrollmentResponse struct {
	ID              string `json:"id"`
	CourseID        string `json:"course_id"`
	CourseSlug      string `json:"course_slug"`
	ProgressPercent int    `json:"progress_percent"`
	// CompletedLessonIDs lets the course view mark the lessons done.
	CompletedLessonIDs []string   `json:"completed_lesson_ids"`
	Version            int        `json:"version"`
	CompletedAt        *time.Time `json:"completed_at"`
}

func enrollmentResponse(e Enrollment) EnrollmentResponse {
	return EnrollmentResponse{ID: e.ID, CourseID: e.CourseID, CourseSlug: e.CourseSlug, ProgressPercent: e.ProgressPercent,
		CompletedLessonIDs: nonNil(e.CompletedLessonIDs), Version: e.Version, CompletedAt: e.CompletedAt}
}

func (h *Handler) enroll(c *fiber.Ctx) error {
	p, _ := web.Caller(c)
	e, created, err := h.svc.Enroll(c.UserContext(), p, c.Params("id"))
	if err != nil {
		return err
	}
	status := fiber.StatusOK
	if created {
		status = fiber.StatusCreated
	}
	return c.Status(status).JSON(enrollmentResponse(e))
}

// ProgressResponse answers a lesson completion; certificate_id names the
// certificate a pass that waited for the lessons earned with the last one
// (contract v1.1), null otherwise.
type ProgressResponse struct {
	CourseID        string  `json:"course_id"`
	ProgressPercent int     `json:"progress_percent"`
	CertificateID   *string `json:"certificate_id"`
}

func (h *Handler) complete(c *fiber.Ctx) error {
	p, _ := web.Caller(c)
	done, err := h.svc.Complete(c.UserContext(), p, c.Params("id"))
	if err != nil {
		return err
	}
	out := ProgressResponse{CourseID: done.CourseID, ProgressPercent: done.ProgressPercent}
	if done.CertificateID != "" {
		id := done.CertificateID
		out.CertificateID = &id
	}
	return c.JSON(out)
}

func (h *Handler) myEnrollments(c *fiber.Ctx) error {
	page, err := web.ParsePage(c)
	if err != nil {
		return err
	}
	p, _ := web.Caller(c)
	list, err := h.svc.MyEnrollments(c.UserContext(), p, page)
	if err != nil {
		return err
	}
	return c.JSON(web.MapList(list, enrollmentResponse))
}

// PackageLesson is a lesson with its body, for offline reading.
type PackageLesson struct {
	ID           string `json:"id"`
	Title        string `json:"title"`
	Position     int    `json:"position"`
	BodyMarkdown string `json:"body_markdown"`
	BodyHTML     string `json:"body_html"`
}

// PackageModule is a module with whole lessons.
type PackageModule struct {
	ID       string          `json:"id"`
	Title    string          `json:"title"`
	Position int             `json:"position"`
	Lessons  []PackageLesson `json:"lessons"`
}

// PackageAssessment is an assessment's settings (never its questions).
type PackageAssessment struct {
	ID               string   `json:"id"`
	Title            string   `json:"title"`
	Kind             string   `json:"kind"`
	QuestionCount    int      `json:"question_count"`
	Tags             []string `json:"tags"`
	TimeLimitSeconds int      `json:"time_limit_seconds"`
	PassPercent      float64  `json:"pass_percent"`
	MaxAttempts      int      `json:"max_attempts"`
	CooldownSeconds  int      `json:"cooldown_seconds"`
}

// PackageResponse is a whole published course for offline use.
type PackageResponse struct {
	CourseHead
	PublishedAt time.Time           `json:"published_at"`
	Modules     []PackageModule     `json:"modules"`
	Assessments []PackageAssessment `json:"assessments"`
	// Images are the lessons' pictures, whole, so that a learner offline
	// sees them: each lesson's HTML refers to one by its url.
	Images []PackageImage `json:"images"`
}

// PackageImage is one picture in the offline package.
type PackageImage struct {
	Name        string `json:"name"`
	URL         string `json:"url"`
	ContentType string `json:"content_type"`
	SHA256      string `json:"sha256"`
	SVG         string `json:"svg"`
}

func packageResponse(v Version, images []Image) PackageResponse {
	s := v.Snapshot
	out := PackageResponse{CourseHead: publishedHead(v), PublishedAt: v.PublishedAt.UTC(),
		Modules: make([]PackageModule, len(s.Modules)), Assessments: make([]PackageAssessment, len(s.Assessments)),
		Images: make([]PackageImage, len(images))}
	for i, im := range images {
		out.Images[i] = PackageImage{Name: im.Name, URL: im.URL(v.Slug), ContentType: "image/svg+xml", SHA256: im.SHA256, SVG: string(im.SVG)}
	}
	for i, m := range s.Modules {
		pm := PackageModule{ID: m.ID, Title: m.Title, Position: m.Position, Lessons: make([]PackageLesson, len(m.Lessons))}
		for j, l := range m.Lessons {
			pm.Lessons[j] = PackageLesson{ID: l.ID, Title: l.Title, Position: l.Position, BodyMarkdown: l.BodyMarkdown, BodyHTML: l.BodyHTML}
		}
		out.Modules[i] = pm
	}
	for i, a := range s.Assessments {
		out.Assessments[i] = PackageAssessment{ID: a.ID, Title: a.Title, Kind: string(a.Kind), QuestionCount: a.QuestionCount, Tags: nonNil(a.Tags),
			TimeLimitSeconds: a.TimeLimitSeconds, PassPercent: a.PassPercent, MaxAttempts: a.MaxAttempts, CooldownSeconds: a.CooldownSeconds}
	}
	return out
}

// pkg serves the published course whole, with a strong ETag so that a
// learner on a weak connection downloads each version once.
func (h *Handler) pkg(c *fiber.Ctx) error {
	p, _ := web.Caller(c)
	courseID, number, err := h.svc.PackageAccess(c.UserContext(), p, c.Params("id"))
	if err != nil {
		return err
	}
	// Encoded once per course and version; the cache drops a course's
	// package when the bus says the course changed.
	packages := h.svc.store.caches.packages
	gen := packages.Generation()
	pk, ok := packages.Get(courseID)
	if !ok || pk.version != number {
		v, err := h.svc.PublishedVersion(c.UserContext(), courseID, number)
		if err != nil {
			return err
		}
		images, err := h.svc.CourseImages(c.UserContext(), courseID)
		if err != nil {
			return err
		}
		body, err := web.MarshalJSON(packageResponse(v, images))
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		pk = encodedPackage{version: number, body: web.Precompress(body), etag: `"` + hex.EncodeToString(sum[:16]) + `"`}
		packages.Put(gen, courseID, pk)
	}
	body, etag := pk.body, pk.etag
	c.Set(fiber.HeaderETag, etag)
	c.Set(fiber.HeaderCacheControl, "private, no-cache")
	if inm := c.Get(fiber.HeaderIfNoneMatch); inm != "" && etagMatches(inm, etag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	return body.Send(c)
}

// image serves a picture of a published course to anyone: lesson pages
// and offline readers load it without a token. The URL carries the
// picture's hash, so it is cached for a year; the SVG was checked at
// import, and the headers keep a browser that opens it directly from
// running anything in it.
func (h *Handler) image(c *fiber.Ctx) error {
	im, err := h.svc.PublicImage(c.UserContext(), c.Params("id"), c.Params("name"))
	if err != nil {
		return err
	}
	etag := `"` + im.SHA256[:32] + `"`
	c.Set(fiber.HeaderETag, etag)
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderContentSecurityPolicy, "default-src 'none'; style-src 'unsafe-inline'; sandbox")
	if inm := c.Get(fiber.HeaderIfNoneMatch); inm != "" && etagMatches(inm, etag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, "image/svg+xml")
	return c.Send(im.SVG)
}

// etagMatches applies If-None-Match's weak comparison (RFC 9110 13.1.2).
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}

// encodedPackage is a course's offline package as sent, for one version.
type encodedPackage struct {
	version int
	body    web.Precompressed
	etag    string
}
