package certs_test

import (
	"testing"

	"skillgate/app/i18n"
	"skillgate/certs"
)

// TestPageAndPDFKeysMadeAtRunTime: the ids the check page and the PDF
// build from a status or a revocation category ("checkpage.status." +
// status) exist in every language; the literal ids are checked by
// app/i18n's TestKeysUsedExist.
func TestPageAndPDFKeysMadeAtRunTime(t *testing.T) {
	var ids []string
	for _, s := range []string{"active", "revoked", "expired", "unknown"} {
		ids = append(ids, "checkpage.status."+s, "checkpage.note."+s)
	}
	for _, s := range []string{"active", "revoked", "expired"} {
		ids = append(ids, "certpdf.status."+s)
	}
	ids = append(ids, "certpdf.banner.revoked", "certpdf.banner.expired")
	for _, c := range certs.RevocationCategories {
		ids = append(ids, "revocation."+c)
	}
	for _, tag := range i18n.Languages {
		l := i18n.Shared().Lang(tag.String())
		for _, id := range ids {
			if !l.Has(id) {
				t.Errorf("%s lacks %q", l.Code, id)
			}
		}
	}
}
