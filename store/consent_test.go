package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// TestConsent records a worker's consent twice: the first time stands.
func TestConsent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		id := nurse(t, db, "+254711000051")
		if _, _, err := db.Consent(ctx, id); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Consent before = %v, want ErrNotFound", err)
		}
		first := time.Date(2025, 3, 4, 9, 0, 0, 0, time.UTC)
		for _, at := range []time.Time{first, first.Add(time.Hour)} {
			if err := db.RecordConsent(ctx, id, store.ConsentUSSD, at); err != nil {
				t.Fatal(err)
			}
		}
		if via, at, err := db.Consent(ctx, id); err != nil || via != store.ConsentUSSD || !at.Equal(first) {
			t.Errorf("Consent = %q %v, %v, want ussd at %v", via, at, err, first)
		}
	})
}
