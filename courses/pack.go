package courses

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"skillgate/app/dbx"
	"skillgate/app/exam"
	"skillgate/app/web"
)

// Pack is a course kept as a folder: course.yaml, lessons/NN-name.md with
// front matter, and questions.gift.
type Pack struct {
	Dir           string
	Meta          PackMeta
	Lessons       []PackLesson
	QuestionsGIFT string
	// Images are the pictures in images/, checked by ValidateSVG; lesson
	// bodies already point at the URLs that serve them.
	Images map[string]Image
}

// PackMeta is course.yaml.
type PackMeta struct {
	Slug                    string           `yaml:"slug"`
	Title                   string           `yaml:"title"`
	Summary                 string           `yaml:"summary"`
	Language                string           `yaml:"language"`
	Tags                    []string         `yaml:"tags"`
	EstimatedMinutes        int              `yaml:"estimated_minutes"`
	CertificateValidityDays int              `yaml:"certificate_validity_days"`
	Translates              string           `yaml:"translates"`
	Assessments             []PackAssessment `yaml:"assessments"`
}

// PackAssessment is an assessment declared in course.yaml: the settings'
// yaml names, with lesson_tags naming lesson files ("01-personal-data",
// without .md) that import resolves to lesson ids.
type PackAssessment = exam.Settings

// PackLesson is one lesson file.
type PackLesson struct {
	Key     string // file name without .md, stable across imports
	Module  string
	Title   string
	Minutes int
	Body    string
}

// PackHook imports a pack's question bank and assessments into the
// assessments domain, inside the import's transaction, and reports whether
// anything changed.
type PackHook interface {
	ImportPackAssessments(ctx context.Context, courseID, gift string, specs []PackAssessment) (changed bool, err error)
}

var lessonFileRe = regexp.MustCompile(`^\d{2,3}-[a-z0-9-]+\.md$`)

// ReadPack reads and checks the pack in dir of fsys.
func ReadPack(fsys fs.FS, dir string) (Pack, error) {
	p := Pack{Dir: dir}
	raw, err := fs.ReadFile(fsys, path.Join(dir, "course.yaml"))
	if err != nil {
		return p, fmt.Errorf("pack %s: %w", dir, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(&p.Meta); err != nil {
		return p, fmt.Errorf("pack %s: %w", dir, yamlFault("course.yaml", err))
	}
	if fields := validateHead(&p.Meta.Slug, &p.Meta.Title, &p.Meta.Language, &p.Meta.Tags, &p.Meta.EstimatedMinutes, &p.Meta.CertificateValidityDays); len(fields) > 0 {
		return p, fmt.Errorf("pack %s: %w", dir, fault("course.yaml", 0, web.RuleQuestionField, "Field", fields[0].Field, "Message", fields[0]))
	}
	entries, err := fs.ReadDir(fsys, path.Join(dir, "lessons"))
	if errors.Is(err, fs.ErrNotExist) {
		return p, fmt.Errorf("pack %s: %w", dir, fault("", 0, web.RulePackNoLessons))
	}
	if err != nil {
		return p, fmt.Errorf("pack %s: %w", dir, fault("lessons", 0, web.RulePackUnreadable, "Err", err.Error()))
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".md") {
			continue
		}
		file := "lessons/" + e.Name()
		if !lessonFileRe.MatchString(e.Name()) {
			return p, fmt.Errorf("pack %s: %w", dir, fault(file, 0, web.RulePackLessonName))
		}
		raw, err := fs.ReadFile(fsys, path.Join(dir, "lessons", e.Name()))
		if err != nil {
			return p, err
		}
		l, err := parseLesson(file, string(raw))
		if err != nil {
			return p, fmt.Errorf("pack %s: %w", dir, err)
		}
		l.Key = strings.TrimSuffix(e.Name(), ".md")
		p.Lessons = append(p.Lessons, l)
	}
	if len(p.Lessons) == 0 {
		return p, fmt.Errorf("pack %s: %w", dir, fault("", 0, web.RulePackNoLessons))
	}
	slices.SortFunc(p.Lessons, func(a, b PackLesson) int { return strings.Compare(a.Key, b.Key) })
	if p.Images, err = readPackImages(fsys, dir); err != nil {
		return p, err
	}
	for i, l := range p.Lessons {
		body, missing := linkImages(l.Body, p.Meta.Slug, p.Images)
		if missing != "" {
			return p, fmt.Errorf("pack %s: %w", dir, fault("lessons/"+l.Key+".md", 0, web.RulePackImageMissing, "Name", missing))
		}
		p.Lessons[i].Body = body
	}
	if gift, err := fs.ReadFile(fsys, path.Join(dir, "questions.gift")); err == nil {
		p.QuestionsGIFT = string(gift)
	}
	return p, nil
}

// parseLesson reads the lesson file named file (for its problems).
func parseLesson(file, src string) (PackLesson, error) {
	src = strings.TrimPrefix(strings.ReplaceAll(src, "\r\n", "\n"), "\ufeff")
	if !strings.HasPrefix(src, "---\n") {
		return PackLesson{}, fault(file, 0, web.RulePackNoFrontMatter)
	}
	front, body, ok := strings.Cut(src[4:], "\n---\n")
	if !ok {
		return PackLesson{}, fault(file, 0, web.RulePackFrontOpen)
	}
	var fm struct {
		Module  string `yaml:"module"`
		Title   string `yaml:"title"`
		Minutes int    `yaml:"minutes"`
	}
	if err := yaml.Unmarshal([]byte(front), &fm); err != nil {
		f := yamlFault(file, err)
		if f.line > 0 {
			f.line++ // the front matter starts on the file's second line
		}
		return PackLesson{}, f
	}
	if strings.TrimSpace(fm.Module) == "" || strings.TrimSpace(fm.Title) == "" {
		return PackLesson{}, fault(file, 0, web.RulePackFrontFields)
	}
	return PackLesson{Module: strings.TrimSpace(fm.Module), Title: strings.TrimSpace(fm.Title), Minutes: fm.Minutes,
		Body: strings.TrimSpace(body) + "\n"}, nil
}

// ReadPacks reads every pack (a folder with course.yaml) directly under root.
func ReadPacks(fsys fs.FS, root string) ([]Pack, error) {
	entries, err := fs.ReadDir(fsys, root)
	if err != nil {
		return nil, err
	}
	var out []Pack
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		if _, err := fs.Stat(fsys, path.Join(root, e.Name(), "course.yaml")); err != nil {
			continue
		}
		p, err := ReadPack(fsys, path.Join(root, e.Name()))
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// modules groups the pack's lessons into modules, in file order.
func (p Pack) modules() ([]Module, []string, [][]string, error) {
	var mods []Module
	var modKeys []string
	var lessonKeys [][]string
	for _, l := range p.Lessons {
		if len(mods) == 0 || mods[len(mods)-1].Title != l.Module {
			mods = append(mods, Module{ID: dbx.NewID(), Title: l.Module, Position: len(mods) + 1})
			modKeys = append(modKeys, "module:"+l.Module)
			lessonKeys = append(lessonKeys, nil)
		}
		html, err := RenderMarkdown(l.Body)
		if err != nil {
			return nil, nil, nil, err
		}
		m := &mods[len(mods)-1]
		m.Lessons = append(m.Lessons, Lesson{ID: dbx.NewID(), Title: l.Title, Position: len(m.Lessons) + 1,
			BodyMarkdown: l.Body, BodyHTML: html, Minutes: l.Minutes})
		lessonKeys[len(lessonKeys)-1] = append(lessonKeys[len(lessonKeys)-1], "lesson:"+l.Key)
	}
	return mods, modKeys, lessonKeys, nil
}

// sameContent reports whether the working copy already holds the pack.
func sameContent(c Course, p Pack, mods []Module) bool {
	m := p.Meta
	if c.Title != m.Title || c.Summary != m.Summary || c.Language != m.Language || !slices.Equal(c.Tags, nonNil(m.Tags)) ||
		c.EstimatedMinutes != m.EstimatedMinutes || c.CertificateValidityDays != m.CertificateValidityDays ||
		c.Translates != m.Translates || len(c.Modules) != len(mods) {
		return false
	}
	for i := range mods {
		a, b := c.Modules[i], mods[i]
		if a.Title != b.Title || len(a.Lessons) != len(b.Lessons) {
			return false
		}
		for j := range a.Lessons {
			x, y := a.Lessons[j], b.Lessons[j]
			if x.Title != y.Title || x.BodyMarkdown != y.BodyMarkdown || x.Minutes != y.Minutes || x.Position != y.Position {
				return false
			}
		}
	}
	return true
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// ImportOptions control an import.
type ImportOptions struct {
	// Publish publishes a course whose content changed; a course imported
	// for the first time is always published.
	Publish bool
	// SkipExisting leaves courses that already exist alone: the seed at
	// start loads what is missing and never overwrites an admin's edits.
	SkipExisting bool
	// OwnerID owns courses the import creates ("" for built-in courses,
	// which admins manage).
	OwnerID string
	// Owned is a trainer's import (ImportOwnedPack): it only touches a
	// course OwnerID owns (a slug of anyone else's course, or of a
	// built-in one, is a conflict) and never publishes, not even a course
	// it creates: the trainer presses Publish.
	Owned bool
}

// ImportResult says what an import did to one pack.
type ImportResult struct {
	Slug      string
	CourseID  string
	Created   bool
	Changed   bool
	Published bool
	Version   int
}

// ImportPack loads a pack in one transaction: a new course is created and
// published; an existing one (matched by slug) gets the pack's content as
// its working copy, keeping lesson ids, and is published only when asked.
// Importing the same pack again changes nothing.
func (s *Service) ImportPack(ctx context.Context, p Pack, opt ImportOptions) (ImportResult, error) {
	res := ImportResult{Slug: p.Meta.Slug}
	mods, modKeys, lessonKeys, err := p.modules()
	if err != nil {
		return res, err
	}
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		c, err := s.store.CourseHead(ctx, p.Meta.Slug)
		switch {
		case web.IsKind(err, web.KindNotFound):
			c = Course{ID: dbx.NewID(), Slug: p.Meta.Slug, OwnerID: opt.OwnerID, Title: p.Meta.Title, Summary: p.Meta.Summary,
				Language: p.Meta.Language, Tags: nonNil(p.Meta.Tags), EstimatedMinutes: p.Meta.EstimatedMinutes,
				CertificateValidityDays: p.Meta.CertificateValidityDays, Translates: p.Meta.Translates}
			if err := s.store.CreateCourse(ctx, c, s.now()); err != nil {
				return err
			}
			res.Created = true
		case err != nil:
			return err
		case opt.Owned && (c.OwnerID == "" || c.OwnerID != opt.OwnerID):
			return web.DetailPackSlugTaken.Conflict("Slug", strconv.Quote(p.Meta.Slug))
		case opt.SkipExisting:
			res.CourseID, res.Version = c.ID, c.Version
			return nil
		}
		res.CourseID = c.ID
		if _, err := s.store.LockCourse(ctx, c.ID); err != nil {
			return err
		}
		current, err := s.store.Course(ctx, c.ID)
		if err != nil {
			return err
		}
		if !sameContent(current, p, mods) {
			res.Changed = true
			m := p.Meta
			ch := CourseChange{Title: &m.Title, Summary: &m.Summary, Language: &m.Language, Tags: &m.Tags,
				EstimatedMinutes: &m.EstimatedMinutes, CertificateValidityDays: &m.CertificateValidityDays, Translates: &m.Translates}
			if err := s.store.UpdateCourse(ctx, c.ID, ch, s.now()); err != nil {
				return err
			}
			if err := s.store.ReplaceContent(ctx, c.ID, mods, modKeys, lessonKeys); err != nil {
				return err
			}
		}
		if imagesChanged, err := s.store.SyncImages(ctx, c.ID, p.Images, s.now()); err != nil {
			return err
		} else if imagesChanged && !res.Changed {
			res.Changed = true
			if err := s.store.Touch(ctx, c.ID, s.now()); err != nil {
				return err
			}
		}
		if s.packHook != nil && (p.QuestionsGIFT != "" || len(p.Meta.Assessments) > 0) {
			specs, err := s.resolveLessonTags(ctx, c.ID, p.Meta.Assessments)
			if err != nil {
				return fmt.Errorf("pack %s: %w", p.Meta.Slug, err)
			}
			changed, err := s.packHook.ImportPackAssessments(ctx, c.ID, p.QuestionsGIFT, specs)
			if err != nil {
				return fmt.Errorf("pack %s: %w", p.Meta.Slug, err)
			}
			if changed {
				res.Changed = true
				if err := s.store.Touch(ctx, c.ID, s.now()); err != nil {
					return err
				}
			}
		}
		res.Version = current.Version
		// A working copy left as a draft by an earlier import is released
		// by a later import that asks to publish, even if unchanged since.
		if !opt.Owned && (res.Created || (opt.Publish && (res.Changed || current.Dirty))) {
			pub, err := s.publish(ctx, c.ID)
			if err != nil {
				return err
			}
			res.Published, res.Version = true, pub.Version
		}
		return nil
	})
	return res, err
}
