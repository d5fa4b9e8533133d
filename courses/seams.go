package courses

import "context"

// What the composition root (app/wire) needs of courses for the other
// domains, named here so that nothing outside the package reaches into
// its store.

// CourseHead loads a course's head (no modules), by id or slug, whether or
// not it is published; Version is 0 until it is.
func (s *Service) CourseHead(ctx context.Context, idOrSlug string) (Course, error) {
	return s.store.CourseHead(ctx, idOrSlug)
}

// CurrentVersion loads the current published version of a course, by id
// or slug.
func (s *Service) CurrentVersion(ctx context.Context, idOrSlug string) (Version, error) {
	return s.store.CurrentVersion(ctx, idOrSlug)
}
