package store

import (
	"context"
	"fmt"

	"github.com/chanjo-health/chanjo/lessons/i18n"
)

// RegistrationNotice is the SMS that tells a health worker the decision on
// her pending registration, in every language of the pack: the SMS package
// words it from the catalogue, and the store queues the one in her language
// in the transaction of the decision.
type RegistrationNotice struct {
	Approved, Rejected i18n.Text
}

// noticeRegistration queues, in tx, the SMS that tells w (as she was before
// the change) of the decision on her pending registration: status active
// approves it, inactive rejects it. Nothing for a worker who was not
// pending, or without notice.
func (db *DB) noticeRegistration(ctx context.Context, tx *Tx, notice *RegistrationNotice, w Worker, status string) error {
	if notice == nil || w.Status != StatusPending || status == StatusPending {
		return nil
	}
	body := notice.Rejected
	if status == StatusActive {
		body = notice.Approved
	}
	_, err := db.Enqueue(ctx, tx, Outgoing{
		DedupeKey: fmt.Sprintf("registration:%d:%s", w.ID, status),
		Kind:      KindNudge, Phone: w.Phone, WorkerID: w.ID,
		Body: body.In(w.Language),
	})
	return err
}
