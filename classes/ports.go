package classes

import (
	"context"

	"skillgate/app/web"
)

// Accounts is what classes need of accounts. Calls made inside a
// transaction carried by the context join it.
type Accounts interface {
	// CheckLearner normalises a row (trims it, lower-cases username and
	// email) and returns its problems, without the database.
	CheckLearner(n NewLearner) (NewLearner, []web.FieldError)
	// FindLearners returns the accounts having any of the usernames or
	// emails.
	FindLearners(ctx context.Context, usernames, emails []string) ([]Learner, error)
	// CreateLearners makes accounts without password, giving a username to
	// rows that have none; the result is in the rows' order.
	CreateLearners(ctx context.Context, rows []NewLearner) ([]Learner, error)
	// Learners loads accounts by id, in no particular order.
	Learners(ctx context.Context, ids []string) ([]Learner, error)
	// IssueCards replaces each user's card and ends their sessions.
	IssueCards(ctx context.Context, userIDs []string) ([]Card, error)
}

// Courses is what classes need of courses.
type Courses interface {
	// PublishedCourse resolves an id or slug of a published course to its
	// id; not found otherwise.
	PublishedCourse(ctx context.Context, idOrSlug string) (string, error)
	// Enroll enrolls a user in a published course (again: nothing).
	Enroll(ctx context.Context, userID, courseID string) error
	// Progress returns the user's progress percent by course id, for the
	// courses the user is enrolled in.
	Progress(ctx context.Context, userID string) (map[string]int, error)
}

// Results is what classes need of assessments, certificates and tiers.
type Results interface {
	// FinalStanding sums up the user's attempts at the course's finals.
	FinalStanding(ctx context.Context, userID, courseID string) (Standing, error)
	// Certificates returns, by course id, the user's certificate (an
	// active one if any, else the latest).
	Certificates(ctx context.Context, userID string) (map[string]string, error)
	// Tier returns the user's tier, nil when none.
	Tier(ctx context.Context, userID string) (*Tier, error)
}
