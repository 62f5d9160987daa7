package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// TestMigration0058TypesWhatsAppContent applies the SQLite migrations up to 0054, where a WhatsApp
// menu and a circle group's invite were marked by body prefixes, queues one of each and a text, then
// 0058: the prefixes are gone from the bodies and the rows say what they hold in wa_content, as the
// dispatcher reads it.
func TestMigration0058TypesWhatsAppContent(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	applyUpTo(t, db, "0057")
	now := time.Date(2026, 12, 7, 7, 0, 0, 0, time.UTC)
	for key, body := range map[string]string{
		"menu":   `whatsapp-menu:{"Kind":"list","Body":"Main menu"}`,
		"invite": "whatsapp-group-invite:GROUP1",
		"text":   "whatsapp-menus are listed in Settings",
	} {
		_, err := db.ExecContext(ctx, `INSERT INTO outbox (dedupe_key, kind, priority, phone, body, not_before, created_at, updated_at, channel)
VALUES (?, 'reply', 0, '+254711000001', ?, ?, ?, ?, 'whatsapp')`, key, body, now, now, now)
		if err != nil {
			t.Fatal(err)
		}
	}
	applyUpTo(t, db, "0058_circle_requests")
	want := map[string][2]string{
		"menu":   {`{"Kind":"list","Body":"Main menu"}`, "menu"},
		"invite": {"GROUP1", "group_invite"},
		"text":   {"whatsapp-menus are listed in Settings", ""},
	}
	for key, w := range want {
		var row struct {
			Body    string `db:"body"`
			Content string `db:"wa_content"`
		}
		if err := db.GetContext(ctx, &row, `SELECT body, wa_content FROM outbox WHERE dedupe_key = ?`, key); err != nil {
			t.Fatal(err)
		}
		if row.Body != w[0] || row.Content != w[1] {
			t.Errorf("%s after 0058 = %q, %q; want %q, %q", key, row.Body, row.Content, w[0], w[1])
		}
	}
}
