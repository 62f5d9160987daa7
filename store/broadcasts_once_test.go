package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

func TestCreateBroadcastOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2025, 3, 10, 6, 0, 0, 0, time.UTC)
		clock(db, now)
		audienceFixture(t, db)
		nb := store.NewBroadcast{Body: "Stock count on Monday."}
		first, created, err := db.CreateBroadcastOnce(ctx, admin, 0, "k-1", nb)
		if err != nil || !created {
			t.Fatalf("CreateBroadcastOnce(first) = created %t, %v; want created", created, err)
		}
		// A retry that spells the same request differently is the same request.
		again, created, err := db.CreateBroadcastOnce(ctx, admin, 0, "k-1", store.NewBroadcast{Body: "  Stock count on Monday. "})
		if err != nil || created || again.ID != first.ID {
			t.Errorf("CreateBroadcastOnce(retry) = broadcast %d, created %t, %v; want broadcast %d, not created", again.ID, created, err, first.ID)
		}
		_, _, err = db.CreateBroadcastOnce(ctx, admin, 0, "k-1", store.NewBroadcast{Body: "Stock count on Tuesday."})
		var ie *store.InputError
		if !errors.As(err, &ie) || ie.Field != "idempotency_key" {
			t.Errorf("CreateBroadcastOnce(same key, other body) = %v, want an InputError on idempotency_key", err)
		}
		clock(db, now.Add(store.IdempotencyWindow+time.Minute))
		later, created, err := db.CreateBroadcastOnce(ctx, admin, 0, "k-1", nb)
		if err != nil || !created || later.ID == first.ID {
			t.Errorf("CreateBroadcastOnce(key past 24 h) = broadcast %d, created %t, %v; want a new broadcast", later.ID, created, err)
		}
		var n int
		db.Get(&n, `SELECT COUNT(*) FROM outbox`)
		if n != 6 {
			t.Errorf("outbox rows = %d, want 6 (two broadcasts of 3)", n)
		}
	})
}

func TestCreateBroadcastOnceRacing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		audienceFixture(t, db)
		var wg sync.WaitGroup
		ids := make([]int64, 4)
		errs := make([]error, 4)
		for i := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				b, _, err := db.CreateBroadcastOnce(ctx, admin, 0, "same", store.NewBroadcast{Body: "Clinic day moved."})
				ids[i], errs[i] = b.ID, err
			}()
		}
		wg.Wait()
		for i := range ids {
			if errs[i] != nil || ids[i] != ids[0] {
				t.Errorf("request %d = broadcast %d, %v; want broadcast %d", i, ids[i], errs[i], ids[0])
			}
		}
		var n int
		db.Get(&n, `SELECT COUNT(*) FROM broadcasts`)
		if n != 1 {
			t.Errorf("broadcasts = %d, want 1", n)
		}
	})
}

func TestCreateBroadcastOnceRefusedKeepsNoKey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		audienceFixture(t, db)
		if _, _, err := db.CreateBroadcastOnce(ctx, admin, 0, "k", store.NewBroadcast{Body: " "}); !errors.Is(err, store.ErrInvalid) {
			t.Fatalf("CreateBroadcastOnce(empty body) = %v, want ErrInvalid", err)
		}
		if _, created, err := db.CreateBroadcastOnce(ctx, admin, 0, "k", store.NewBroadcast{Body: "Fixed."}); err != nil || !created {
			t.Errorf("CreateBroadcastOnce(corrected, same key) = created %t, %v; want created", created, err)
		}
	})
}
