package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/roster/rostertest"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// importEnv is the environment of `chanjo import` on a temporary SQLite file.
func importEnv(t *testing.T) (env, *bytes.Buffer) {
	t.Helper()
	vars := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "chanjo.db")}
	var out bytes.Buffer
	return env{getenv: envOf(vars), stdin: strings.NewReader(""), stdout: &out, stderr: &out}, &out
}

// TestImportRosterAcceptance is issue 7's: a 500-row roster with 20 bad rows
// applies 480 and prints the 20 as FILE:LINE: reason; importing it again
// changes nothing. Both runs exit 1 because rows were rejected.
func TestImportRosterAcceptance(t *testing.T) {
	file, bad := rostertest.Generate(480)
	path := filepath.Join(t.TempDir(), "roster.csv")
	if err := os.WriteFile(path, file, 0o600); err != nil {
		t.Fatal(err)
	}
	e, out := importEnv(t)
	for _, want := range []string{
		"480 rows applied: 12 facilities created, 0 updated; 480 workers created, 0 updated, 0 unchanged; 432 mentor pairs created, 0 replaced; 15 groups created, 960 memberships added; 20 rows rejected",
		"480 rows applied: 0 facilities created, 0 updated; 0 workers created, 0 updated, 480 unchanged; 0 mentor pairs created, 0 replaced; 0 groups created, 0 memberships added; 20 rows rejected",
	} {
		out.Reset()
		err := run(context.Background(), e, []string{"import", "roster", path})
		if !errors.Is(err, exitStatus(1)) {
			t.Errorf("import roster error = %v, want exit status 1", err)
		}
		lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
		if got := lines[len(lines)-1]; got != want {
			t.Errorf("import roster summary = %q, want %q", got, want)
		}
		if len(lines)-1 != len(bad) {
			t.Fatalf("import roster printed %d problems, want %d:\n%s", len(lines)-1, len(bad), out)
		}
		for i, b := range bad {
			prefix := fmt.Sprintf("%s:%d: ", path, b.Line)
			if !strings.HasPrefix(lines[i], prefix) || !strings.Contains(lines[i], b.Reason) {
				t.Errorf("problem %d = %q, want %q and %q", i, lines[i], prefix, b.Reason)
			}
		}
	}
}

// TestImportRosterExample imports the example of docs/roster.md cleanly.
func TestImportRosterExample(t *testing.T) {
	e, out := importEnv(t)
	if err := run(context.Background(), e, []string{"import", "roster", "../../docs/roster-example.csv"}); err != nil {
		t.Fatalf("import roster docs/roster-example.csv = %v\n%s", err, out)
	}
	want := "7 rows applied: 3 facilities created, 0 updated; 7 workers created, 0 updated, 0 unchanged; 5 mentor pairs created, 0 replaced; 3 groups created, 8 memberships added; 0 rows rejected\n"
	if diff := cmp.Diff(want, out.String()); diff != "" {
		t.Errorf("import roster output (-want +got):\n%s", diff)
	}
}

func TestImportRosterFailures(t *testing.T) {
	dir := t.TempDir()
	badHeader := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(badHeader, []byte("name,phone,cadre\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args    []string
		wantErr error
		wantOut string
	}{
		{[]string{"import"}, errUsage, "Usage: chanjo import roster FILE.csv"},
		{[]string{"import", "staff", "x.csv"}, errUsage, "Usage: chanjo import roster FILE.csv"},
		{[]string{"import", "roster"}, errUsage, "Usage: chanjo import roster FILE.csv"},
		{[]string{"import", "roster", filepath.Join(dir, "missing.csv")}, os.ErrNotExist, ""},
		{[]string{"import", "roster", badHeader}, exitStatus(1), badHeader + `:1: unknown column "cadre"`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			e, out := importEnv(t)
			err := run(context.Background(), e, tt.args)
			if !errors.Is(err, tt.wantErr) || !strings.Contains(out.String(), tt.wantOut) {
				t.Errorf("run(%q) = %v, printed %q; want %v, printed %q", tt.args, err, out, tt.wantErr, tt.wantOut)
			}
		})
	}
}

// TestImportRosterSendsPrivacyNotice: each worker the roster enrols is sent
// the pack's privacy notice once, in her language.
func TestImportRosterSendsPrivacyNotice(t *testing.T) {
	e, out := importEnv(t)
	for range 2 {
		if err := run(context.Background(), e, []string{"import", "roster", "../../docs/roster-example.csv"}); err != nil {
			t.Fatalf("import roster = %v\n%s", err, out)
		}
	}
	pack, err := lessons.Default()
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), e.getenv("DATABASE_URL"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var rows []struct{ Language, Body string }
	for _, o := range storetest.OutWhere(t, db, func(o storetest.Out) bool { return strings.HasPrefix(o.DedupeKey, "privacy:") && o.WorkerID.Valid }) {
		w, err := db.WorkerInScope(context.Background(), store.Scope{Admin: true}, o.WorkerID.Int64)
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, struct{ Language, Body string }{w.Language, o.Body})
	}
	if len(rows) != 7 {
		t.Fatalf("privacy notices queued = %d, want 7 (one per enrolled worker, however often imported)", len(rows))
	}
	for _, r := range rows {
		if want := pack.Settings.PrivacyNotice.In(r.Language); r.Body != want {
			t.Errorf("notice to a worker in %s = %q, want %q", r.Language, r.Body, want)
		}
	}
}

// TestImportSummarySingular: one of a thing reads "1 row", not "1 rows".
func TestImportSummarySingular(t *testing.T) {
	r := store.RosterResult{Created: 1, FacilitiesCreated: 1, PairsCreated: 1, GroupsCreated: 1, MembershipsAdded: 1}
	want := "1 row applied: 1 facility created, 0 updated; 1 worker created, 0 updated, 0 unchanged; " +
		"1 mentor pair created, 0 replaced; 1 group created, 1 membership added; 1 row rejected"
	if got := summary(r, 1); got != want {
		t.Errorf("summary(one of each, 1) = %q, want %q", got, want)
	}
}
