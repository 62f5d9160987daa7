package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// TestCountTriggerPlanJoinsNothing: PL/pgSQL plans the count trigger's
// statement once a connection, for the size of the first update it counts
// there. 0018's statement joined the old and new rows, and after a one-row
// update that join was a nested loop for every later update on the
// connection: a cancel of 10,000 queued SMS spent 39 s in it
// (docs/performance.md). Since 0059 the statement joins nothing, whatever
// came first. The plans are read with auto_explain (PostgreSQL only; skipped
// where it cannot be loaded).
func TestCountTriggerPlanJoinsNothing(t *testing.T) {
	dsn := storetest.PostgresURL(t)
	if dsn == "" {
		t.Skip("PostgreSQL only: TEST_DATABASE_URL is not set")
	}
	ctx := context.Background()
	db := storetest.Open(t, dsn)
	for i := range 101 {
		enqueueAll(t, db, store.Outgoing{DedupeKey: fmt.Sprint("c", i), Kind: store.KindNudge,
			Phone: fmt.Sprintf("+2547110%05d", i), Body: "Stock count."})
	}
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	var plans []string
	cfg.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) {
		if strings.Contains(n.Message, "sms_count_deltas") {
			plans = append(plans, n.Message)
		}
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "LOAD 'auto_explain'"); err != nil {
		t.Skipf("auto_explain: %v", err)
	}
	for _, q := range []string{
		"SET auto_explain.log_min_duration = 0", "SET auto_explain.log_nested_statements = on",
		"SET auto_explain.log_level = notice",
		// The first counted update of the connection: one row.
		"UPDATE outbox SET status = 'cancelled' WHERE id = (SELECT MIN(id) FROM outbox)",
		"UPDATE outbox SET status = 'cancelled' WHERE status = 'queued'",
	} {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if len(plans) < 2 {
		t.Fatalf("auto_explain showed %d plans of the count trigger's statement, want 2: %q", len(plans), plans)
	}
	for _, p := range plans {
		if strings.Contains(p, "Join") || strings.Contains(p, "Nested Loop") {
			t.Errorf("the count trigger's statement joins rows:\n%s", p)
		}
	}
	var cancelled int
	if err := db.Get(&cancelled, `SELECT COALESCE(SUM(n), 0) FROM sms_count_deltas WHERE status = 'cancelled'`); err != nil {
		t.Fatal(err)
	}
	if cancelled != 101 {
		t.Errorf("cancelled SMS counted = %d, want 101", cancelled)
	}
}
