package web

import "strings"

// Rule names a field message by its key in the message catalogues
// (app/i18n/locales): a page says it in the reader's language, the API in
// the English of fieldRules.
type Rule string

// The rules that recur across domains have constructors below; the rest
// are messages one domain says, named here so that their English, like
// every other field message's, is written once.
const (
	RuleRequired          Rule = "field.required"
	RuleRequiredUpTo      Rule = "field.required_up_to"
	RuleBlank             Rule = "field.blank"
	RuleTooLong           Rule = "field.too_long"
	RuleTooLongBytes      Rule = "field.too_long_bytes"
	RuleTooShort          Rule = "field.too_short"
	RuleTooMany           Rule = "field.too_many"
	RuleTooFew            Rule = "field.too_few"
	RuleAtLeast           Rule = "field.at_least"
	RuleAtMost            Rule = "field.at_most"
	RuleGreaterThan       Rule = "field.greater_than"
	RuleAboveAtMost       Rule = "field.above_at_most"
	RuleBetween           Rule = "field.between"
	RuleEachBetween       Rule = "field.each_between"
	RuleNegative          Rule = "field.negative"
	RuleOneOf             Rule = "field.one_of"
	RuleEither            Rule = "field.either"
	RuleEmail             Rule = "field.email"
	RuleURL               Rule = "field.url"
	RuleSlug              Rule = "field.slug"
	RuleLocale            Rule = "field.locale"
	RuleInvalid           Rule = "field.invalid"
	RuleInvalidTag        Rule = "field.invalid_tag"
	RuleControlChars      Rule = "field.control_chars"
	RuleBidiControls      Rule = "field.bidi_controls"
	RuleNotUTF8           Rule = "field.not_utf8"
	RulePositiveInteger   Rule = "field.positive_integer"
	RuleTypeString        Rule = "field.type_string"
	RuleTypeBoolean       Rule = "field.type_boolean"
	RuleTypeInteger       Rule = "field.type_integer"
	RuleTypeNumber        Rule = "field.type_number"
	RuleTypeArray         Rule = "field.type_array"
	RuleTypeObject        Rule = "field.type_object"
	RuleTypeOther         Rule = "field.type_other"
	RuleKeyReused         Rule = "field.key_reused"
	RuleFileTooLarge      Rule = "field.file_too_large"
	RuleNotCSV            Rule = "field.not_csv"
	RuleMaxCourses        Rule = "field.max_courses"
	RuleMaxCertificates   Rule = "field.max_certificates"
	RuleMaxItems          Rule = "field.max_items"
	RuleNoPublishedCourse Rule = "field.no_published_course"
	RuleNotClassLearner   Rule = "field.not_class_learner"
	RuleNoOrganization    Rule = "field.no_organization"
	RuleEmployerNeedsOrg  Rule = "field.employer_needs_org"
	RuleEmployerNoOrg     Rule = "field.employer_without_org"
	RuleUsername          Rule = "field.username"
	RulePasswordCommon    Rule = "field.password_common"
	RulePasswordTrivial   Rule = "field.password_trivial"
	RulePasswordEmail     Rule = "field.password_email"
	RulePasswordOnEmail   Rule = "field.password_on_email"
	RulePasswordOnName    Rule = "field.password_on_name"
	RulePasswordWeak      Rule = "field.password_weak"
	RuleCategory          Rule = "field.category"
	RuleNotCertificate    Rule = "field.not_certificate"
	RuleOneHolder         Rule = "field.one_holder"
	RuleCourseSlug        Rule = "field.course_slug"
	RuleSlugFrozen        Rule = "field.slug_frozen"
	RuleNeedsLesson       Rule = "field.needs_lesson"
	RuleTagForm           Rule = "field.tag_form"
	RuleModuleOfCourse    Rule = "field.module_of_course"
	RuleModuleSameCourse  Rule = "field.module_same_course"
	RulePackTooLarge      Rule = "field.pack_too_large"
	RulePackNotZip        Rule = "field.pack_not_zip"
	RulePackTooManyFiles  Rule = "field.pack_too_many_files"
	RulePackUnsafePath    Rule = "field.pack_unsafe_path"
	RulePackUnzipsLarge   Rule = "field.pack_unzips_large"
	RulePackNoCourse      Rule = "field.pack_no_course"
	RuleTagLength         Rule = "field.tag_length"
	RuleOptionsChoice     Rule = "field.options_choice_only"
	RuleAnswerShortText   Rule = "field.answer_short_text_only"
	RuleValuesNumeric     Rule = "field.values_numeric_only"
	RuleLessonTags        Rule = "field.lesson_tags"
	RuleAnswerType        Rule = "field.answer_type"
	RuleBankShort         Rule = "field.bank_short"
	RuleBankShortTags     Rule = "field.bank_short_tags"
	RuleInAssessment      Rule = "field.in_assessment"
	RuleNotInAttempt      Rule = "field.not_in_attempt"
	RuleAnsweredTwice     Rule = "field.answered_twice"
	RuleChoiceByOptions   Rule = "field.choice_by_options"
	RuleTooManyOptions    Rule = "field.too_many_options"
	RuleForeignOption     Rule = "field.foreign_option"
	RuleOptionsForChoice  Rule = "field.option_ids_choice_only"
	RuleOptionCount       Rule = "field.option_count"
	RuleWeightSign        Rule = "field.weight_sign"
	RuleWeightSingle      Rule = "field.weight_single"
	RuleNoCorrect         Rule = "field.no_correct"
	RuleOneCorrect        Rule = "field.one_correct"
	RuleValueTolerance    Rule = "field.value_tolerance"
	RuleAcceptedNeeded    Rule = "field.accepted_needed"
	RuleWeightedAnswer    Rule = "field.weighted_answer"
	RuleTrueFalse         Rule = "field.true_false"
	RuleItemCount         Rule = "field.item_count"
	RuleWebhookURL        Rule = "field.webhook_url"
	RuleHostUnresolved    Rule = "field.host_unresolved"
	RuleURLPrivate        Rule = "field.url_private"
	RuleURLOwn            Rule = "field.url_own"
	// A field of a question a GIFT file brings, or of a course pack's
	// course.yaml, named as the file names it.
	RuleQuestionField Rule = "field.question_field"
	// The files of a course pack a trainer uploads.
	RulePackUnreadable    Rule = "field.pack_unreadable"
	RulePackFileEmpty     Rule = "field.pack_file_empty"
	RulePackYAMLSyntax    Rule = "field.pack_yaml_syntax"
	RulePackYAMLField     Rule = "field.pack_yaml_field"
	RulePackYAMLType      Rule = "field.pack_yaml_type"
	RulePackLessonName    Rule = "field.pack_lesson_name"
	RulePackNoFrontMatter Rule = "field.pack_no_front_matter"
	RulePackFrontOpen     Rule = "field.pack_front_matter_open"
	RulePackFrontFields   Rule = "field.pack_front_matter_fields"
	RulePackNoLessons     Rule = "field.pack_no_lessons"
	RulePackImageName     Rule = "field.pack_image_name"
	RulePackImageUnsafe   Rule = "field.pack_image_unsafe"
	RulePackImageMissing  Rule = "field.pack_image_missing"
	RulePackSlugTaken     Rule = "field.pack_slug_taken"
	RulePackLessonTag     Rule = "field.pack_lesson_tag"
	// The rows of a class's learners file.
	RuleLearnersNone  Rule = "field.learners_none"
	RuleLearnersMax   Rule = "field.learners_max"
	RuleRepeatsLine   Rule = "field.repeats_line"
	RuleOtherLearner  Rule = "field.email_other_learner"
	RuleNamedTwice    Rule = "field.learner_named_twice"
	RuleTakenByOther  Rule = "field.taken_by_other"
	RuleCSVEmpty      Rule = "field.csv_empty"
	RuleCSVNoName     Rule = "field.csv_no_name"
	RuleCSVInvalid    Rule = "field.csv_invalid"
	RuleCSVInvalidErr Rule = "field.csv_invalid_err"
	RuleCSVBareQuote  Rule = "field.csv_bare_quote"
	RuleCSVQuote      Rule = "field.csv_quote"
)

// fieldRules is the English of every field message: what the API says
// and, word for word, what the English catalogue says (a test in app/i18n
// compares them). The text is a go-i18n template: {{.Max}} is the value
// passed as "Max".
var fieldRules = map[Rule]string{
	RuleRequired:          "is required",
	RuleRequiredUpTo:      "is required (at most {{.Max}} characters)",
	RuleBlank:             "must not be blank",
	RuleTooLong:           "must be at most {{.Max}} characters",
	RuleTooLongBytes:      "must be at most {{.Max}} bytes",
	RuleTooShort:          "must be at least {{.Min}} characters",
	RuleTooMany:           "must have at most {{.Max}} items",
	RuleTooFew:            "must have at least {{.Min}} items",
	RuleAtLeast:           "must be at least {{.Min}}",
	RuleAtMost:            "must be at most {{.Max}}",
	RuleGreaterThan:       "must be greater than {{.Min}}",
	RuleAboveAtMost:       "must be greater than {{.Min}} and at most {{.Max}}",
	RuleBetween:           "must be between {{.Min}} and {{.Max}}",
	RuleEachBetween:       "each entry must be between {{.Min}} and {{.Max}}",
	RuleNegative:          "must not be negative",
	RuleOneOf:             "must be one of: {{.Choices}}",
	RuleEither:            "send either {{.A}} or {{.B}}",
	RuleEmail:             "must be an email address",
	RuleURL:               "must be a URL",
	RuleSlug:              "must be lowercase letters, digits and single hyphens",
	RuleLocale:            "must be a language tag such as en or hi",
	RuleInvalid:           "is not valid",
	RuleInvalidTag:        "is not valid ({{.Tag}})",
	RuleControlChars:      "must not contain control characters",
	RuleBidiControls:      "must not contain bidirectional control characters",
	RuleNotUTF8:           "must be valid UTF-8 text",
	RulePositiveInteger:   "must be a positive integer",
	RuleTypeString:        "must be a string",
	RuleTypeBoolean:       "must be a boolean",
	RuleTypeInteger:       "must be an integer",
	RuleTypeNumber:        "must be a number",
	RuleTypeArray:         "must be an array",
	RuleTypeObject:        "must be an object",
	RuleTypeOther:         "must be of another type",
	RuleKeyReused:         "was used with a different request body",
	RuleFileTooLarge:      "at most {{.MiB}} MiB",
	RuleNotCSV:            "is not CSV",
	RuleMaxCourses:        "at most {{.Max}} courses",
	RuleMaxCertificates:   "at most {{.Max}} certificates",
	RuleMaxItems:          "at most {{.Max}} items",
	RuleNoPublishedCourse: "no such published course",
	RuleNotClassLearner:   "is not a learner of this class",
	RuleNoOrganization:    "no such organization",
	RuleEmployerNeedsOrg:  "is required for an employer",
	RuleEmployerNoOrg:     "an employer must belong to an organization",
	RuleUsername:          "must be {{.Min}} to {{.Max}} characters of a-z, 0-9, dot, underscore or dash",
	RulePasswordCommon:    "is one of the most common passwords; choose another",
	RulePasswordTrivial:   "is one repeated character or a simple sequence; choose another",
	RulePasswordEmail:     "must not contain your email address",
	RulePasswordOnEmail:   "must not be built on your email address",
	RulePasswordOnName:    "must not be built on your name",
	RulePasswordWeak:      "is too easy to guess; add more words or characters",
	RuleCategory:          "must be one of {{.Choices}}",
	RuleNotCertificate:    "is not a valid certificate",
	RuleOneHolder:         "all certificates must belong to one holder",
	RuleCourseSlug:        "must be a course slug",
	RuleSlugFrozen:        "cannot change once published: certificates name it",
	RuleNeedsLesson:       "a course needs at least one lesson",
	RuleTagForm:           "each tag must be lowercase letters, digits and hyphens",
	RuleModuleOfCourse:    "must name a module of the course",
	RuleModuleSameCourse:  "must name a module of the same course",
	RulePackTooLarge:      "the zip is larger than {{.MiB}} MiB",
	RulePackNotZip:        "not a zip file: {{.Err}}",
	RulePackTooManyFiles:  "the zip has more than {{.Max}} files",
	RulePackUnsafePath:    "unsafe path in the zip: {{.Path}}",
	RulePackUnzipsLarge:   "the zip unpacks to more than {{.MiB}} MiB",
	RulePackNoCourse:      "no course.yaml at the top of the zip or in its one folder",
	RuleTagLength:         "each tag must be {{.Min}} to {{.Max}} characters",
	RuleOptionsChoice:     "only choice questions have options",
	RuleAnswerShortText:   "allow_typo and weighted answers are for short_text questions",
	RuleValuesNumeric:     "only numeric questions have further values",
	RuleLessonTags:        "maps tags of {{.Min}} to {{.Max}} characters to lesson ids",
	RuleAnswerType:        "has the wrong type for this question",
	RuleBankShort:         "asks for {{.Asked}} questions but the question bank has only {{.Have}}",
	RuleBankShortTags:     "asks for {{.Asked}} questions but the question bank has, with the tags {{.Tags}}, only {{.Have}}",
	RuleInAssessment:      "{{.Title}} {{.Field}} {{.Message}}",
	RuleNotInAttempt:      "is not a question of this attempt",
	RuleAnsweredTwice:     "is answered twice",
	RuleChoiceByOptions:   "choice questions are answered with option_ids",
	RuleTooManyOptions:    "names more options than the question has",
	RuleForeignOption:     "names an option that is not one of this question in this attempt",
	RuleOptionsForChoice:  "only choice questions take option_ids",
	RuleOptionCount:       "must have {{.Min}} to {{.Max}} options",
	RuleWeightSign:        "must be positive exactly when the option is correct",
	RuleWeightSingle:      "must be 100 exactly when the option is the correct one",
	RuleNoCorrect:         "no option is marked correct",
	RuleOneCorrect:        "a single_choice question must have exactly one correct option",
	RuleValueTolerance:    "needs a number and a tolerance that is not negative",
	RuleAcceptedNeeded:    "must list at least one accepted answer",
	RuleWeightedAnswer:    "needs a text and a weight from 0 (feedback only) to 100",
	RuleTrueFalse:         "must be true or false",
	RuleItemCount:         "must have {{.Min}} to {{.Max}} items",
	RuleWebhookURL:        "must be an absolute http or https URL without credentials",
	RuleHostUnresolved:    "the host does not resolve",
	RuleURLPrivate:        "the URL resolves to an address outside global unicast (loopback, private, reserved or special-purpose)",
	RuleURLOwn:            "the URL resolves to an address of this server",
	RuleQuestionField:     "{{.Field}} {{.Message}}",
	// A course pack's files; a line, where known, is said beside the file.
	RulePackUnreadable:    "cannot be read: {{.Err}}",
	RulePackFileEmpty:     "the file is empty",
	RulePackYAMLSyntax:    "is not valid YAML: {{.Err}}",
	RulePackYAMLField:     "{{.Name}} is not a setting of course.yaml",
	RulePackYAMLType:      "has a value of the wrong type: {{.Err}}",
	RulePackLessonName:    "name must be NN-name.md",
	RulePackNoFrontMatter: "missing front matter",
	RulePackFrontOpen:     "front matter is not closed with ---",
	RulePackFrontFields:   "front matter needs module and title",
	RulePackNoLessons:     "no lessons",
	RulePackImageName:     "name must be lowercase-words.svg",
	RulePackImageUnsafe:   "is not a safe SVG picture: {{.Err}}",
	RulePackImageMissing:  "images/{{.Name}} is not in the pack",
	RulePackSlugTaken:     "the slug {{.Slug}} is taken by another course: choose another slug",
	RulePackLessonTag:     "assessment {{.Title}}: lesson_tags: {{.Tag}} names lessons/{{.File}}.md, which the pack does not have",
	// The rows of a class's learners file; the two CSV reader errors are
	// encoding/csv's own words.
	RuleLearnersNone:  "name at least one learner",
	RuleLearnersMax:   "at most {{.Max}} learners at a time; split the list",
	RuleRepeatsLine:   "repeats line {{.Line}}",
	RuleOtherLearner:  "belongs to another learner than the username",
	RuleNamedTwice:    "names a learner another row names too",
	RuleTakenByOther:  "is taken by another account",
	RuleCSVEmpty:      "the file is empty: the first line must name the columns (name, username, email, locale)",
	RuleCSVNoName:     "the first line must name the columns, with a name column",
	RuleCSVInvalid:    "is not valid CSV",
	RuleCSVInvalidErr: "is not valid CSV: {{.Err}}",
	RuleCSVBareQuote:  `is not valid CSV: bare " in non-quoted-field`,
	RuleCSVQuote:      `is not valid CSV: extraneous or missing " in quoted-field`,
}

// FieldRules returns every rule's English template, by key, for the test
// that keeps the catalogues holding them.
func FieldRules() map[string]string { return fieldEnglish.ByKey() }

// On says the rule of field. args are pairs of names and values, as the
// catalogues take them ("Max", 200); a value that is itself a FieldError
// (a message about a part) is said in full.
func (r Rule) On(field string, args ...any) FieldError {
	return FieldError{Field: field, Message: r.english(args), Key: string(r), Args: args}
}

// english fills the rule's English template (see english.Table.Fill).
func (r Rule) english(args []any) string { return fieldEnglish.Fill(r, said(args)...) }

// Required says a field must be given.
func Required(field string) FieldError { return RuleRequired.On(field) }

// RequiredUpTo says a field must be given, in at most max characters.
func RequiredUpTo(field string, max int) FieldError { return RuleRequiredUpTo.On(field, "Max", max) }

// Blank says a field holds only spaces.
func Blank(field string) FieldError { return RuleBlank.On(field) }

// TooLong says a text has more than max characters.
func TooLong(field string, max int) FieldError { return RuleTooLong.On(field, "Max", max) }

// TooLongBytes says a text has more than max bytes.
func TooLongBytes(field string, max int) FieldError { return RuleTooLongBytes.On(field, "Max", max) }

// TooShort says a text has fewer than min characters.
func TooShort(field string, min int) FieldError { return RuleTooShort.On(field, "Min", min) }

// TooMany says a list has more than max items.
func TooMany(field string, max int) FieldError { return RuleTooMany.On(field, "Max", max) }

// TooFew says a list has fewer than min items.
func TooFew(field string, min int) FieldError { return RuleTooFew.On(field, "Min", min) }

// AtLeast says a number is below min.
func AtLeast(field string, min any) FieldError { return RuleAtLeast.On(field, "Min", min) }

// AtMost says a number is above max.
func AtMost(field string, max any) FieldError { return RuleAtMost.On(field, "Max", max) }

// GreaterThan says a number must exceed min.
func GreaterThan(field string, min any) FieldError { return RuleGreaterThan.On(field, "Min", min) }

// AboveAtMost says a number must exceed min and not exceed max.
func AboveAtMost(field string, min, max any) FieldError {
	return RuleAboveAtMost.On(field, "Min", min, "Max", max)
}

// Between says a number must lie in [min, max].
func Between(field string, min, max any) FieldError {
	return RuleBetween.On(field, "Min", min, "Max", max)
}

// EachBetween says every number of a list must lie in [min, max].
func EachBetween(field string, min, max any) FieldError {
	return RuleEachBetween.On(field, "Min", min, "Max", max)
}

// Negative says a number must not be below zero.
func Negative(field string) FieldError { return RuleNegative.On(field) }

// OneOf says a value must be one of choices.
func OneOf(field string, choices ...string) FieldError {
	return RuleOneOf.On(field, "Choices", strings.Join(choices, ", "))
}

// Either says exactly one of two fields must be sent.
func Either(field, a, b string) FieldError { return RuleEither.On(field, "A", a, "B", b) }

// NotEmail says a value is not an email address.
func NotEmail(field string) FieldError { return RuleEmail.On(field) }

// NotURL says a value is not a URL.
func NotURL(field string) FieldError { return RuleURL.On(field) }

// NotSlug says a value is not a slug.
func NotSlug(field string) FieldError { return RuleSlug.On(field) }

// NotLocale says a value is not a language tag.
func NotLocale(field string) FieldError { return RuleLocale.On(field) }

// NotValid says a value is wrong in a way no other rule names.
func NotValid(field string) FieldError { return RuleInvalid.On(field) }

// ControlChars says a text holds control characters.
func ControlChars(field string) FieldError { return RuleControlChars.On(field) }

// typeRule names the JSON type a field must have, as jsonTypeName does.
func typeRule(name string) Rule {
	switch name {
	case "a string":
		return RuleTypeString
	case "a boolean":
		return RuleTypeBoolean
	case "an integer":
		return RuleTypeInteger
	case "a number":
		return RuleTypeNumber
	case "an array":
		return RuleTypeArray
	case "an object":
		return RuleTypeObject
	}
	return RuleTypeOther
}
