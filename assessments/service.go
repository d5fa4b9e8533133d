package assessments

import (
	"math/rand/v2"
	"time"
)

// Service is the assessments use cases.
type Service struct {
	store   *Store
	courses Courses
	hook    PassHook
	render  TextRenderer
	now     func() time.Time
	shuffle func(n int, swap func(i, j int))
	// hot is what starts read from memory once SetChanges connects the
	// change bus (hot.go); nil reads the database.
	hot *hotReads
}

// NewService returns the service on its store (NewStore). hook may be nil until certificates exist.
// Question text is escaped as plain text until SetTextRenderer connects
// the lesson renderer.
func NewService(store *Store, courses Courses, hook PassHook, now func() time.Time) *Service {
	return &Service{store: store, courses: courses, hook: hook, now: now, shuffle: rand.Shuffle,
		render: escapeOnly{}}
}

// SetPassHook connects what a pass earns.
func (s *Service) SetPassHook(h PassHook) { s.hook = h }

// SetTextRenderer connects the sanitiser and Markdown renderer lessons use
// (the courses domain owns it; app/wire passes it in).
func (s *Service) SetTextRenderer(r TextRenderer) {
	if r != nil {
		s.render = r
	}
}
