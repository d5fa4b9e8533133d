package certs

import (
	"bytes"
	"html/template"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"skillgate/app/i18n"
	"skillgate/app/web"
)

// The issuer and achievement ids in credentials are URLs, and a verifier
// that follows them gets the Open Badges 3.0 Profile or Achievement as
// JSON, and a person with a browser (Accept: text/html) gets a page.

// wantsJSON reports whether the client wants JSON: anything but a
// browser (whose Accept names text/html) gets the document, so that a
// verifier following an id with Accept: */* or none gets JSON too.
func wantsJSON(c *fiber.Ctx) bool {
	accept := c.Get(fiber.HeaderAccept)
	return strings.Contains(accept, "json") || !strings.Contains(accept, "text/html")
}

var profileTemplate = template.Must(template.New("profile").Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{{.Name}}</title>
<style>body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Devanagari",sans-serif;background:#f4f4f4;color:#111}
main{max-width:34rem;margin:0 auto;padding:1rem}dl{background:#fff;border-radius:.6rem;padding:1rem 1.2rem;display:grid;grid-template-columns:auto 1fr;gap:.5rem 1rem}
dt{color:#555}dd{margin:0;font-weight:600;overflow-wrap:anywhere}.endorsed{color:#13773a}.not-endorsed{color:#b3261e}</style>
</head><body><main><h1>{{.Name}}</h1>
{{if .Description}}<p>{{.Description}}</p>{{end}}
<dl>{{range .Rows}}<dt>{{.K}}</dt><dd{{if .Class}} class="{{.Class}}"{{end}}>{{.V}}</dd>{{end}}</dl>
</main></body></html>
`))

type profileRow struct{ K, V, Class string }

type profilePage struct {
	Lang, Name, Description string
	Rows                    []profileRow
}

func (h *Handler) renderProfile(c *fiber.Ctx, d profilePage) error {
	var buf bytes.Buffer
	if err := profileTemplate.Execute(&buf, d); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'")
	return c.Send(buf.Bytes())
}

// issuer serves the issuer Profile credentials name in issuer.id.
func (h *Handler) issuer(c *fiber.Ctx) error {
	base := h.svc.BaseURL()
	profile := IssuerProfile(base, h.svc.IssuerName())
	profile["@context"] = credentialContexts
	c.Set(fiber.HeaderVary, "Accept")
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	if wantsJSON(c) {
		return c.JSON(profile)
	}
	l := i18n.For(i18n.Default)
	return h.renderProfile(c, profilePage{Lang: l.Code, Name: h.svc.IssuerName(), Description: l.T("checkpage.issuer_note"),
		Rows: []profileRow{{K: "id", V: IssuerURL(base)}, {K: "url", V: base}, {K: l.T("checkpage.keys"), V: base + JWKSPath}}})
}

// achievement serves the Achievement of a published course version, the
// URL credentials name in credentialSubject.achievement.id.
func (h *Handler) achievement(c *fiber.Ctx) error {
	ver := strings.TrimPrefix(c.Params("version"), "v")
	n, err := strconv.Atoi(ver)
	if err != nil || n < 1 || !strings.HasPrefix(c.Params("version"), "v") {
		return web.NotFound("achievement")
	}
	ach, info, err := h.svc.Achievement(c.UserContext(), strings.Clone(c.Params("slug")), n)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderVary, "Accept")
	c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	if wantsJSON(c) {
		ach["@context"] = credentialContexts
		return c.JSON(ach)
	}
	l := i18n.For(info.Language)
	endorsement, class := l.T("checkpage.not_endorsed"), "not-endorsed"
	if info.Publisher.Endorsed {
		endorsement, class = l.T("checkpage.endorsed", "Platform", h.svc.IssuerName()), "endorsed"
	}
	narrative, _ := ach["criteria"].(map[string]any)["narrative"].(string)
	return h.renderProfile(c, profilePage{Lang: l.Code, Name: info.Title + " (v" + strconv.Itoa(info.Version) + ")", Description: info.Summary,
		Rows: []profileRow{{K: l.T("checkpage.publisher"), V: info.Publisher.Label()}, {K: l.T("checkpage.endorsement"), V: endorsement, Class: class},
			{K: l.T("checkpage.criteria"), V: narrative}, {K: "id", V: AchievementURL(h.svc.BaseURL(), info.Slug, info.Version)}}})
}
