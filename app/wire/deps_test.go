package wire_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependencyRule keeps the layering true: a domain imports no other
// domain and nothing of app but the leaf packages (web, dbx, secrets,
// pdftext, and i18n: the message catalogues the pages and PDFs share).
func TestDependencyRule(t *testing.T) {
	domains := []string{"skillgate/accounts", "skillgate/courses", "skillgate/assessments", "skillgate/certs", "skillgate/tiers", "skillgate/classes"}
	allowed := map[string]bool{"skillgate/app/web": true, "skillgate/app/dbx": true, "skillgate/app/secrets": true, "skillgate/app/pdftext": true,
		"skillgate/app/exam": true, "skillgate/app/i18n": true,
		"skillgate/assessments/gift": true, "skillgate/courses/packs": true}
	for _, d := range domains {
		out, err := exec.Command("go", "list", "-deps", d).CombinedOutput()
		if err != nil {
			t.Fatalf("go list %s: %v\n%s", d, err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			if !strings.HasPrefix(dep, "skillgate/") || dep == d || strings.HasPrefix(dep, d+"/") || allowed[dep] {
				continue
			}
			t.Errorf("%s imports %s", d, dep)
		}
	}
}
