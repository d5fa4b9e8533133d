package certs

import (
	"bytes"
	"html/template"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"skillgate/app/i18n"
	"skillgate/app/web"
)

// pageTemplate is the check page; its words come from the catalogue
// (app/i18n, checkpage.* and revocation.*) in the page's language.
var pageTemplate = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="{{.L.Code}}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">
<title>{{.L.T "checkpage.title"}}{{if .Cert}}: {{.Cert.CourseTitle}}{{end}}</title>
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
{{if .Cert}}<section class="verdict {{.Status}}" role="status"><h1>{{.L.T (print "checkpage.status." .Status)}}</h1><p>{{.L.T (print "checkpage.note." .Status)}}</p></section>
<dl>
<dt>{{.L.T "checkpage.holder"}}</dt><dd>{{.Cert.HolderName}}</dd>
<dt>{{.L.T "checkpage.course"}}</dt><dd>{{.Cert.CourseTitle}} (v{{.Cert.CourseVersion}})</dd>
{{if .Publisher}}<dt>{{.L.T "checkpage.publisher"}}</dt><dd>{{.Publisher}}</dd>
<dt>{{.L.T "checkpage.endorsement"}}</dt>{{if .Endorsed}}<dd class="endorsed">{{.L.T "checkpage.endorsed" "Platform" .Platform}}</dd>{{else}}<dd class="not-endorsed">{{.L.T "checkpage.not_endorsed"}}</dd>{{end}}{{end}}
<dt>{{.L.T "checkpage.score"}}</dt><dd>{{.Score}}%</dd>
<dt>{{.L.T "checkpage.issued"}}</dt><dd>{{.Issued}}</dd>
<dt>{{.L.T "checkpage.expires"}}</dt><dd>{{.Expires}}</dd>
{{if .Cert.RevokedAt}}<dt>{{.L.T "checkpage.revoked_on"}}</dt><dd>{{.Revoked}}</dd><dt>{{.L.T "checkpage.reason"}}</dt><dd>{{.L.T (print "revocation." .Category)}}</dd>{{end}}
<dt>{{.L.T "checkpage.code"}}</dt><dd>{{.Cert.Code}}</dd>
</dl>
{{else}}{{if .Ask}}<h1>{{.L.T "checkpage.title"}}</h1>{{else}}<section class="verdict unknown" role="status"><h1>{{.L.T "checkpage.status.unknown"}}</h1><p>{{.L.T "checkpage.note.unknown"}}</p></section>{{end}}
<form method="get" action="/verify"><label for="code">{{if .Ask}}{{.L.T "checkpage.ask"}}{{else}}{{.L.T "checkpage.again"}}{{end}}</label>
<input id="code" name="code" value="{{.Typed}}" autocomplete="off" autocapitalize="characters" spellcheck="false" required>
<button>{{.L.T "checkpage.check"}}</button></form>{{end}}
<footer>{{.L.T "checkpage.issuer"}}: {{.Issuer}} · {{.L.T "checkpage.checked"}}: {{.Now}}</footer>
</main></body></html>
`))

type pageData struct {
	L                                    *i18n.Lang
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

// page renders the result for a person: the verdict in large type, then
// holder, course, score and dates, in the course's language (else the
// reader's); no script, a few kilobytes.
func (h *Handler) page(c *fiber.Ctx) error {
	now := h.svc.Now()
	d := pageData{Issuer: h.svc.BaseURL()}
	d.Typed = pathID(c)
	if len(d.Typed) > 100 {
		d.Typed = d.Typed[:100]
	}
	v, err := h.svc.VerifyID(c.UserContext(), nil, pathID(c))
	status := fiber.StatusOK
	switch {
	case web.IsKind(err, web.KindNotFound):
		status = fiber.StatusNotFound
		d.L = readerLang(c, true)
	case err != nil:
		return err
	default:
		cert := *v.Certificate
		d.Cert, d.Status = &cert, v.Status
		if d.L = i18n.Shared().Lang(cert.CourseLanguage); d.L == nil {
			d.L = readerLang(c, false)
		}
		d.Score = trimFloat(cert.ScorePercent)
		d.Issued, d.Expires = d.L.Date(cert.IssuedAt), d.L.Date(cert.ExpiresAt)
		if cert.RevokedAt != nil {
			d.Revoked = d.L.Date(*cert.RevokedAt)
			d.Category = publicCategory(cert)
		}
		if p := cert.Publisher; p != nil {
			d.Publisher, d.Endorsed, d.Platform = p.Label(), p.Endorsed, h.svc.IssuerName()
		}
	}
	d.Now = d.L.DateTime(now)
	return h.renderPage(c, status, d)
}

// readerLang is the language the reader asks for: ?lang= (where the page
// offers it), else Accept-Language, else English.
func readerLang(c *fiber.Ctx, query bool) *i18n.Lang {
	cat := i18n.Shared()
	if query {
		if l := cat.Lang(c.Query("lang")); l != nil {
			return l
		}
	}
	if l := cat.FromAcceptLanguage(c.Get(fiber.HeaderAcceptLanguage)); l != nil {
		return l
	}
	return i18n.For(i18n.Default)
}

// lookup is the box of the check page: a code typed (or read aloud and
// typed by the employer) goes to its page; no code shows only the box.
func (h *Handler) lookup(c *fiber.Ctx) error {
	if code := strings.TrimSpace(c.Query("code")); code != "" && len(code) <= 100 {
		return c.Redirect("/verify/"+url.PathEscape(code), fiber.StatusSeeOther)
	}
	d := pageData{L: readerLang(c, false), Issuer: h.svc.BaseURL(), Ask: true}
	d.Now = d.L.DateTime(h.svc.Now())
	return h.renderPage(c, fiber.StatusOK, d)
}

func (h *Handler) renderPage(c *fiber.Ctx, status int, d pageData) error {
	var buf bytes.Buffer
	if err := pageTemplate.Execute(&buf, d); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'")
	return c.Status(status).Send(buf.Bytes())
}
