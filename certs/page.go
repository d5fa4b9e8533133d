package certs

import (
	"bytes"
	"html/template"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"skillgate/app/web"
)

// pageText is the page's wording per language; English is the fallback.
var pageText = map[string]map[string]string{
	"en": {
		"title": "Certificate check", "active": "VALID", "revoked": "REVOKED", "expired": "EXPIRED",
		"active_note": "This certificate is genuine and current.", "revoked_note": "This certificate has been revoked and must not be accepted.",
		"expired_note": "This certificate was genuine but has expired.", "holder": "Holder", "course": "Course", "score": "Score",
		"issued": "Issued", "expires": "Valid until", "revoked_on": "Revoked on", "reason": "Reason", "code": "Code",
		"unknown": "UNKNOWN", "unknown_note": "No certificate has this id or code. Check the code and try again.",
		"checked": "Checked", "issuer": "Issued by",
		"cat_withdrawn_by_holder": "Withdrawn at the holder's request", "cat_issued_in_error": "Issued in error",
		"cat_misconduct": "Misconduct", "cat_other": "Other",
		"publisher": "Published by", "endorsement": "Endorsement", "endorsed": "Endorsed by",
		"not_endorsed": "Not endorsed: check who published this course", "criteria": "Earned by",
		"issuer_note": "Signs every Skillgate certificate; its keys verify them.", "keys": "Signing keys",
		"again": "Type the code again, letter by letter", "check": "Check", "ask": "Type the certificate's code",
	},
	"hi": {
		"title": "प्रमाणपत्र जाँच", "active": "मान्य (VALID)", "revoked": "रद्द (REVOKED)", "expired": "समाप्त (EXPIRED)",
		"active_note": "यह प्रमाणपत्र असली है और अभी मान्य है।", "revoked_note": "यह प्रमाणपत्र रद्द कर दिया गया है; इसे स्वीकार न करें।",
		"expired_note": "यह प्रमाणपत्र असली था, पर इसकी अवधि समाप्त हो गई है।", "holder": "धारक", "course": "कोर्स", "score": "अंक",
		"issued": "जारी", "expires": "मान्य तिथि तक", "revoked_on": "रद्द होने की तिथि", "reason": "कारण", "code": "कोड",
		"unknown": "अज्ञात (UNKNOWN)", "unknown_note": "इस आईडी या कोड का कोई प्रमाणपत्र नहीं है। कोड जाँचकर फिर कोशिश करें।",
		"checked": "जाँच का समय", "issuer": "जारीकर्ता",
		"cat_withdrawn_by_holder": "धारक के अनुरोध पर वापस लिया गया", "cat_issued_in_error": "गलती से जारी",
		"cat_misconduct": "अनुचित आचरण", "cat_other": "अन्य",
		"publisher": "प्रकाशक", "endorsement": "समर्थन", "endorsed": "समर्थित:",
		"not_endorsed": "समर्थित नहीं: देखें कि यह कोर्स किसने प्रकाशित किया", "criteria": "कैसे अर्जित",
		"issuer_note": "हर Skillgate प्रमाणपत्र पर हस्ताक्षर करता है; इसकी कुंजियाँ उन्हें सत्यापित करती हैं।", "keys": "हस्ताक्षर कुंजियाँ",
		"again": "कोड फिर से लिखें, एक-एक अक्षर", "check": "जाँचें", "ask": "प्रमाणपत्र का कोड लिखें",
	},
}

var pageTemplate = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">
<title>{{.T.title}}{{if .Cert}}: {{.Cert.CourseTitle}}{{end}}</title>
<style>
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Devanagari",sans-serif;background:#f4f4f4;color:#111}
main{max-width:34rem;margin:0 auto;padding:1rem}
.verdict{border-radius:.6rem;padding:1.2rem;color:#fff;text-align:center}
.verdict h1{margin:0;font-size:2.6rem;letter-spacing:.05em}
.verdict p{margin:.4rem 0 0;font-size:1.1rem}
.active{background:#13773a}.revoked{background:#b3261e}.expired{background:#8a5a00}.unknown{background:#555}
dl{background:#fff;border-radius:.6rem;padding:1rem 1.2rem;margin:1rem 0;display:grid;grid-template-columns:auto 1fr;gap:.5rem 1rem;font-size:1.1rem}
dt{color:#555}dd{margin:0;font-weight:600;overflow-wrap:anywhere}.endorsed{color:#13773a}.not-endorsed{color:#b3261e}
footer{color:#555;font-size:.9rem;text-align:center}
form{margin:1rem 0}label{display:block;font-weight:600;margin-bottom:.3rem}input{font:inherit;font-size:1.3rem;width:100%;box-sizing:border-box;min-height:48px;padding:.4rem;text-transform:uppercase}button{font:inherit;min-height:48px;margin-top:.5rem;padding:.5rem 1.2rem}
</style></head><body><main>
{{if .Cert}}<section class="verdict {{.Status}}" role="status"><h1>{{index .T .Status}}</h1><p>{{index .T (print .Status "_note")}}</p></section>
<dl>
<dt>{{.T.holder}}</dt><dd>{{.Cert.HolderName}}</dd>
<dt>{{.T.course}}</dt><dd>{{.Cert.CourseTitle}} (v{{.Cert.CourseVersion}})</dd>
{{if .Publisher}}<dt>{{.T.publisher}}</dt><dd>{{.Publisher}}</dd>
<dt>{{.T.endorsement}}</dt>{{if .Endorsed}}<dd class="endorsed">{{.T.endorsed}} {{.Platform}}</dd>{{else}}<dd class="not-endorsed">{{.T.not_endorsed}}</dd>{{end}}{{end}}
<dt>{{.T.score}}</dt><dd>{{.Score}}%</dd>
<dt>{{.T.issued}}</dt><dd>{{.Issued}}</dd>
<dt>{{.T.expires}}</dt><dd>{{.Expires}}</dd>
{{if .Cert.RevokedAt}}<dt>{{.T.revoked_on}}</dt><dd>{{.Revoked}}</dd><dt>{{.T.reason}}</dt><dd>{{index .T (print "cat_" .Category)}}</dd>{{end}}
<dt>{{.T.code}}</dt><dd>{{.Cert.Code}}</dd>
</dl>
{{else}}{{if .Ask}}<h1>{{.T.title}}</h1>{{else}}<section class="verdict unknown" role="status"><h1>{{.T.unknown}}</h1><p>{{.T.unknown_note}}</p></section>{{end}}
<form method="get" action="/verify"><label for="code">{{if .Ask}}{{.T.ask}}{{else}}{{.T.again}}{{end}}</label>
<input id="code" name="code" value="{{.Typed}}" autocomplete="off" autocapitalize="characters" spellcheck="false" required>
<button>{{.T.check}}</button></form>{{end}}
<footer>{{.T.issuer}}: {{.Issuer}} · {{.T.checked}}: {{.Now}}</footer>
</main></body></html>
`))

type pageData struct {
	Lang                                 string
	T                                    map[string]string
	Cert                                 *Certificate
	Status                               string
	Score, Issued, Expires, Revoked, Now string
	Issuer                               string
	Category                             string // the public revocation category, never the free text
	Publisher, Platform                  string // who published the course; who endorses
	Endorsed                             bool
	Typed                                string // what was looked up, to type again
	Ask                                  bool   // no code yet: only the box
}

const pageDate = "2 Jan 2006"

// page renders the result for a person: the verdict in large type, then
// holder, course, score and dates, in the course's language; no script,
// a few kilobytes.
func (h *Handler) page(c *fiber.Ctx) error {
	now := h.svc.Now()
	d := pageData{Lang: "en", Issuer: h.svc.BaseURL(), Now: now.UTC().Format("2 Jan 2006 15:04 MST")}
	d.Typed = pathID(c)
	if len(d.Typed) > 100 {
		d.Typed = d.Typed[:100]
	}
	v, err := h.svc.VerifyID(c.UserContext(), nil, pathID(c))
	status := fiber.StatusOK
	switch {
	case web.IsKind(err, web.KindNotFound):
		status = fiber.StatusNotFound
		if lang := c.Query("lang"); pageText[lang] != nil {
			d.Lang = lang
		} else if strings.HasPrefix(c.Get(fiber.HeaderAcceptLanguage), "hi") {
			d.Lang = "hi"
		}
	case err != nil:
		return err
	default:
		cert := *v.Certificate
		d.Cert, d.Status = &cert, v.Status
		d.Lang = strings.SplitN(cert.CourseLanguage, "-", 2)[0]
		d.Score = trimFloat(cert.ScorePercent)
		d.Issued, d.Expires = cert.IssuedAt.UTC().Format(pageDate), cert.ExpiresAt.UTC().Format(pageDate)
		if cert.RevokedAt != nil {
			d.Revoked = cert.RevokedAt.UTC().Format(pageDate)
			d.Category = publicCategory(cert)
		}
		if p := cert.Publisher; p != nil {
			d.Publisher, d.Endorsed, d.Platform = p.Label(), p.Endorsed, h.svc.IssuerName()
		}
	}
	return h.renderPage(c, status, d)
}

// lookup is the box of the check page: a code typed (or read aloud and
// typed by the employer) goes to its page; no code shows only the box.
func (h *Handler) lookup(c *fiber.Ctx) error {
	if code := strings.TrimSpace(c.Query("code")); code != "" && len(code) <= 100 {
		return c.Redirect("/verify/"+url.PathEscape(code), fiber.StatusSeeOther)
	}
	d := pageData{Lang: "en", Issuer: h.svc.BaseURL(), Now: h.svc.Now().UTC().Format("2 Jan 2006 15:04 MST"), Ask: true}
	if strings.HasPrefix(c.Get(fiber.HeaderAcceptLanguage), "hi") {
		d.Lang = "hi"
	}
	return h.renderPage(c, fiber.StatusOK, d)
}

func (h *Handler) renderPage(c *fiber.Ctx, status int, d pageData) error {
	if _, ok := pageText[d.Lang]; !ok {
		d.Lang = "en"
	}
	d.T = pageText[d.Lang]
	var buf bytes.Buffer
	if err := pageTemplate.Execute(&buf, d); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'")
	return c.Status(status).Send(buf.Bytes())
}
