package web

// Detail names a problem detail that is not about one field — a conflict,
// a rate limit — by its key in the message catalogues: a page says it in
// the reader's language, the API in the English of problemDetails.
type Detail string

// The details a page may show.
const (
	DetailRateLimited     Detail = "problem.rate_limited"
	DetailCourseSlugTaken Detail = "problem.course_slug_taken"
	DetailVersionRace     Detail = "problem.version_published_concurrently"
	DetailCourseRace      Detail = "problem.course_published_concurrently"
	DetailModuleNotEmpty  Detail = "problem.module_not_empty"
	DetailPackSlugTaken   Detail = "problem.pack_slug_taken"
	DetailBuiltInEndorsed Detail = "problem.built_in_endorsed"
	DetailClassChanged    Detail = "problem.class_changed"
	DetailLearnersRace    Detail = "problem.learners_taken_meanwhile"
	DetailEmailTaken      Detail = "problem.email_taken"
	DetailOwnAccount      Detail = "problem.own_account"
	DetailTierTaken       Detail = "problem.tier_taken"
	DetailAlreadyRevoked  Detail = "problem.already_revoked"
)

// problemDetails is the English of every detail: what the API's problem
// document says and, word for word, what the English catalogue says (a
// test in app/i18n compares them). The text is a go-i18n template, like a
// field rule's.
var problemDetails = map[Detail]string{
	DetailRateLimited:     "too many requests; try again later",
	DetailCourseSlugTaken: "a course with this slug already exists",
	DetailVersionRace:     "this version was published concurrently",
	DetailCourseRace:      "the course was published concurrently",
	DetailModuleNotEmpty:  "the module still holds {{.Count}} lesson(s): move or delete them first",
	DetailPackSlugTaken:   "the slug {{.Slug}} is taken by another course",
	DetailBuiltInEndorsed: "a built-in course is the platform's own and stays endorsed",
	DetailClassChanged:    "the class changed while the learners were being added; try again",
	DetailLearnersRace:    "a username or email was taken while the learners were being added; try again",
	DetailEmailTaken:      "an account with this email already exists",
	DetailOwnAccount:      "an admin cannot disable or demote their own account",
	DetailTierTaken:       "a tier with this slug or rank already exists",
	DetailAlreadyRevoked:  "the certificate is already revoked",
}

// ProblemDetails returns every detail's English template, by key, for the
// test that keeps the catalogues holding them.
func ProblemDetails() map[string]string { return detailEnglish.ByKey() }

// As is the detail as an error of kind k. args are pairs of names and
// values, as the catalogues take them ("Count", 3).
func (d Detail) As(k Kind, args ...any) *Error {
	return &Error{Kind: k, Message: detailEnglish.Fill(d, said(args)...), Key: string(d), Args: args}
}

// Conflict is the detail as a conflict.
func (d Detail) Conflict(args ...any) *Error { return d.As(KindConflict, args...) }
