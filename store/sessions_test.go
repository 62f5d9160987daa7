package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

func TestSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2025, 3, 3, 8, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		u, err := db.CreateUser(ctx, store.NewUser{Name: "sup", Role: store.RoleSupervisor, PasswordHash: "h"})
		if err != nil {
			t.Fatal(err)
		}
		s := store.Session{IDHash: "h1", UserID: u.ID, CSRF: "c", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
		if err := db.CreateSession(ctx, s); err != nil {
			t.Fatal(err)
		}
		if err := db.SetFlash(ctx, "h1", "Saved."); err != nil {
			t.Fatal(err)
		}
		got, err := db.SessionByHash(ctx, "h1")
		if err != nil || got.Flash != "Saved." || got.CSRF != "c" || got.UserID != u.ID {
			t.Errorf("SessionByHash = %+v, %v, want the session with its flash", got, err)
		}
		now = now.Add(2 * time.Hour)
		if _, err := db.SessionByHash(ctx, "h1"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("SessionByHash(expired) error = %v, want ErrNotFound", err)
		}
		now = now.Add(-2 * time.Hour)
		if err := db.DeleteSession(ctx, "h1"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SessionByHash(ctx, "h1"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("SessionByHash(deleted) error = %v, want ErrNotFound", err)
		}
	})
}
