package main

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

var countLine = regexp.MustCompile(`(?m)^  (\w+)\s+(\d+)$`)

// printedCounts reads the row counts backup and restore print.
func printedCounts(t *testing.T, out string) []store.TableCount {
	t.Helper()
	var counts []store.TableCount
	for _, m := range countLine.FindAllStringSubmatch(out, -1) {
		n, _ := strconv.ParseInt(m[2], 10, 64)
		counts = append(counts, store.TableCount{Table: m[1], Rows: n})
	}
	if len(counts) != len(store.BackupTables) {
		t.Fatalf("printed %d counts, want %d: %q", len(counts), len(store.BackupTables), out)
	}
	return counts
}

// TestBackupWhileWritingAndRestore backs up while broadcasts and lesson
// pages are written: the copy is whole, its counts are the printed ones,
// and every broadcast in it has all its outbox rows (a copy of a moving
// file would tear them apart). Restore refuses a database in use and puts
// the copy in place of one that is not.
func TestBackupWhileWritingAndRestore(t *testing.T) {
	a, _ := testApp(t, nil)
	ctx := context.Background()
	seedNurses(t, a.db, 50)
	var sent, read atomic.Int64 // broadcasts and page marks written
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() { // a broadcast to every nurse, again and again
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			// A breath between writes: SQLite's busy handler is not fair, and
			// two writers in tight loops under -race can starve one past the
			// 10 s busy timeout, which is not what this test is about.
			time.Sleep(time.Millisecond)
			nb := store.NewBroadcast{Audience: store.Audience{SubCounties: []string{"Kibra"}}, Body: fmt.Sprintf("Meeting %d at 9.", i)}
			if _, err := a.db.CreateBroadcast(ctx, store.Scope{Admin: true}, 0, nb); err != nil {
				t.Errorf("CreateBroadcast: %v", err)
				return
			}
			sent.Add(1)
		}
	})
	wg.Go(func() { // nurses reading lessons
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			// As above.
			time.Sleep(time.Millisecond)
			marks := []store.PageMark{{WorkerID: int64(i%50 + 1), Lesson: fmt.Sprintf("l%d", i/50), Page: 1, At: time.Now().UTC()}}
			if err := a.db.SaveLessonPages(ctx, marks); err != nil {
				t.Errorf("SaveLessonPages: %v", err)
				return
			}
			read.Add(1)
		}
	})
	waitFor := func(broadcasts, pages int64) {
		// A writer that failed has said so; do not wait for it for ever.
		deadline := time.Now().Add(10 * time.Second)
		for (sent.Load() < broadcasts || read.Load() < pages) && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
	}
	waitFor(3, 20)
	file := filepath.Join(t.TempDir(), "copy.db")
	e, out, _ := cliEnv(a.cfg.DatabaseURL, "")
	err := run(ctx, e, []string{"backup", file})
	waitFor(sent.Load()+3, read.Load()+20) // writes went on during the backup and after
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	printed := printedCounts(t, out.String())
	got, err := store.CheckBackup(ctx, file)
	if err != nil || fmt.Sprint(got) != fmt.Sprint(printed) {
		t.Errorf("the copy's counts = %v, %v; printed %v", got, err, printed)
	}
	if rows := countOf(printed, "broadcasts"); rows == 0 {
		t.Errorf("the copy holds no broadcast; the test wrote %d", sent.Load())
	}
	copyDB, err := store.Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	torn := storetest.TornBroadcasts(t, copyDB)
	copyDB.Close()
	if torn != 0 {
		t.Errorf("broadcasts in the copy without all their outbox rows: %d", torn)
	}
	if rows := countOf(got, "outbox"); rows != 50*countOf(got, "broadcasts") {
		t.Errorf("the copy's outbox rows = %d, want 50 per broadcast (%d)", rows, countOf(got, "broadcasts"))
	}

	e, _, _ = cliEnv(a.cfg.DatabaseURL, "")
	if err := run(ctx, e, []string{"restore", file}); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Errorf("restore over the running service's database = %v, want refused as in use", err)
	}
	target := filepath.Join(t.TempDir(), "restored.db")
	old, err := store.Open(ctx, target)
	if err == nil {
		err = old.Migrate(ctx)
		old.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	e, out, _ = cliEnv(target, "")
	if err := run(ctx, e, []string{"restore", file}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "kept as "+target+".before-restore-") {
		t.Errorf("restore printed %q, want where the replaced database is kept", out.String())
	}
	restored, err := store.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	if err := restored.Migrate(ctx); err != nil {
		t.Fatalf("migrate the restored database: %v", err)
	}
	if broadcasts := int64(len(storetest.AllBroadcasts(t, restored))); broadcasts != countOf(printed, "broadcasts") {
		t.Errorf("restored broadcasts = %d, want %d", broadcasts, countOf(printed, "broadcasts"))
	}
}

func TestBackupRefusesPostgresWithPointer(t *testing.T) {
	for _, cmd := range []string{"backup", "restore"} {
		e, _, _ := cliEnv("postgres://chanjo@db.invalid/chanjo", "")
		err := run(context.Background(), e, []string{cmd, "copy.db"})
		if err == nil || !strings.Contains(err.Error(), "pg_dump") || !strings.Contains(err.Error(), `"Backups"`) {
			t.Errorf("%s on PostgreSQL = %v, want a pointer to pg_dump and the README", cmd, err)
		}
	}
}

func countOf(counts []store.TableCount, table string) int64 {
	for _, c := range counts {
		if c.Table == table {
			return c.Rows
		}
	}
	return -1
}

// seedNurses enrols n active nurses at one facility of Kibra.
func seedNurses(t *testing.T, db *store.DB, n int) {
	t.Helper()
	now := db.Now()
	f := storetest.Facility(t, db, "F-1", "Kibra HC", "Kibra", "", now)
	for i := 1; i <= n; i++ {
		storetest.Worker(t, db, fmt.Sprintf("+2547110%05d", i), fmt.Sprintf("Nurse %d", i), f, store.StatusActive, now)
	}
}
