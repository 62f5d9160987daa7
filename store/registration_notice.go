package store

import (
	"context"
	"fmt"
)

// RegistrationNoticeFunc words the SMS that tells a health worker her
// registration was approved (approved) or rejected, in lang. The SMS
// package owns the wording; the store calls it in the transaction of the
// decision.
type RegistrationNoticeFunc func(approved bool, lang string) string

// noticeRegistration queues, in tx, the SMS that tells w (as she was before
// the change) of the decision on her pending registration: status active
// approves it, inactive rejects it. Nothing for a worker who was not
// pending, or without notice.
func (db *DB) noticeRegistration(ctx context.Context, tx *Tx, notice RegistrationNoticeFunc, w Worker, status string) error {
	if notice == nil || w.Status != StatusPending || status == StatusPending {
		return nil
	}
	_, err := db.Enqueue(ctx, tx, Outgoing{
		DedupeKey: fmt.Sprintf("registration:%d:%s", w.ID, status),
		Kind:      KindNudge, Phone: w.Phone, WorkerID: w.ID,
		Body: notice(status == StatusActive, w.Language),
	})
	return err
}
