package courses

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"

	"skillgate/app/web"
	"skillgate/assessments/gift"
)

// Limits of a course pack a trainer uploads as a zip.
const (
	// MaxPackUpload is the largest zip accepted.
	MaxPackUpload = 8 << 20
	// MaxPackUnzipped bounds the sum of the sizes the archive declares;
	// archive/zip refuses to read more than an entry declares, so this
	// bounds what a zip bomb can make the server inflate.
	MaxPackUnzipped = 20 << 20
	// MaxPackFiles bounds the entries of the archive.
	MaxPackFiles = 500
)

// PackError is one problem of an uploaded pack: the file (relative to the
// pack), the line where known (GIFT, YAML), the ::title:: of a GIFT
// question that has it, and what is wrong: the English Message and, where
// the problem has one, its catalogue Key and Args (a web.Rule, a
// web.Detail or a gift.Rule), which a page says in its reader's language.
type PackError struct {
	File    string
	Line    int
	Title   string
	Message string
	Key     string
	Args    []any
}

// giftPackErrors lists every problem of a pack's questions.gift, by line.
func giftPackErrors(text string) []PackError {
	_, gerrs := gift.Parse(text)
	out := make([]PackError, len(gerrs))
	for i, e := range gerrs {
		out[i] = PackError{File: "questions.gift", Line: e.Line, Title: e.Title, Message: e.Message, Key: string(e.Key), Args: e.Args}
	}
	return out
}

// PackPreview says what importing an uploaded pack would do, or did.
type PackPreview struct {
	Slug, Title, Language string
	Lessons               []PackLesson // Body left out
	Questions             int
	Assessments           []PackAssessment
	Images                int
	// Update is true when the pack updates the trainer's own course.
	Update   bool
	CourseID string
	Errors   []PackError
	// Imported is set when the pack was imported (preview false, no
	// errors); Result says what changed.
	Imported bool
	Result   ImportResult
}

// errDryRun rolls back the preview's trial import.
var errDryRun = errors.New("courses: preview, rolled back")

// OpenPackZip opens an uploaded zip as a file system and finds the pack
// in it: course.yaml at the root or in the one top folder. It refuses
// archives too large unpacked or with too many entries, and entries with
// absolute paths, backslashes or "..".
func OpenPackZip(raw []byte) (fs.FS, string, error) {
	bad := func(r web.Rule, args ...any) error {
		return web.Invalid("the course pack cannot be read", r.On("file", args...))
	}
	if len(raw) > MaxPackUpload {
		return nil, "", bad(web.RulePackTooLarge, "MiB", MaxPackUpload>>20)
	}
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, "", bad(web.RulePackNotZip, "Err", err)
	}
	if len(zr.File) > MaxPackFiles {
		return nil, "", bad(web.RulePackTooManyFiles, "Max", MaxPackFiles)
	}
	var total uint64
	tops := map[string]bool{}
	rootYAML := false
	for _, f := range zr.File {
		name := strings.TrimSuffix(f.Name, "/")
		if strings.Contains(f.Name, `\`) || strings.HasPrefix(f.Name, "/") || !fs.ValidPath(name) || name == "." {
			return nil, "", bad(web.RulePackUnsafePath, "Path", strconv.Quote(f.Name))
		}
		total += f.UncompressedSize64
		if total > MaxPackUnzipped {
			return nil, "", bad(web.RulePackUnzipsLarge, "MiB", MaxPackUnzipped>>20)
		}
		if name == "course.yaml" {
			rootYAML = true
		}
		top, _, _ := strings.Cut(name, "/")
		if top != "__MACOSX" {
			tops[top] = true
		}
	}
	if rootYAML {
		return zr, ".", nil
	}
	if len(tops) == 1 {
		for top := range tops {
			if _, err := fs.Stat(zr, path.Join(top, "course.yaml")); err == nil {
				return zr, top, nil
			}
		}
	}
	return nil, "", bad(web.RulePackNoCourse)
}

// ReadPackPreview reads the pack in dir of fsys (as OpenPackZip found it)
// and lists every problem it can find without a database: the first
// problem of course.yaml, the lessons or the images, and each GIFT error
// by line. The pack is usable only when the list is empty.
func ReadPackPreview(fsys fs.FS, dir string) (Pack, []PackError) {
	var errs []PackError
	pk, err := ReadPack(fsys, dir)
	if err != nil {
		pe := packErrorOf(err)
		pe.Message = strings.TrimPrefix(pe.Message, "pack "+dir+": ")
		errs = append(errs, pe)
		// The bank is still checked, for its errors by line.
		if raw, err := fs.ReadFile(fsys, path.Join(dir, "questions.gift")); err == nil {
			pk.QuestionsGIFT = string(raw)
		}
	}
	if pk.QuestionsGIFT != "" {
		errs = append(errs, giftPackErrors(pk.QuestionsGIFT)...)
	}
	return pk, errs
}

// ImportOwnedPack imports a pack a trainer uploaded, as that trainer's
// course: created as a draft owned by p, or, when p already owns the
// course with the pack's slug, its working copy updated (a draft until
// the trainer publishes). A slug of someone else's course or of a
// built-in course is a conflict. With preview, the import runs in a
// transaction that is rolled back, so its checks (the assessments among
// them) all run and nothing is saved. The pack's problems are in the
// preview's Errors; err is for failures the trainer cannot fix in the
// pack.
func (s *Service) ImportOwnedPack(ctx context.Context, p web.Principal, pk Pack, preview bool) (PackPreview, error) {
	var errs []PackError
	if pk.QuestionsGIFT != "" {
		errs = giftPackErrors(pk.QuestionsGIFT)
	}
	return s.importOwned(ctx, p, pk, errs, preview)
}

// ImportPackZip is ImportOwnedPack for an uploaded zip: the zip's and the
// pack's problems are all in the preview's Errors.
func (s *Service) ImportPackZip(ctx context.Context, p web.Principal, raw []byte, preview bool) (PackPreview, error) {
	fsys, dir, err := OpenPackZip(raw)
	if err != nil {
		e, ok := web.AsError(err)
		if !ok || len(e.Fields) == 0 {
			return PackPreview{}, err
		}
		f := e.Fields[0]
		return PackPreview{Errors: []PackError{{Message: f.Message, Key: f.Key, Args: f.Args}}}, nil
	}
	pk, errs := ReadPackPreview(fsys, dir)
	return s.importOwned(ctx, p, pk, errs, preview)
}

func (s *Service) importOwned(ctx context.Context, p web.Principal, pk Pack, errs []PackError, preview bool) (PackPreview, error) {
	pv := PackPreview{Slug: pk.Meta.Slug, Title: pk.Meta.Title, Language: pk.Meta.Language, Assessments: pk.Meta.Assessments,
		Images: len(pk.Images), Errors: errs}
	for _, l := range pk.Lessons {
		l.Body = ""
		pv.Lessons = append(pv.Lessons, l)
	}
	if pk.QuestionsGIFT != "" {
		qs, _ := gift.Parse(pk.QuestionsGIFT)
		pv.Questions = len(qs)
	}
	if p.Role != web.RoleTrainer && !p.IsAdmin() {
		return pv, web.Forbidden("only trainers import course packs")
	}
	if p.UserID == "" {
		return pv, web.Forbidden("only trainers import course packs")
	}
	if len(errs) > 0 {
		return pv, nil
	}
	if c, err := s.store.CourseHead(ctx, pk.Meta.Slug); err == nil {
		if c.OwnerID == "" || c.OwnerID != p.UserID {
			f := web.RulePackSlugTaken.On("slug", "Slug", strconv.Quote(pk.Meta.Slug))
			pv.Errors = append(pv.Errors, PackError{File: "course.yaml", Message: f.Message, Key: f.Key, Args: f.Args})
			return pv, nil
		}
		pv.Update, pv.CourseID = true, c.ID
	} else if !web.IsKind(err, web.KindNotFound) {
		return pv, err
	}
	opt := ImportOptions{OwnerID: p.UserID, Owned: true}
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		res, err := s.ImportPack(ctx, pk, opt)
		if err != nil {
			return err
		}
		pv.Result = res
		if preview {
			return errDryRun
		}
		return nil
	})
	switch {
	case errors.Is(err, errDryRun):
		pv.Result = ImportResult{Slug: pk.Meta.Slug}
		return pv, nil
	case errors.As(err, new(*packFault)):
		// A lesson_tags entry naming a lesson file the pack lacks.
		pv.Errors = append(pv.Errors, packErrorOf(err))
		return pv, nil
	case err != nil:
		// The hooks' refusals of the pack's assessments and bank are
		// plain errors ("pack SLUG: assessment ...": the message the CLI
		// prints); they are the trainer's to fix.
		if rest, ok := strings.CutPrefix(err.Error(), "pack "+pk.Meta.Slug+": "); ok &&
			(strings.HasPrefix(rest, "assessment ") || strings.HasPrefix(rest, "questions.gift ")) {
			pe := PackError{File: "course.yaml", Message: rest}
			if strings.HasPrefix(rest, "questions.gift ") {
				pe.File = ""
			}
			// The hook keys its first problem as a field.
			if e, ok := web.AsError(err); ok && len(e.Fields) > 0 {
				f := e.Fields[0]
				pe.Key, pe.Args = f.Key, f.Args
				if f.Field == "questions.gift" {
					var line int
					if _, err := fmt.Sscanf(rest, "questions.gift line %d:", &line); err == nil {
						pe.File, pe.Line, pe.Message = f.Field, line, f.Message
					}
				}
			}
			pv.Errors = append(pv.Errors, pe)
			return pv, nil
		}
		e, ok := web.AsError(err)
		if !ok || (e.Kind != web.KindValidation && e.Kind != web.KindConflict) {
			return pv, err
		}
		msg := e.Message
		for _, f := range e.Fields {
			msg += "; " + f.Field + ": " + f.Message
		}
		// A page says a conflict by its detail, a refusal by its first
		// field's rule.
		pe := PackError{Message: msg, Key: e.Key, Args: e.Args}
		if pe.Key == "" && len(e.Fields) > 0 {
			f := e.Fields[0]
			pe.Key, pe.Args = string(web.RuleQuestionField), []any{"Field", f.Field, "Message", f}
		}
		pv.Errors = append(pv.Errors, pe)
		return pv, nil
	}
	pv.Imported, pv.CourseID = true, pv.Result.CourseID
	return pv, nil
}
