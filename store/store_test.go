package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

func TestMigrateIsIdempotent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("second Migrate = %v, want nil", err)
		}
		for _, table := range []string{"facilities", "workers", "groups", "group_members", "mentor_pairs",
			"visits", "checklist_answers", "lesson_progress", "quiz_attempts", "quiz_answers",
			"stock_calculations", "outbox", "broadcasts", "users", "audit_log", "reminders", "questions"} {
			var n int
			if err := db.Get(&n, `SELECT COUNT(*) FROM `+table); err != nil {
				t.Errorf("table %s: %v", table, err)
			}
		}
	})
}

func TestInitSettingFirstWriterWins(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := db.Setting(ctx, "callback_token"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("Setting(unset) error = %v, want ErrNotFound", err)
		}
		first, err := db.InitSetting(ctx, "callback_token", "aaa")
		if err != nil || first != "aaa" {
			t.Fatalf("InitSetting = %q, %v, want aaa", first, err)
		}
		second, err := db.InitSetting(ctx, "callback_token", "bbb")
		if err != nil || second != "aaa" {
			t.Fatalf("second InitSetting = %q, %v, want the first value aaa", second, err)
		}
	})
}

func TestForeignKeysAreEnforced(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		_, err := db.Exec(db.Rebind(`INSERT INTO group_members (group_id, worker_id) VALUES (?, ?)`), 999, 999)
		if err == nil {
			t.Fatal("inserting a member of a missing group succeeded, want a foreign key error")
		}
	})
}

// A SQLite file whose folder's name holds URI characters is opened where it
// is named, not at the name cut before them.
func TestOpenSQLitePathWithURICharacters(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a#b?c%d")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), filepath.Join(dir, "chanjo.db"))
	if err == nil {
		err = db.Migrate(context.Background())
		db.Close()
	}
	if err != nil {
		t.Fatalf("Open, Migrate: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "chanjo.db")); err != nil {
		t.Errorf("the database file is not where it was named: %v", err)
	}
}
