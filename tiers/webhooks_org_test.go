package tiers_test

import (
	"context"
	"errors"
	"testing"

	"skillgate/app/apptest"
	"skillgate/app/web"
)

// TestWebhookOrganizationLookup: an organization that does not exist is a
// 404, but a lookup that fails (here, a cancelled query) is not turned
// into one: it stays an error the edge renders as a 500.
func TestWebhookOrganizationLookup(t *testing.T) {
	e := apptest.New(t, apptest.NewDB(t, apptest.Dialects(t)[0]), apptest.Options{})
	emp := e.UserWithRole(web.RoleEmployer)

	ghost := web.Principal{UserID: emp.ID, Role: web.RoleAdmin}
	_, err := e.Tiers.CreateWebhook(apptest.Context(t), ghost, "00000000-0000-0000-0000-000000000000", "https://example.com/hook")
	if !web.IsKind(err, web.KindNotFound) {
		t.Fatalf("unknown organization: want not found, got %v", err)
	}

	p := web.Principal{UserID: emp.ID, Role: web.RoleEmployer, OrganizationID: emp.OrganizationID}
	ctx, cancel := context.WithCancel(apptest.Context(t))
	cancel()
	_, err = e.Tiers.CreateWebhook(ctx, p, emp.OrganizationID, "https://example.com/hook")
	if err == nil || web.IsKind(err, web.KindNotFound) || !errors.Is(err, context.Canceled) {
		t.Fatalf("failed lookup: want the database error, got %v", err)
	}
	if _, ok := web.AsError(err); ok {
		t.Fatalf("failed lookup became a client error: %v", err)
	}
}
