package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMigration0011KeepsDataAndOptOuts applies the SQLite migrations up to
// 0010, writes an outbox row and opt-outs the old way, then 0011: the
// outbox keeps its rows and indexes and takes the new statuses on every
// pooled connection, and the old opt-outs get records.
func TestMigration0011KeepsDataAndOptOuts(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	applyUpTo(t, db, "0010_delivery_early")
	// Hold a second connection that has read the old schema.
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	now := time.Date(2025, 3, 3, 7, 0, 0, 0, time.UTC)
	for _, q := range []string{
		`INSERT INTO workers (phone, name, opted_out, opted_out_at, created_at, updated_at) VALUES ('+254711000001', 'Nurse', TRUE, ?, ?, ?)`,
		`INSERT INTO sms_optouts (phone, source, opted_out_at) VALUES ('+254799000009', 'gateway', ?) `,
		`INSERT INTO outbox (dedupe_key, kind, priority, phone, body, not_before, created_at, updated_at) VALUES ('k', 'reply', 0, '+254711000002', 'b', ?, ?, ?)`,
	} {
		args := []any{now, now, now}[:strings.Count(q, "?")]
		if _, err := conn.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	applyUpTo(t, db, "0011_gateway_faults")
	for _, status := range []string{OutUnconfirmed, OutExpired, OutNotSent} {
		if _, err := conn.ExecContext(ctx, `UPDATE outbox SET status = ? WHERE dedupe_key = 'k'`, status); err != nil {
			t.Errorf("status %s on a connection opened before 0011: %v", status, err)
		}
	}
	if _, err := conn.ExecContext(ctx, `UPDATE outbox SET status = 'lost' WHERE dedupe_key = 'k'`); err == nil {
		t.Error("status 'lost' accepted: the check is gone, not widened")
	}
	var idx int
	if err := db.GetContext(ctx, &idx, `SELECT COUNT(*) FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'outbox' AND name = 'outbox_due'`); err != nil || idx != 1 {
		t.Errorf("outbox_due index = %d, %v, want kept", idx, err)
	}
	for p, want := range map[string]OptOutReason{"+254711000001": OptOutKeyword, "+254799000009": OptOutGatewayCallback} {
		if o, ok, err := db.OptOutOf(ctx, p); err != nil || !ok || o.Reason != want {
			t.Errorf("OptOutOf(%s) = %+v, %v, %v, want reason %s", p, o, ok, err, want)
		}
	}
	var check string
	if err := db.GetContext(ctx, &check, `PRAGMA integrity_check`); err != nil || check != "ok" {
		t.Errorf("integrity_check = %q, %v", check, err)
	}
}

// applyUpTo applies the SQLite migrations not yet applied to db, in order,
// up to and including last, as Migrate would: a test writes data the old
// way before the migration it tests.
func applyUpTo(t *testing.T, db *DB, last string) {
	t.Helper()
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, sqlCreateMigrations); err != nil {
		t.Fatal(err)
	}
	names, err := migrationNames(SQLite)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range names {
		if v > last {
			return
		}
		body, err := migrations.ReadFile("migrations/sqlite/" + v + ".sql")
		if err != nil {
			t.Fatal(err)
		}
		if err := db.apply(ctx, v, string(body)); err != nil {
			t.Fatal(err)
		}
	}
}
