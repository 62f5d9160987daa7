package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// TestMigration0057CountsSMSApartAndTheirParts applies the SQLite
// migrations up to 0054, sends two SMS (2 and 3 parts) and a WhatsApp
// message and removes one of the SMS as retention would, then 0057 (and up
// to 0061): the month's SMS sent are the two SMS, not the WhatsApp message,
// the one removed still counted, and the parts those the outbox holds; the
// counters then move with each new result.
func TestMigration0057CountsSMSApartAndTheirParts(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	applyUpTo(t, db, "0054_whatsapp_reach")
	now := time.Date(2026, 12, 7, 7, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	const sqlRow = `INSERT INTO outbox (dedupe_key, kind, priority, phone, body, status, not_before, segments, created_at,
  sent_at, updated_at, channel, sub_county) VALUES (?, 'nudge', 1, '+254711000001', 'x', 'accepted', ?, ?, ?, ?, ?, ?, 'Kibra')`
	for _, r := range []struct {
		key, channel string
		segments     int
	}{{"gone", ChannelSMS, 4}, {"s2", ChannelSMS, 2}, {"s3", ChannelSMS, 3}, {"w1", ChannelWhatsApp, 1}} {
		if _, err := db.ExecContext(ctx, sqlRow, r.key, now, r.segments, now, now, now, r.channel); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.ExecContext(ctx, `DELETE FROM outbox WHERE dedupe_key = 'gone'`); err != nil {
		t.Fatal(err)
	}
	// Up to 0061, whose hours the month's reading needs (its first hours are
	// read from the outbox); 0058-0061 change no count.
	applyUpTo(t, db, "0061_outbox_hours")
	month := func() SMSMonth {
		t.Helper()
		m, err := db.smsMonth(ctx, Scope{Admin: true}, now.Add(-24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	if m := month(); m.Sent != 3 || m.Parts != 5 {
		t.Errorf("after 0057: %d SMS sent in %d parts, want 3 (the WhatsApp message apart) in 5 (the rows kept)", m.Sent, m.Parts)
	}
	applyUpTo(t, db, "9999") // the code below writes the newest schema
	if _, err := db.QueueSMS(ctx, Outgoing{DedupeKey: "s4", Kind: KindNudge, Phone: "+254711000002", Body: "y", Channel: ChannelSMS}); err != nil {
		t.Fatal(err)
	}
	l, err := db.Claim(ctx, ClaimOptions{Owner: "o", Limit: 1, Lease: time.Minute})
	if err != nil || len(l.Msgs) != 1 {
		t.Fatalf("Claim = %+v, %v", l, err)
	}
	if err := db.Finish(ctx, "o", []Result{{ID: l.Msgs[0].ID, Status: OutAccepted, GatewayID: "gw", Segments: 2}}); err != nil {
		t.Fatal(err)
	}
	if m := month(); m.Sent != 4 || m.Parts != 7 || m.Queued != 0 {
		t.Errorf("after one more SMS of 2 parts: %+v, want 4 sent in 7 parts, none queued", m)
	}
}
