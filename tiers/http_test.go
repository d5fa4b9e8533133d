package tiers_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"skillgate/app/apptest"
	"skillgate/app/web"
)

const api = "/api/v1"

// passBuiltIn takes learner through a built-in course and its final,
// answering `wrong` of the 20 questions wrongly; it returns the
// certificate id ("" when the attempt failed).
func passBuiltIn(t *testing.T, e *apptest.Env, learner apptest.User, slug string, wrong int) string {
	t.Helper()
	res := e.Call("POST", api+"/courses/"+slug+"/enrollments", learner.Token, nil)
	courseID := res.Map(t)["course_id"].(string)
	var pkg struct {
		Modules     []struct{ Lessons []struct{ ID string } }
		Assessments []struct{ ID string }
	}
	e.Call("GET", api+"/courses/"+courseID+"/package", learner.Token, nil).JSON(t, &pkg)
	for _, m := range pkg.Modules {
		for _, l := range m.Lessons {
			e.Call("POST", api+"/lessons/"+l.ID+"/complete", learner.Token, nil)
		}
	}
	res = e.Call("POST", api+"/assessments/"+pkg.Assessments[0].ID+"/attempts", learner.Token, nil)
	var at struct{ ID string }
	res.JSON(t, &at)
	var g struct {
		Percent       float64
		CertificateID *string `json:"certificate_id"`
	}
	e.Call("POST", api+"/attempts/"+at.ID+"/submit", learner.Token, map[string]any{"answers": e.Answers(at.ID, wrong)}).JSON(t, &g)
	if g.CertificateID == nil {
		return ""
	}
	return *g.CertificateID
}

type placement struct {
	Tier *struct {
		Slug string `json:"slug"`
	} `json:"tier"`
	Tiers []struct {
		Slug     string `json:"slug"`
		Eligible bool   `json:"eligible"`
		Missing  []struct {
			CourseSlug string `json:"course_slug"`
			Reason     string `json:"reason"`
		} `json:"missing"`
	} `json:"tiers"`
	Holder struct{ ID, Name string } `json:"holder"`
}

func (p placement) tier() string {
	if p.Tier == nil {
		return ""
	}
	return p.Tier.Slug
}

func myTier(t *testing.T, e *apptest.Env, u apptest.User) placement {
	t.Helper()
	var p placement
	res := e.Call("GET", api+"/me/tier", u.Token, nil)
	if res.Status != 200 {
		t.Fatalf("me/tier: %d %s", res.Status, res.Body)
	}
	res.JSON(t, &p)
	return p
}

// receiver is a real HTTP endpoint for webhook deliveries that can be
// made to fail.
type receiver struct {
	mu     sync.Mutex
	down   bool
	hits   int
	events []map[string]any
	secret string
	t      *testing.T
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.hits++
	if r.down {
		http.Error(w, "down", http.StatusServiceUnavailable)
		return
	}
	body, _ := io.ReadAll(req.Body)
	sig := req.Header.Get("Skillgate-Signature")
	var ts, v1 string
	for _, part := range strings.Split(sig, ",") {
		k, v, _ := strings.Cut(part, "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			v1 = v
		}
	}
	mac := hmac.New(sha256.New, []byte(r.secret))
	mac.Write([]byte(ts + "." + string(body)))
	if !hmac.Equal([]byte(hex.EncodeToString(mac.Sum(nil))), []byte(v1)) {
		r.t.Errorf("bad signature %q on %s", sig, body)
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var ev map[string]any
	json.Unmarshal(body, &ev)
	r.events = append(r.events, ev)
	w.WriteHeader(http.StatusNoContent)
}

func TestWorkerClimbsTiersAndEmployerIsTold(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		ctx := apptest.Context(t)
		if err := e.Seed(ctx, io.Discard); err != nil {
			t.Fatal(err)
		}
		worker := e.Learner()
		if p := myTier(t, e, worker); p.tier() != "" || len(p.Tiers) != 3 || p.Tiers[0].Missing[0].Reason != "not_taken" {
			t.Fatalf("new worker: %+v", p)
		}
		dlf := passBuiltIn(t, e, worker, "digital-literacy-foundations", 0)
		if p := myTier(t, e, worker); p.tier() != "tier-1" {
			t.Fatalf("after digital literacy: %+v", p)
		}
		// 15 of 20 is 75%: below the 80% pass mark, no certificate.
		if id := passBuiltIn(t, e, worker, "data-confidentiality-essentials", 5); id != "" {
			t.Fatal("a failed final issued a certificate")
		}
		e.Clock.Advance(25 * time.Hour) // the final's cooldown
		e.SignIn(&worker)
		dce := passBuiltIn(t, e, worker, "data-confidentiality-essentials", 0)
		if p := myTier(t, e, worker); p.tier() != "tier-2" {
			t.Fatalf("after confidentiality: %+v", p)
		}
		aqp := passBuiltIn(t, e, worker, "annotation-quality-practices", 0)
		if p := myTier(t, e, worker); p.tier() != "tier-3" {
			t.Fatalf("after annotation: %+v", p)
		}

		// The employer registers a webhook and checks the worker's tier
		// from the tokens the worker shared.
		employer := e.UserWithRole(web.RoleEmployer)
		recv := &receiver{t: t}
		srv := httptest.NewServer(recv)
		defer srv.Close()
		res := e.Call("POST", api+"/organizations/"+employer.OrganizationID+"/webhooks", employer.Token, map[string]any{"url": srv.URL + "/hooks"})
		if res.Status != 201 {
			t.Fatalf("webhook: %d %s", res.Status, res.Body)
		}
		recv.secret = res.Map(t)["secret"].(string)
		if l := e.Call("GET", api+"/organizations/"+employer.OrganizationID+"/webhooks", employer.Token, nil); strings.Contains(string(l.Body), recv.secret) {
			t.Fatal("the secret is shown again in the list")
		}
		var tokens []string
		for _, id := range []string{dlf, dce, aqp} {
			var c struct{ Token string }
			e.Call("GET", api+"/certificates/"+id, worker.Token, nil).JSON(t, &c)
			tokens = append(tokens, c.Token)
		}
		var p placement
		res = e.Call("POST", api+"/eligibility", employer.Token, map[string]any{"tokens": tokens})
		res.JSON(t, &p)
		if res.Status != 200 || p.tier() != "tier-3" || p.Holder.ID != worker.ID || p.Holder.Name != worker.Name {
			t.Fatalf("eligibility: %d %s", res.Status, res.Body)
		}
		// The worker sees who checked.
		var trail struct {
			Items []struct {
				Organization   struct{ ID, Name string }
				Kind           string
				CertificateIDs []string  `json:"certificate_ids"`
				CheckedAt      time.Time `json:"checked_at"`
			}
		}
		e.Call("GET", api+"/me/verifications", worker.Token, nil).JSON(t, &trail)
		if len(trail.Items) != 1 || trail.Items[0].Organization.ID != employer.OrganizationID || trail.Items[0].Organization.Name == "" ||
			trail.Items[0].Kind != "eligibility" || len(trail.Items[0].CertificateIDs) != 3 {
			t.Fatalf("trail: %+v", trail)
		}

		// Revocation: the tier drops at once and the employer is told,
		// even though the receiver is down at first.
		recv.mu.Lock()
		recv.down = true
		recv.mu.Unlock()
		admin := e.UserWithRole(web.RoleAdmin)
		if r := e.Call("POST", api+"/certificates/"+dce+"/revoke", admin.Token, map[string]any{"reason": "cheating"}); r.Status != 200 {
			t.Fatalf("revoke: %d", r.Status)
		}
		p = myTier(t, e, worker)
		if p.tier() != "tier-1" || p.Tiers[1].Missing[0].Reason != "revoked" {
			t.Fatalf("after revocation: %+v", p)
		}
		if n, err := e.Tiers.DeliverDue(ctx); err != nil || n != 0 {
			t.Fatalf("delivery to a receiver that is down: %d %v", n, err)
		}
		if n, _ := e.Tiers.DeliverDue(ctx); n != 0 || recv.hits != 1 {
			t.Fatalf("retried before the backoff: %d hits", recv.hits)
		}
		recv.mu.Lock()
		recv.down = false
		recv.mu.Unlock()
		e.Clock.Advance(31 * time.Second)
		if n, err := e.Tiers.DeliverDue(ctx); err != nil || n != 1 {
			t.Fatalf("retry: %d %v", n, err)
		}
		e.Clock.Advance(time.Hour)
		e.Tiers.DeliverDue(ctx)
		if len(recv.events) != 1 || recv.events[0]["type"] != "certificate.revoked" || recv.events[0]["certificate_id"] != dce ||
			recv.events[0]["id"] == nil || recv.events[0]["occurred_at"] == nil {
			t.Fatalf("events: %+v", recv.events)
		}

		// Expiry: digital literacy expires after two years; the tier drops
		// and the employer, who checked it, is told once.
		e.Clock.Advance(2*365*24*time.Hour + time.Hour)
		e.SignIn(&worker)
		if p := myTier(t, e, worker); p.tier() != "" || p.Tiers[0].Missing[0].Reason != "expired" {
			t.Fatalf("after expiry: %+v", p)
		}
		if _, err := e.Tiers.EnqueueExpired(ctx); err != nil {
			t.Fatal(err)
		}
		e.Tiers.EnqueueExpired(ctx)
		e.Tiers.DeliverDue(ctx)
		types := map[string]int{}
		for _, ev := range recv.events {
			types[ev["type"].(string)]++
		}
		if types["certificate.expired"] != 2 || types["certificate.revoked"] != 1 {
			t.Fatalf("events after expiry: %v", types) // dlf and aqp expired; dce was revoked (and expired: once more)
		}
	})
}

func TestEligibilityAndTrailRules(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		course := e.NewCertificateCourse()
		a, b := e.Learner(), e.Learner()
		ca, cb := course.Earn(a), course.Earn(b)
		orgA := e.UserWithRole(web.RoleEmployer)
		orgB := e.UserWithRole(web.RoleEmployer)

		res := e.Call("POST", api+"/eligibility", orgA.Token, map[string]any{"certificate_ids": []string{ca, cb}})
		if res.Status != 422 || !strings.Contains(string(res.Body), "several holders") {
			t.Fatalf("two holders: %d %s", res.Status, res.Body)
		}
		e.Scenarios(t, []apptest.Scenario{
			{Name: "a learner cannot check", Method: "POST", Path: api + "/eligibility", Token: a.Token,
				Body: map[string]any{"certificate_ids": []string{ca}}, Status: 403, Problem: "forbidden"},
			{Name: "a trainer cannot check", Method: "POST", Path: api + "/eligibility", Token: course.Trainer.Token,
				Body: map[string]any{"certificate_ids": []string{ca}}, Status: 403, Problem: "forbidden"},
			{Name: "anonymous cannot check", Method: "POST", Path: api + "/eligibility",
				Body: map[string]any{"certificate_ids": []string{ca}}, Status: 401, Problem: "unauthenticated"},
			{Name: "nothing to check", Method: "POST", Path: api + "/eligibility", Token: orgA.Token,
				Body: map[string]any{}, Status: 422, Problem: "validation"},
			{Name: "an unknown certificate", Method: "POST", Path: api + "/eligibility", Token: orgA.Token,
				Body: map[string]any{"certificate_ids": []string{"nope"}}, Status: 422, Problem: "validation"},
			{Name: "a forged token", Method: "POST", Path: api + "/eligibility", Token: orgA.Token,
				Body: map[string]any{"tokens": []string{"forged.token.here"}}, Status: 422, Problem: "validation"},
			{Name: "ids of the wrong type", Method: "POST", Path: api + "/eligibility", Token: orgA.Token,
				Body: `{"certificate_ids":"x"}`, Status: 400, Problem: "bad-request"},
			{Name: "a learner cannot batch-verify", Method: "POST", Path: api + "/verify/batch", Token: a.Token,
				Body: map[string]any{"ids": []string{ca}}, Status: 403, Problem: "forbidden"},
			{Name: "a refused check leaves no trail", Method: "GET", Path: api + "/me/verifications", Token: a.Token,
				Status: 200, Contains: []string{`"items":[]`}},
		})
		// Verification by an employer, by id, token or batch, is recorded; the public's is not.
		e.Call("GET", api+"/verify/"+ca, "", nil)
		e.Call("GET", api+"/verify/"+ca, orgA.Token, nil)
		e.Call("POST", api+"/verify/batch", orgB.Token, map[string]any{"ids": []string{ca, cb}})
		var trail struct {
			Items []struct {
				Organization struct{ ID string }
				Kind         string
			}
		}
		e.Call("GET", api+"/me/verifications", a.Token, nil).JSON(t, &trail)
		if len(trail.Items) != 2 {
			t.Fatalf("a's trail: %+v", trail)
		}
		// Each organization sees only its own checks.
		var own struct {
			Items []struct{ Organization struct{ ID string } }
		}
		e.Call("GET", api+"/organizations/"+orgA.OrganizationID+"/verifications", orgA.Token, nil).JSON(t, &own)
		if len(own.Items) != 1 || own.Items[0].Organization.ID != orgA.OrganizationID {
			t.Fatalf("org A's checks: %+v", own)
		}
		orgs := api + "/organizations/"
		e.Scenarios(t, []apptest.Scenario{
			{Name: "another organization's checks are not found", Method: "GET", Path: orgs + orgB.OrganizationID + "/verifications",
				Token: orgA.Token, Status: 404, Problem: "not-found"},
			{Name: "another organization's webhooks are not found", Method: "GET", Path: orgs + orgB.OrganizationID + "/webhooks",
				Token: orgA.Token, Status: 404, Problem: "not-found"},
			{Name: "no webhook for another organization", Method: "POST", Path: orgs + orgB.OrganizationID + "/webhooks",
				Token: orgA.Token, Body: map[string]any{"url": "https://example.org/hook"}, Status: 404, Problem: "not-found"},
			{Name: "a learner cannot read an organization's checks", Method: "GET", Path: orgs + orgA.OrganizationID + "/verifications",
				Token: a.Token, Status: 403, Problem: "forbidden"},
			{Name: "an employer has no trail of their own", Method: "GET", Path: api + "/me/verifications", Token: orgA.Token,
				Status: 403, Problem: "forbidden"},
			{Name: "an employer has no tier", Method: "GET", Path: api + "/me/tier", Token: orgA.Token, Status: 403, Problem: "forbidden"},
			{Name: "an unknown webhook", Method: "DELETE", Path: orgs + orgA.OrganizationID + "/webhooks/nope", Token: orgA.Token,
				Status: 404, Problem: "not-found"},
		})
	})
}

func TestWebhookURLsAreGuarded(t *testing.T) {
	t.Parallel()
	db := apptest.NewDB(t, apptest.Dialects(t)[0])
	e := apptest.New(t, db, apptest.Options{Env: map[string]string{"SKILLGATE_WEBHOOK_ALLOW_PRIVATE": "false"}})
	emp := e.UserWithRole(web.RoleEmployer)
	path := api + "/organizations/" + emp.OrganizationID + "/webhooks"
	for _, u := range []string{"http://127.0.0.1:8080/x", "http://localhost/x", "http://10.1.2.3/x", "http://192.168.0.1/x",
		"http://[::1]/x", "http://169.254.169.254/latest/meta-data", "ftp://example.org/x", "https://user:pw@example.org/x", "not a url"} {
		if r := e.Call("POST", path, emp.Token, map[string]any{"url": u}); r.Status != 422 {
			t.Errorf("%s: %d %s", u, r.Status, r.Body)
		}
	}
	var list struct{ Items []any }
	e.Call("GET", path, emp.Token, nil).JSON(t, &list)
	if len(list.Items) != 0 {
		t.Fatalf("refused webhooks were stored: %+v", list)
	}
}

func TestTierAdministration(t *testing.T) {
	t.Parallel()
	apptest.EachDB(t, func(t *testing.T, db *gorm.DB) {
		e := apptest.New(t, db)
		if err := e.Seed(apptest.Context(t), io.Discard); err != nil {
			t.Fatal(err)
		}
		admin := e.UserWithRole(web.RoleAdmin)
		learner := e.Learner()
		var list struct {
			Items []struct {
				ID, Slug      string
				Rank          int
				HourlyRateUSD float64 `json:"hourly_rate_usd"`
				Requirements  []struct {
					CourseSlug string  `json:"course_slug"`
					MinPercent float64 `json:"min_percent"`
					MaxAgeDays *int    `json:"max_age_days"`
				}
			}
		}
		e.Call("GET", api+"/tiers", "", nil).JSON(t, &list)
		if len(list.Items) != 3 || list.Items[1].Slug != "tier-2" || len(list.Items[1].Requirements) != 2 ||
			*list.Items[1].Requirements[1].MaxAgeDays != 365 || list.Items[1].Requirements[1].MinPercent != 80 {
			t.Fatalf("tiers: %+v", list)
		}
		tier4 := map[string]any{"slug": "tier-4", "name": "Lead", "rank": 4, "hourly_rate_usd": 8,
			"requirements": []any{map[string]any{"course_slug": "annotation-quality-practices", "min_percent": 95}}}
		upd := map[string]any{"slug": "tier-1", "name": "General data tasks", "rank": 1, "hourly_rate_usd": 3.5,
			"requirements": []any{map[string]any{"course_slug": "digital-literacy-foundations", "min_percent": 75}}}
		e.Scenarios(t, []apptest.Scenario{
			{Name: "a learner cannot add a tier", Method: "POST", Path: api + "/tiers", Token: learner.Token, Body: tier4,
				Status: 403, Problem: "forbidden"},
			{Name: "anonymous cannot add a tier", Method: "POST", Path: api + "/tiers", Body: tier4, Status: 401, Problem: "unauthenticated"},
			{Name: "a bad slug, no name, no rank", Method: "POST", Path: api + "/tiers", Token: admin.Token,
				Body: map[string]any{"slug": "Bad Slug", "name": "", "rank": 0}, Status: 422, Problem: "validation"},
			{Name: "a rank of the wrong type", Method: "POST", Path: api + "/tiers", Token: admin.Token, Body: `{"rank":"x"}`,
				Status: 400, Problem: "bad-request"},
			{Name: "a slug taken", Method: "POST", Path: api + "/tiers", Token: admin.Token,
				Body:   map[string]any{"slug": "tier-1", "name": "Dup", "rank": 9, "requirements": []any{map[string]any{"course_slug": "x", "min_percent": 1}}},
				Status: 409, Problem: "conflict"},
			{Name: "an admin adds a tier", Method: "POST", Path: api + "/tiers", Token: admin.Token, Body: tier4, Status: 201,
				Contains: []string{`"slug":"tier-4"`}},
			{Name: "an unknown tier", Method: "PUT", Path: api + "/tiers/nope", Token: admin.Token, Body: tier4, Status: 404, Problem: "not-found"},
			{Name: "a learner cannot change a tier", Method: "PUT", Path: api + "/tiers/" + list.Items[0].ID, Token: learner.Token, Body: tier4,
				Status: 403, Problem: "forbidden"},
			{Name: "an admin changes a tier", Method: "PUT", Path: api + "/tiers/" + list.Items[0].ID, Token: admin.Token, Body: upd,
				Status: 200, Contains: []string{`"hourly_rate_usd":3.5`}},
		})
	})
}
