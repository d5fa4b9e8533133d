package courses

import (
	"context"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm/clause"

	"skillgate/app/dbx"
)

// The pictures of courses (images.go has the rules).

// imageRow is a course's picture, replaced whole by each import.
type imageRow struct {
	CourseID  string `gorm:"primaryKey;size:36"`
	Name      string `gorm:"primaryKey;size:100"`
	SHA256    string `gorm:"column:sha256;size:64;not null"`
	SVG       []byte `gorm:"column:svg;not null"`
	CreatedAt time.Time
}

func (imageRow) TableName() string { return "course_images" }

// Images lists a course's pictures by name.
func (s *Store) Images(ctx context.Context, courseID string) ([]Image, error) {
	var rows []imageRow
	if err := s.conn(ctx).Where("course_id = ?", courseID).Order("name").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("courses: load images: %w", err)
	}
	out := make([]Image, len(rows))
	for i, r := range rows {
		out[i] = Image{Name: r.Name, SVG: r.SVG, SHA256: r.SHA256}
	}
	return out, nil
}

// Image loads one picture of a course.
func (s *Store) Image(ctx context.Context, courseID, name string) (Image, error) {
	var r imageRow
	err := s.conn(ctx).Where("course_id = ? AND name = ?", courseID, name).Take(&r).Error
	if err := dbx.LoadErr(err, "image", "courses: load image"); err != nil {
		return Image{}, err
	}
	return Image{Name: r.Name, SVG: r.SVG, SHA256: r.SHA256}, nil
}

// SyncImages makes a course's pictures exactly the ones given and reports
// whether anything changed.
func (s *Store) SyncImages(ctx context.Context, courseID string, images map[string]Image, now time.Time) (bool, error) {
	have, err := s.Images(ctx, courseID)
	if err != nil {
		return false, err
	}
	changed := false
	for _, im := range have {
		if want, ok := images[im.Name]; !ok || want.SHA256 != im.SHA256 {
			if err := s.conn(ctx).Where("course_id = ? AND name = ?", courseID, im.Name).Delete(&imageRow{}).Error; err != nil {
				return false, fmt.Errorf("courses: delete image: %w", err)
			}
			changed = true
		}
	}
	names := make([]string, 0, len(images))
	for n := range images {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		im := images[n]
		if slices.ContainsFunc(have, func(h Image) bool { return h.Name == n && h.SHA256 == im.SHA256 }) {
			continue
		}
		row := imageRow{CourseID: courseID, Name: n, SHA256: im.SHA256, SVG: im.SVG, CreatedAt: now}
		if err := s.conn(ctx).Clauses(clause.OnConflict{UpdateAll: true}).Create(&row).Error; err != nil {
			return false, fmt.Errorf("courses: save image: %w", err)
		}
		changed = true
	}
	if changed {
		// The offline package carries the pictures.
		if err := s.changed(ctx, courseID); err != nil {
			return false, err
		}
	}
	return changed, nil
}
