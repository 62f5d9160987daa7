package store_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// TestBroadcastClaimPlan checks that once a broadcast is queued on
// PostgreSQL the claim reads the queue in order through outbox_due and stops
// at its limit, instead of reading and sorting the whole queue because the
// planner's statistics predate the broadcast (autovacuum analyzes a minute or
// more later; the test database never).
func TestBroadcastClaimPlan(t *testing.T) {
	if os.Getenv("TEST_DATABASE_URL") == "" {
		t.Skip("the plan is PostgreSQL's: set TEST_DATABASE_URL")
	}
	db := storetest.Postgres(t)
	ctx := context.Background()
	msgs := make([]store.Outgoing, 5000)
	for i := range msgs {
		msgs[i] = store.Outgoing{DedupeKey: fmt.Sprintf("broadcast:1:%d", i), Kind: store.KindBroadcast,
			Phone: fmt.Sprintf("+2547%08d", i), Body: "Chanjo: the measles-rubella campaign starts Monday."}
	}
	if err := db.Tx(ctx, func(tx *store.Tx) error {
		_, err := db.Enqueue(ctx, tx, msgs...)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	plan, err := store.ClaimPlan(db, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(plan, "Index Scan using outbox_due") || strings.Contains(plan, "Sort") {
		t.Errorf("a claim of 1,000 of 5,000 queued rows is not an ordered scan of outbox_due:\n%s", plan)
	}
}
