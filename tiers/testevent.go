package tiers

import (
	"context"
	"encoding/json"

	"skillgate/app/dbx"
	"skillgate/app/web"
)

// EventTest is the type of the event an employer sends to check a
// receiver: it names no certificate.
const EventTest = "webhook.test"

// SendTestEvent queues a signed test event for one of the organization's
// webhooks; the outbox delivers it like any other, so the employer sees
// the receiver, the signature check and the retries work before a real
// revocation depends on them.
func (s *Service) SendTestEvent(ctx context.Context, p web.Principal, orgID, webhookID string) error {
	if err := ownOrganization(p, orgID); err != nil {
		return err
	}
	hooks, err := s.store.Webhooks(ctx, []string{orgID})
	if err != nil {
		return err
	}
	for _, h := range hooks {
		if h.ID != webhookID {
			continue
		}
		now := s.opt.Now()
		ev := Event{ID: dbx.NewID(), Type: EventTest, OccurredAt: now.UTC()}
		body, err := json.Marshal(ev)
		if err != nil {
			return err
		}
		return s.store.Enqueue(ctx, []outboxRow{{ID: ev.ID, WebhookID: h.ID, Type: EventTest, Body: string(body),
			NextAttemptAt: now, CreatedAt: now}})
	}
	return web.NotFound("webhook")
}
