package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
)

// WhatsAppMessageCount returns how many incoming WhatsApp messages are
// stored whose id starts with prefix.
func WhatsAppMessageCount(t testing.TB, db *store.DB, prefix string) int {
	t.Helper()
	var n int
	if err := db.Get(&n, db.Rebind(`SELECT COUNT(*) FROM whatsapp_messages WHERE wamid LIKE ? || '%'`), prefix); err != nil {
		t.Fatalf("storetest: WhatsApp messages: %v", err)
	}
	return n
}

// WhatsAppHeardAt moves every incoming WhatsApp message from phone p to
// at, so that her 24-hour window is measured from then.
func WhatsAppHeardAt(t testing.TB, db *store.DB, p string, at time.Time) {
	t.Helper()
	seed(t, db, `UPDATE whatsapp_messages SET sent_at = ? WHERE phone = ?`, at.UTC(), p)
}

// GroupPost is one message posted to a peer group.
type GroupPost struct {
	ID         int64  `db:"id"`
	InboundKey string `db:"inbound_key"`
	Body       string `db:"body"`
}

// GroupPosts returns every message posted to a peer group, oldest first.
func GroupPosts(t testing.TB, db *store.DB) []GroupPost {
	t.Helper()
	var out []GroupPost
	if err := db.Select(&out, `SELECT id, inbound_key, body FROM group_messages ORDER BY id`); err != nil {
		t.Fatalf("storetest: group messages: %v", err)
	}
	return out
}

// WhatsAppUnreachable marks the worker as one WhatsApp could not reach at
// at (a 131026), as the dispatcher does when it falls back to SMS.
func WhatsAppUnreachable(t testing.TB, db *store.DB, id int64, at time.Time) {
	t.Helper()
	seed(t, db, `UPDATE workers SET wa_unreachable_at = ? WHERE id = ?`, at.UTC(), id)
}

// CircleGroups returns how many mentor circles have a WhatsApp group.
func CircleGroups(t testing.TB, db *store.DB) int {
	t.Helper()
	var n int
	if err := db.Get(&n, `SELECT COUNT(*) FROM circle_groups`); err != nil {
		t.Fatalf("storetest: circle groups: %v", err)
	}
	return n
}

// WhatsAppOptedIn records that the worker opted in on WhatsApp at at, by
// writing to the number, as the inbox does: with WhatsApp chosen, her
// channel in effect is then WhatsApp.
func WhatsAppOptedIn(t testing.TB, db *store.DB, id int64, at time.Time) {
	t.Helper()
	seed(t, db, `UPDATE workers SET wa_opt_in_at = ?, wa_opt_in_via = ? WHERE id = ?`, at.UTC(), store.OptInWrote, id)
}

// ActivateCircle records group as circle id's WhatsApp group, as its group_create webhook does,
// with members invited and no invite queued.
func ActivateCircle(t testing.TB, db *store.DB, id int64, group string, members ...int64) {
	t.Helper()
	err := db.Tx(context.Background(), func(tx *store.Tx) error {
		_, err := db.ActivateCircleGroup(context.Background(), tx, id, group, "https://chat.whatsapp.com/"+group, members, nil)
		return err
	})
	if err != nil {
		t.Fatalf("storetest: activate circle %d: %v", id, err)
	}
}
