package courses

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"

	"skillgate/app/web"
)

// resolveLessonTags turns the lesson files a pack's assessments name in
// lesson_tags into the ids of those lessons in the course, in the import's
// transaction. A file the pack does not have is an error, never a link
// silently lost.
func (s *Service) resolveLessonTags(ctx context.Context, courseID string, specs []PackAssessment) ([]PackAssessment, error) {
	need := false
	for _, a := range specs {
		need = need || len(a.LessonTags) > 0
	}
	if !need {
		return specs, nil
	}
	sources, err := s.store.lessonSources(ctx, courseID)
	if err != nil {
		return nil, err
	}
	byKey := make(map[string]string, len(sources))
	for id, src := range sources {
		if key, ok := strings.CutPrefix(src, "lesson:"); ok {
			byKey[key] = id
		}
	}
	out := slices.Clone(specs)
	for i, a := range out {
		if len(a.LessonTags) == 0 {
			continue
		}
		ids := make(map[string]string, len(a.LessonTags))
		for _, tag := range slices.Sorted(maps.Keys(a.LessonTags)) {
			file := strings.TrimSuffix(a.LessonTags[tag], ".md")
			id, ok := byKey[file]
			if !ok {
				return nil, fault("course.yaml", 0, web.RulePackLessonTag, "Title", strconv.Quote(a.Title), "Tag", tag, "File", file)
			}
			ids[tag] = id
		}
		out[i].LessonTags = ids
	}
	return out, nil
}
