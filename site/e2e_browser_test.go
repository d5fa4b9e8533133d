package site_test

// The real browser of the end-to-end tests: one headless Chromium for the
// whole package, driven with chromedp, a fresh browser context (cookies,
// cache, storage, service workers) for every tab, a phone's 360×740
// viewport, and a timeout on every action.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"gopkg.in/yaml.v3"
	"gorm.io/gorm"

	"skillgate/app/apptest"
)

// TestMain closes the shared browser once every test has run.
func TestMain(m *testing.M) {
	code := m.Run()
	if chrome.cancel != nil {
		chrome.cancel()
	}
	os.Exit(code)
}

var chrome struct {
	once   sync.Once
	ctx    context.Context
	cancel context.CancelFunc
	err    error
	path   string
}

// actionTimeout bounds every browser action; it is generous (2G, two
// shared cores) and never a measure of speed.
const actionTimeout = 45 * time.Second

func findChromium() string {
	if p := os.Getenv("SKILLGATE_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome-stable", "google-chrome", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browserWanted says whether the browser tests run: always under CI=true,
// and elsewhere when SKILLGATE_TEST_BROWSER=1. They keep both cores of a
// small machine busy for about 30 s, so the everyday go test ./... leaves
// them out, as Rails leaves its system tests out of "rails test".
func browserWanted() bool {
	return os.Getenv("CI") == "true" || os.Getenv("SKILLGATE_TEST_BROWSER") == "1"
}

// browserContext returns the package's browser, starting it on first use.
// Unless they are wanted (browserWanted) the browser tests skip; with no
// browser installed they skip too, or fail under CI=true.
func browserContext(t *testing.T) context.Context {
	t.Helper()
	if !browserWanted() {
		t.Skip("browser tests run under CI=true or with SKILLGATE_TEST_BROWSER=1")
	}
	chrome.once.Do(func() {
		chrome.path = findChromium()
		if chrome.path == "" {
			chrome.err = errors.New("no chromium binary found (install Debian's chromium, or set SKILLGATE_CHROMIUM)")
			return
		}
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(chrome.path),
			chromedp.NoSandbox, // the tests run as root in CI
			chromedp.Flag("lang", "en-US"),
			chromedp.Flag("disable-gpu", true),
		)
		alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancelCtx := chromedp.NewContext(alloc)
		chrome.ctx = ctx
		chrome.cancel = func() { cancelCtx(); cancelAlloc() }
		// The first Do starts the browser and binds it to ctx, so it has no
		// timeout of its own; a watchdog ends a start that hangs.
		done := make(chan struct{})
		go func() {
			select {
			case <-done:
			case <-time.After(actionTimeout):
				cancelCtx()
			}
		}()
		chrome.err = chromedp.Do(ctx)
		close(done)
	})
	if chrome.err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("browser tests need Chromium under CI=true: %v", chrome.err)
		}
		t.Skipf("skipping the browser tests: %v", chrome.err)
	}
	return chrome.ctx
}

// server is the real platform listening on a loopback port.
type server struct {
	e      *apptest.Env
	origin string
	shots  string
}

func startServer(t *testing.T, db *gorm.DB) *server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	origin := "http://" + ln.Addr().String()
	e := apptest.New(t, db, apptest.Options{Env: map[string]string{"SKILLGATE_BASE_URL": origin}})
	go func() { _ = e.App.Listener(ln) }()
	t.Cleanup(func() { _ = e.App.ShutdownWithTimeout(5 * time.Second) })
	return &server{e: e, origin: origin, shots: screenshotDir(t)}
}

// netRequest is one request a page made, from the browser's network events.
type netRequest struct {
	url     string
	typ     network.ResourceType
	bytes   float64 // encoded bytes received, headers included
	status  int64
	failed  string
	fromSW  bool
	pending bool
}

// tabOptions say what phone a tab is.
type tabOptions struct {
	lang    string // the language the pages must be in
	scripts bool   // scripting on
	// bypassWorker loads every page from the network, not through the
	// service worker, so that each is weighed as a first visit.
	bypassWorker bool
	audit        bool // run axe-core on every page
	screenshots  bool // save every page as PNG
}

// tab is one phone: a browser context of its own with scripting on or off.
type tab struct {
	t       *testing.T
	ctx     context.Context
	srv     *server
	scripts bool
	// audit runs axe-core on each page.
	audit bool
	name  string
	lang  string
	shots string
	n     int

	mu   sync.Mutex
	reqs map[network.RequestID]*netRequest
	seq  []network.RequestID
}

func newTab(t *testing.T, srv *server, o tabOptions) *tab {
	t.Helper()
	parent := browserContext(t)
	ctx, cancel := chromedp.NewContext(parent, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	name := strings.NewReplacer("/", "_", " ", "_").Replace(t.Name())
	tb := &tab{t: t, ctx: ctx, srv: srv, scripts: o.scripts, audit: o.audit, name: name, lang: o.lang,
		reqs: map[network.RequestID]*netRequest{}}
	if o.screenshots {
		tb.shots = srv.shots
	}
	scripts := o.scripts
	if err := chromedp.Listen(ctx, tb.onEvent); err != nil {
		t.Fatalf("listen: %v", err)
	}
	tb.do(
		chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait),
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{
				UserAgent: "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36",
				// The phone's language is English: a Hindi page comes
				// from ?lang=hi and the account's locale, as the contract says.
				AcceptLanguage: "en-US,en",
				Platform:       "Linux armv8l",
			})
			if err != nil {
				return err
			}
			// Every page is loaded as on a first visit: nothing from the
			// HTTP cache, and, when asked, not through the service worker.
			if _, err := chromedp.Call(ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
				return err
			}
			if _, err := chromedp.Call(ctx, network.SetBypassServiceWorker, network.SetBypassServiceWorkerParams{Bypass: o.bypassWorker}); err != nil {
				return err
			}
			_, err = chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !scripts})
			return err
		}),
	)
	return tb
}

func (tb *tab) onEvent(ev any) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		r := tb.reqs[ev.RequestID]
		if r == nil {
			r = &netRequest{}
			tb.reqs[ev.RequestID] = r
			tb.seq = append(tb.seq, ev.RequestID)
		}
		if ev.RedirectResponse != nil {
			r.bytes += ev.RedirectResponse.EncodedDataLength
		}
		r.url, r.typ, r.pending = ev.Request.URL, ev.Type, true
	case *network.EventResponseReceived:
		if r := tb.reqs[ev.RequestID]; r != nil {
			r.status, r.fromSW = ev.Response.Status, ev.Response.FromServiceWorker
		}
	case *network.EventLoadingFinished:
		if r := tb.reqs[ev.RequestID]; r != nil {
			r.bytes += ev.EncodedDataLength
			r.pending = false
		}
	case *network.EventLoadingFailed:
		if r := tb.reqs[ev.RequestID]; r != nil {
			r.failed, r.pending = ev.ErrorText, false
		}
	}
}

// takeRequests returns the requests since the last call and forgets them.
func (tb *tab) takeRequests() []netRequest {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	out := make([]netRequest, 0, len(tb.seq))
	for _, id := range tb.seq {
		out = append(out, *tb.reqs[id])
	}
	tb.reqs, tb.seq = map[network.RequestID]*netRequest{}, nil
	return out
}

// do runs actions with a timeout.
func (tb *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, actionTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		tb.fatalf("browser: %v", err)
	}
}

func run[T any](tb *tab, a chromedp.Action[T]) T {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, actionTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		tb.fatalf("browser: %v", err)
	}
	return v
}

// eval runs a script in the page (through DevTools, so it works with the
// page's scripting off and is not bound by its CSP).
func eval[T any](tb *tab, js string) T {
	tb.t.Helper()
	return run(tb, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
}

// fatalf fails the test, saving what the phone shows first.
func (tb *tab) fatalf(format string, args ...any) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 10*time.Second)
	defer cancel()
	if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
		p := filepath.Join(tb.srv.shots, tb.name+"-failure.png")
		if os.WriteFile(p, png, 0o644) == nil {
			tb.t.Logf("the page at the failure: %s", p)
		}
	}
	if text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + "\n" + document.body.innerText`)); err == nil {
		if len(text) > 3000 {
			text = text[:3000] + "…"
		}
		tb.t.Logf("it shows: %s", text)
	}
	tb.t.Fatalf(format, args...)
}

// load runs actions that navigate (a link, a form) and waits for the new
// page; the final response must have the status wanted.
func (tb *tab) load(want int64, actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	tb.takeRequests()
	ctx, cancel := context.WithTimeout(tb.ctx, actionTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, actions...)
	if err != nil {
		tb.fatalf("navigation: %v", err)
	}
	if resp.Status != want {
		tb.fatalf("%s: status %d, want %d", resp.URL, resp.Status, want)
	}
}

// tap scrolls the element into view and taps (clicks) its middle, as a
// finger would; the element must be what is under the finger. It uses no
// DOM query of chromedp, which waits for a script context that a page with
// scripting off never gets.
func (tb *tab) tap(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
		js := fmt.Sprintf(`(() => {
			const el = document.querySelector(%q);
			if (!el) return "missing";
			el.scrollIntoView({block: "center"});
			const r = el.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
			const hit = document.elementFromPoint(x, y);
			if (!hit || !(el === hit || el.contains(hit) || (el.labels && [...el.labels].some(l => l.contains(hit)))))
				return "covered by " + (hit ? hit.outerHTML.slice(0, 120) : "nothing");
			return x + " " + y;
		})()`, sel)
		for {
			res, err := chromedp.Evaluate[string](js)(ctx, target)
			if err != nil {
				return fmt.Errorf("tap %s: %w", sel, err)
			}
			var x, y float64
			if _, err := fmt.Sscanf(res, "%g %g", &x, &y); err == nil {
				_, err := chromedp.MouseClickXY(x, y)(ctx, target)
				return err
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("tap %s: %s: %w", sel, res, ctx.Err())
			case <-time.After(100 * time.Millisecond):
			}
		}
	})
}

// typeInto taps a text field, selects what it holds and types text.
func (tb *tab) typeInto(sel, text string) {
	tb.t.Helper()
	tb.do(tb.tap(sel), chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).select()`, sel)),
		chromedp.KeyEvent(text))
}

func (tb *tab) open(path string) { tb.t.Helper(); tb.load(200, chromedp.Navigate(tb.srv.origin+path)) }

// click follows a link or presses a button that loads a new page.
func (tb *tab) click(sel string) { tb.t.Helper(); tb.load(200, tb.tap(sel)) }

func (tb *tab) path() string {
	tb.t.Helper()
	return strings.TrimPrefix(run(tb, chromedp.Location()), tb.srv.origin)
}

// text is the visible text of the page.
func (tb *tab) text() string {
	tb.t.Helper()
	return eval[string](tb, `document.body.innerText`)
}

func (tb *tab) sees(want ...string) {
	tb.t.Helper()
	got := tb.text()
	for _, w := range want {
		if !strings.Contains(got, w) {
			tb.fatalf("%s does not show %q; it shows:\n%s", tb.path(), w, got)
		}
	}
}

func (tb *tab) doesNotSee(bad ...string) {
	tb.t.Helper()
	got := tb.text()
	for _, b := range bad {
		if strings.Contains(got, b) {
			tb.fatalf("%s shows %q; it shows:\n%s", tb.path(), b, got)
		}
	}
}

func (tb *tab) attr(sel, name string) string {
	tb.t.Helper()
	return eval[string](tb, fmt.Sprintf(`(document.querySelector(%q)||{getAttribute(){return ""}}).getAttribute(%q)||""`, sel, name))
}

// page checks the page just loaded as every page must be, and keeps its
// screenshot: the language, an accessibility check with axe-core, and the
// budget (bytes from the network events, nothing from another site).
func (tb *tab) page(name string) pageWeight {
	tb.t.Helper()
	w := tb.weigh(name)
	if got := tb.attr("html", "lang"); got != tb.lang {
		tb.fatalf("%s: <html lang=%q>, want %q", name, got, tb.lang)
	}
	if tb.audit {
		tb.axe(name)
	}
	tb.screenshot(name)
	return w
}

// pageWeight is what one page cost to load.
type pageWeight struct {
	name      string
	bytes     float64
	requests  int
	viaWorker bool // served through the service worker: not weighed
}

const budgetBytes = 30 * 1024

var sameOrigin = regexp.MustCompile(`^(data:|about:blank)`)

func (tb *tab) weigh(name string) pageWeight {
	tb.t.Helper()
	w := pageWeight{name: name}
	var list []string
	reqs := tb.takeRequests()
	for _, r := range reqs {
		if r.fromSW {
			// The service worker fetched it: the bytes are not in the
			// page's events, and this is no first visit anyway.
			w.viaWorker = true
		}
	}
	for _, r := range reqs {
		if !strings.HasPrefix(r.url, tb.srv.origin+"/") && !sameOrigin.MatchString(r.url) {
			tb.fatalf("%s: a request leaves the site: %s", name, r.url)
		}
		if r.typ == network.ResourceTypeFont {
			tb.fatalf("%s: a web font is downloaded: %s", name, r.url)
		}
		if strings.HasPrefix(r.url, "data:") {
			continue // inline, already counted in the HTML
		}
		w.bytes += r.bytes
		w.requests++
		list = append(list, fmt.Sprintf("%s %s %.0f B", r.typ, strings.TrimPrefix(r.url, tb.srv.origin), r.bytes))
	}
	if w.requests == 0 {
		tb.fatalf("%s: no request seen: the page was not loaded from the network", name)
	}
	if w.bytes > budgetBytes && !w.viaWorker {
		tb.fatalf("%s weighs %.0f bytes over the wire, over the 30 KB budget:\n%s", name, w.bytes, strings.Join(list, "\n"))
	}
	return w
}

var axeSource = sync.OnceValues(func() (string, error) {
	b, err := os.ReadFile(filepath.Join("testdata", "axe.min.js"))
	return string(b), err
})

type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  []any  `json:"target"`
		HTML    string `json:"html"`
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

// axe runs axe-core's WCAG 2 A and AA rules (2.0, 2.1 and 2.2) on the page
// and fails on any serious or critical violation.
func (tb *tab) axe(name string) {
	tb.t.Helper()
	vs := tb.axeViolations()
	if len(vs) == 0 {
		return
	}
	var b strings.Builder
	for _, v := range vs {
		fmt.Fprintf(&b, "\n[%s] %s: %s", v.Impact, v.ID, v.Help)
		for _, n := range v.Nodes {
			fmt.Fprintf(&b, "\n    %v %s\n      %s", n.Target, n.HTML, strings.ReplaceAll(n.Summary, "\n", "\n      "))
		}
	}
	tb.fatalf("%s (%s): accessibility violations:%s", name, tb.path(), b.String())
}

// axeViolations returns the serious and critical violations on the page.
func (tb *tab) axeViolations() []axeViolation {
	tb.t.Helper()
	src, err := axeSource()
	if err != nil {
		tb.t.Fatalf("axe-core: %v", err)
	}
	if !tb.scripts {
		// axe-core's promises and timers need scripting: allow it for the
		// check only. The page's own script, skipped at load, stays
		// skipped, and scripting is off again before the next page.
		tb.scriptsOff(false)
		defer tb.scriptsOff(true)
	}
	if !eval[bool](tb, `typeof window.axe === "object"`) {
		// Compiled as a script with a name, the renderer's compilation
		// cache keeps it from one page to the next.
		tb.do(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			c, err := chromedp.Call(ctx, runtime.CompileScript, runtime.CompileScriptParams{Expression: src,
				SourceURL: "http://axe.test/axe.min.js", PersistScript: true})
			if err != nil {
				return err
			}
			if c.ExceptionDetails != nil {
				return fmt.Errorf("axe-core: %s", c.ExceptionDetails.Text)
			}
			_, err = chromedp.Call(ctx, runtime.RunScript, runtime.RunScriptParams{ScriptID: c.ScriptID})
			return err
		}))
	}
	raw := eval[string](tb, `axe.run(document, {
		runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]},
		resultTypes: ["violations"]
	}).then(r => JSON.stringify(r.violations.filter(v => v.impact === "serious" || v.impact === "critical")))`)
	var vs []axeViolation
	if err := json.Unmarshal([]byte(raw), &vs); err != nil {
		tb.t.Fatalf("axe result: %v", err)
	}
	return vs
}

func (tb *tab) scriptsOff(off bool) {
	tb.t.Helper()
	tb.do(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: off})
		return err
	}))
}

// screenshot saves the whole page as PNG.
func (tb *tab) screenshot(name string) {
	tb.t.Helper()
	if tb.shots == "" {
		return
	}
	png := run(tb, chromedp.FullScreenshot(100))
	tb.n++
	p := filepath.Join(tb.shots, fmt.Sprintf("%s-%02d-%s.png", tb.name, tb.n, name))
	if err := os.WriteFile(p, png, 0o644); err != nil {
		tb.t.Fatal(err)
	}
}

// screenshotDir is $SKILLGATE_SCREENSHOTS, or a temporary folder that is
// kept, and named in the log, when the test fails.
func screenshotDir(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("SKILLGATE_SCREENSHOTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	d, err := os.MkdirTemp("", "skillgate-screens-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("screenshots kept in %s", d)
			return
		}
		_ = os.RemoveAll(d)
	})
	return d
}

// msg is a message of the site's catalogue with its {{.Name}} fields
// filled, so that the tests read the page in its own language.
func msg(t *testing.T, lang, key string, fields ...any) string {
	t.Helper()
	m := catalogues(t)[lang][key]
	if m == "" {
		t.Fatalf("no message %s in %s", key, lang)
	}
	for i := 0; i+1 < len(fields); i += 2 {
		m = strings.ReplaceAll(m, "{{."+fields[i].(string)+"}}", fmt.Sprint(fields[i+1]))
	}
	return m
}

var catalogueOnce = sync.OnceValues(func() (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	for _, lang := range []string{"en", "hi"} {
		raw, err := os.ReadFile(filepath.Join("..", "app", "i18n", "locales", lang+".yaml"))
		if err != nil {
			return nil, err
		}
		var m map[string]any
		if err := yaml.Unmarshal(raw, &m); err != nil {
			return nil, err
		}
		out[lang] = map[string]string{}
		for k, v := range m {
			switch v := v.(type) {
			case string:
				out[lang][k] = v
			case map[string]any: // plural forms: key.one, key.other
				for form, text := range v {
					if s, ok := text.(string); ok {
						out[lang][k+"."+form] = s
					}
				}
			}
		}
	}
	return out, nil
})

func catalogues(t *testing.T) map[string]map[string]string {
	t.Helper()
	c, err := catalogueOnce()
	if err != nil {
		t.Fatal(err)
	}
	return c
}
