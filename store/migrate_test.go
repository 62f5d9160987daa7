package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// startTrials is how many times TestInstancesStartTogether starts three
// instances on an empty database; CHANJO_START_TRIALS raises it (25 for the
// issue's figure).
func startTrials(t *testing.T) int {
	n := 5
	if v := os.Getenv("CHANJO_START_TRIALS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			t.Fatalf("CHANJO_START_TRIALS=%q: want a positive number", v)
		}
	}
	return n
}

// TestInstancesStartTogether starts three instances, each with its own
// connection pool, at the same instant on an empty database, as `serve
// --demo` does: all must come up, and the demo must be loaded once.
func TestInstancesStartTogether(t *testing.T) {
	dialects := map[string]func(t *testing.T) string{
		"sqlite": func(t *testing.T) string { return filepath.Join(t.TempDir(), "chanjo.db") },
	}
	if os.Getenv("TEST_DATABASE_URL") != "" {
		dialects["postgres"] = func(t *testing.T) string { return storetest.PostgresURL(t) }
	}
	for name, empty := range dialects {
		t.Run(name, func(t *testing.T) {
			for trial := 0; trial < startTrials(t); trial++ {
				startThree(t, empty(t))
			}
		})
	}
}

func startThree(t *testing.T, dsn string) {
	t.Helper()
	ctx := context.Background()
	const instances = 3
	var (
		wg     sync.WaitGroup
		start  = make(chan struct{})
		errs   [instances]error
		loaded [instances]bool
	)
	for i := range instances {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			db, err := store.Open(ctx, dsn)
			if err != nil {
				errs[i] = err
				return
			}
			defer db.Close()
			if err = db.Migrate(ctx); err == nil {
				var r store.DemoRoster
				r, err = db.LoadDemo(ctx)
				loaded[i] = r.Loaded
			}
			errs[i] = err
		}()
	}
	close(start)
	wg.Wait()
	n := 0
	for i := range instances {
		if errs[i] != nil {
			t.Errorf("instance %d: %v, want it started", i, errs[i])
		}
		if loaded[i] {
			n++
		}
	}
	if t.Failed() {
		t.FailNow()
	}
	if n != 1 {
		t.Errorf("%d instances loaded the demo, want 1", n)
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var workers int
	if err := db.Get(&workers, `SELECT COUNT(*) FROM workers`); err != nil || workers != store.DemoNurses+1 {
		t.Errorf("workers after three starts = %d, %v, want %d", workers, err, store.DemoNurses+1)
	}
}

// TestMigrateRefusesANewerDatabase: a binary meets a database that a newer
// one migrated (a fake extra migration): it refuses to start, naming both
// versions, and a running one finds out through CheckSchema.
func TestMigrateRefusesANewerDatabase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := db.CheckSchema(ctx); err != nil {
			t.Fatalf("CheckSchema on its own level = %v, want nil", err)
		}
		const future = "9999_from_a_newer_binary"
		if _, err := db.Exec(db.Rebind(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`), future, db.Now()); err != nil {
			t.Fatal(err)
		}
		for name, err := range map[string]error{"Migrate": db.Migrate(ctx), "CheckSchema": db.CheckSchema(ctx)} {
			var se *store.SchemaError
			if !errors.Is(err, store.ErrNewerSchema) || !errors.As(err, &se) {
				t.Fatalf("%s on a newer database = %v, want ErrNewerSchema", name, err)
			}
			if se.Database != future || se.Binary != lastMigration(t, db) || strings.Contains(err.Error(), "\n") {
				t.Errorf("%s = %q, want one line naming %s and %s", name, err, future, lastMigration(t, db))
			}
		}
	})
}

func lastMigration(t *testing.T, db *store.DB) string {
	entries, err := os.ReadDir(filepath.Join("migrations", string(db.Dialect)))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(entries[len(entries)-1].Name(), ".sql")
}
