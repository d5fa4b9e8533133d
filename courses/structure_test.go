package courses_test

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"skillgate/assessments/gift"
	"skillgate/courses"
	"skillgate/courses/packs"
)

// shape counts a question bank's questions by category and type, lists
// their ids (the first word of each title, such as "DCE-07") and names the
// questions that have no explanation.
func shape(p courses.Pack) (counts map[string]int, ids, unexplained []string, errs []gift.Error) {
	qs, errs := gift.Parse(p.QuestionsGIFT)
	counts = map[string]int{}
	for _, q := range qs {
		counts[fmt.Sprintf("%s/%s", strings.Join(q.Tags, ","), q.Type)]++
		id, _, _ := strings.Cut(q.Title, " ")
		ids = append(ids, id)
		if !explained(q) {
			unexplained = append(unexplained, fmt.Sprintf("%q (line %d)", q.Title, q.Line))
		}
	}
	return counts, ids, unexplained, errs
}

func bankShape(t *testing.T, p courses.Pack) (map[string]int, []string) {
	t.Helper()
	counts, ids, unexplained, errs := shape(p)
	if len(errs) > 0 {
		t.Fatalf("%s: questions.gift: %v", p.Meta.Slug, errs)
	}
	for _, q := range unexplained {
		t.Errorf("%s: question %s has no explanation", p.Meta.Slug, q)
	}
	return counts, ids
}

// explained reports whether a learner who got the question wrong is told
// why: a general feedback ("####..."), which the parser keeps as
// Explanation, or a feedback on every answer of a choice question.
func explained(q gift.Question) bool {
	if strings.TrimSpace(q.Explanation) != "" {
		return true
	}
	if len(q.Options) == 0 {
		return false
	}
	for _, o := range q.Options {
		if strings.TrimSpace(o.Feedback) == "" {
			return false
		}
	}
	return true
}

// Every pack that translates another has the same shape: the same lesson
// files (so a lesson maps to its original), the same number of questions
// by category (one per lesson) and type, and the same final settings apart
// from the title.
func TestTranslationsHaveTheOriginalsStructure(t *testing.T) {
	list, err := courses.ReadPacks(packs.FS, ".")
	if err != nil {
		t.Fatal(err)
	}
	bySlug := map[string]courses.Pack{}
	for _, p := range list {
		bySlug[p.Meta.Slug] = p
	}
	translations := 0
	for _, p := range list {
		t.Run(p.Meta.Slug, func(t *testing.T) {
			counts, _ := bankShape(t, p)
			if p.Meta.Translates == "" {
				return
			}
			translations++
			orig, ok := bySlug[p.Meta.Translates]
			if !ok {
				t.Fatalf("translates %q, which is not a built-in pack", p.Meta.Translates)
			}
			if orig.Meta.Translates != "" || orig.Meta.Language == p.Meta.Language {
				t.Fatalf("translates %s (language %s, itself translating %q)", orig.Meta.Slug, orig.Meta.Language, orig.Meta.Translates)
			}
			keys := func(p courses.Pack) []string {
				var out []string
				for _, l := range p.Lessons {
					out = append(out, l.Key)
				}
				return out
			}
			if a, b := keys(p), keys(orig); !slices.Equal(a, b) {
				t.Errorf("lessons %v, the original has %v", a, b)
			}
			modules := func(p courses.Pack) int {
				n, last := 0, ""
				for _, l := range p.Lessons {
					if l.Module != last {
						n, last = n+1, l.Module
					}
				}
				return n
			}
			if a, b := modules(p), modules(orig); a != b {
				t.Errorf("%d modules, the original has %d", a, b)
			}
			origCounts, _ := bankShape(t, orig)
			if !maps.Equal(counts, origCounts) {
				t.Errorf("questions by category/type %v, the original has %v", counts, origCounts)
			}
			if len(p.Meta.Assessments) != len(orig.Meta.Assessments) {
				t.Fatalf("%d assessments, the original has %d", len(p.Meta.Assessments), len(orig.Meta.Assessments))
			}
			for i := range p.Meta.Assessments {
				a, b := p.Meta.Assessments[i], orig.Meta.Assessments[i]
				// A translation sends learners to the same lessons as the
				// original, and may link a category the original has not
				// linked yet; titles are translated.
				for tag, lesson := range b.LessonTags {
					if a.LessonTags[tag] != lesson {
						t.Errorf("assessment %d: category %s goes to lesson %q, in the original to %q", i, tag, a.LessonTags[tag], lesson)
					}
				}
				for tag, lesson := range a.LessonTags {
					if !slices.Contains(keys(p), lesson) {
						t.Errorf("assessment %d: category %s goes to lesson %q, which the pack does not have", i, tag, lesson)
					}
				}
				a.Title, b.Title, a.LessonTags, b.LessonTags = "", "", nil, nil
				if !reflect.DeepEqual(a, b) {
					t.Errorf("assessment %d: %+v, the original has %+v", i, a, b)
				}
			}
			if p.Meta.CertificateValidityDays != orig.Meta.CertificateValidityDays {
				t.Errorf("certificate validity %d days, the original %d", p.Meta.CertificateValidityDays, orig.Meta.CertificateValidityDays)
			}
		})
	}
	// A Hindi-only learner can take every course: each original has a
	// Hindi translation.
	for _, p := range list {
		if p.Meta.Translates != "" {
			continue
		}
		hi, ok := bySlug[p.Meta.Slug+"-hi"]
		if !ok || hi.Meta.Language != "hi" || hi.Meta.Translates != p.Meta.Slug {
			t.Errorf("%s has no Hindi translation", p.Meta.Slug)
		}
	}
	if translations < 4 {
		t.Errorf("%d translated packs, want the three Hindi ones and the Swahili one", translations)
	}
}

// The check itself: a translation that lost a question, changed a type or
// dropped an explanation is caught.
func TestStructureCheckCatchesDrift(t *testing.T) {
	base := "$CATEGORY: a\n::Q-01 one:: Is it? {TRUE ####Yes.}\n\n::Q-02 two:: Pick {=a ~b ####Because.}\n"
	for name, gift := range map[string]string{
		"lost question":  "$CATEGORY: a\n::Q-01 one:: Is it? {TRUE ####Yes.}\n",
		"other type":     "$CATEGORY: a\n::Q-01 one:: Is it? {TRUE ####Yes.}\n\n::Q-02 two:: Type {=a ####Because.}\n",
		"no explanation": "$CATEGORY: a\n::Q-01 one:: Is it? {TRUE}\n\n::Q-02 two:: Pick {=a ~b ####Because.}\n",
		"other category": "$CATEGORY: b\n::Q-01 one:: Is it? {TRUE ####Yes.}\n\n::Q-02 two:: Pick {=a ~b ####Because.}\n",
	} {
		t.Run(name, func(t *testing.T) {
			oc, _, _, _ := shape(courses.Pack{QuestionsGIFT: base})
			tc, _, unexplained, errs := shape(courses.Pack{QuestionsGIFT: gift})
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			if maps.Equal(oc, tc) && len(unexplained) == 0 {
				t.Fatal("drift not caught")
			}
		})
	}
	oc, oi, _, _ := shape(courses.Pack{QuestionsGIFT: base})
	if len(oc) != 2 || len(oi) != 2 {
		t.Fatalf("base bank: %v %v", oc, oi)
	}
}
