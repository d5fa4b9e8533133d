package wire_test

import (
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestDependencyRule keeps the layering true: a domain imports no other
// domain and nothing of app but the leaf packages (web, dbx, secrets,
// pdftext, exam, english and i18n: the message catalogues the pages and PDFs
// share). One `go list` answers for every domain.
func TestDependencyRule(t *testing.T) {
	domains := []string{"skillgate/accounts", "skillgate/courses", "skillgate/assessments", "skillgate/certs", "skillgate/tiers", "skillgate/classes"}
	allowed := map[string]bool{"skillgate/app/web": true, "skillgate/app/dbx": true, "skillgate/app/secrets": true, "skillgate/app/pdftext": true,
		"skillgate/app/exam": true, "skillgate/app/i18n": true, "skillgate/app/english": true,
		"skillgate/assessments/gift": true, "skillgate/courses/packs": true}
	args := append([]string{"list", "-f", `{{.ImportPath}} {{join .Deps " "}}`}, domains...)
	out, err := exec.Command("go", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		d := fields[0]
		for _, dep := range fields[1:] {
			if !strings.HasPrefix(dep, "skillgate/") || dep == d || strings.HasPrefix(dep, d+"/") || allowed[dep] {
				continue
			}
			t.Errorf("%s imports %s", d, dep)
		}
	}
}

// gormAllowed lists files outside the stores that may import GORM, each
// with what it uses it for. Issue 14 moved the last of them into stores
// and migrations, so it is empty, and no file may join it; an entry no
// longer needed fails the test.
var gormAllowed = map[string]string{}

// TestOnlyStoresImportGORM: SQL lives in stores. Outside test files, only
// a domain's store files (store*.go) and migrations (migrations*.go), the
// database package (app/dbx), the composition root (app/wire), the test
// helpers (app/apptest) and the load tool (bench) may import gorm.io/gorm
// or any package under it.
func TestOnlyStoresImportGORM(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}|{{.Dir}}|{{join .GoFiles ","}}`, "skillgate/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	free := []string{"skillgate/app/dbx", "skillgate/app/wire", "skillgate/app/apptest", "skillgate/bench"}
	var found []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		parts := strings.SplitN(line, "|", 3)
		pkg, dir := parts[0], parts[1]
		if slices.ContainsFunc(free, func(f string) bool { return pkg == f || strings.HasPrefix(pkg, f+"/") }) || parts[2] == "" {
			continue
		}
		for _, name := range strings.Split(parts[2], ",") {
			if (strings.HasPrefix(name, "store") || strings.HasPrefix(name, "migrations")) && strings.HasSuffix(name, ".go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(dir, name), nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			rel := strings.TrimPrefix(pkg, "skillgate/") + "/" + name
			for _, imp := range f.Imports {
				if p := strings.Trim(imp.Path.Value, `"`); p == "gorm.io/gorm" || strings.HasPrefix(p, "gorm.io/gorm/") {
					found = append(found, rel)
					if _, ok := gormAllowed[rel]; !ok {
						t.Errorf("%s imports %s: move its queries into a store (store*.go)", rel, p)
					}
					break
				}
			}
		}
	}
	for rel := range gormAllowed {
		if !slices.Contains(found, rel) {
			t.Errorf("%s no longer imports GORM: take it off gormAllowed", rel)
		}
	}
}
