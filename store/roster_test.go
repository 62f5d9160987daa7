package store_test

import (
	"bytes"
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/roster"
	"github.com/chanjo-health/chanjo/roster/rostertest"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// entries are parsed rows, which the store takes as they are.
func entries(rows []roster.Row) []store.RosterEntry { return rows }

// snapshot is everything a roster import writes, timestamps included.
type snapshot struct {
	Workers, Facilities, Groups, Members, Pairs []string
}

func takeSnapshot(t *testing.T, db *store.DB) snapshot {
	t.Helper()
	var s snapshot
	for _, q := range []struct {
		dest *[]string
		sql  string
	}{
		{&s.Workers, `SELECT w.phone || '|' || w.name || '|' || w.role || '|' || w.language || '|' || f.code || '|' || w.status, w.created_at, w.updated_at FROM workers w JOIN facilities f ON f.id = w.facility_id`},
		{&s.Facilities, `SELECT code || '|' || name || '|' || sub_county || '|' || county || '|' || CASE WHEN verified THEN 'v' ELSE '-' END, created_at, updated_at FROM facilities`},
		{&s.Groups, `SELECT name, created_at, created_at FROM groups`},
		{&s.Members, `SELECT g.name || '|' || w.phone, w.created_at, w.created_at FROM group_members m JOIN groups g ON g.id = m.group_id JOIN workers w ON w.id = m.worker_id`},
		{&s.Pairs, `SELECT a.phone || '>' || b.phone, p.created_at, p.created_at FROM mentor_pairs p JOIN workers a ON a.id = p.mentor_id JOIN workers b ON b.id = p.mentee_id`},
	} {
		rows, err := db.Query(q.sql)
		if err != nil {
			t.Fatalf("snapshot: %v", err)
		}
		for rows.Next() {
			var key string
			var created, updated time.Time
			if err := rows.Scan(&key, &created, &updated); err != nil {
				t.Fatalf("snapshot: %v", err)
			}
			*q.dest = append(*q.dest, key+"|"+created.UTC().Format(time.RFC3339)+"|"+updated.UTC().Format(time.RFC3339))
		}
		rows.Close()
		sort.Strings(*q.dest)
	}
	return s
}

// clock sets db's clock to a fixed time.
func clock(db *store.DB, at time.Time) { db.Now = func() time.Time { return at } }

// TestApplyRosterAcceptance is issue 7's: a 500-row roster with 20 bad rows
// applies 480 and reports 20 with line and reason; importing it again
// changes nothing.
func TestApplyRosterAcceptance(t *testing.T) {
	file, bad := rostertest.Generate(480)
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		rows, parseProblems := roster.Parse(bytes.NewReader(file), []string{"en", "sw"})
		clock(db, time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC))
		res, problems, err := db.ApplyRoster(ctx, entries(rows), nil)
		if err != nil {
			t.Fatal(err)
		}
		want := store.RosterResult{Created: 480, FacilitiesCreated: 12, GroupsCreated: 15, MembershipsAdded: 960, PairsCreated: 432}
		if diff := cmp.Diff(want, res); diff != "" {
			t.Errorf("ApplyRoster first import (-want +got):\n%s", diff)
		}
		for _, p := range parseProblems {
			problems = append(problems, store.RowProblem(p))
		}
		sort.Slice(problems, func(i, j int) bool { return problems[i].Line < problems[j].Line })
		if len(problems) != len(bad) {
			t.Fatalf("problems = %d %v, want %d", len(problems), problems, len(bad))
		}
		for i, b := range bad {
			if problems[i].Line != b.Line || !strings.Contains(problems[i].Reason, b.Reason) {
				t.Errorf("problem %d = %+v, want line %d with %q", i, problems[i], b.Line, b.Reason)
			}
		}
		before := takeSnapshot(t, db)
		clock(db, time.Date(2026, 3, 3, 8, 0, 0, 0, time.UTC))
		res, _, err = db.ApplyRoster(ctx, entries(rows), nil)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(store.RosterResult{Unchanged: 480}, res); diff != "" {
			t.Errorf("ApplyRoster second import (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(before, takeSnapshot(t, db)); diff != "" {
			t.Errorf("second import changed the store (-before +after):\n%s", diff)
		}
	})
}

// TestApplyRosterProgress reports progress per chunk, ending at the total.
func TestApplyRosterProgress(t *testing.T) {
	db := storetest.SQLite(t)
	var es []store.RosterEntry
	for i := range 501 {
		es = append(es, entry(i+2, rostertest.Phone(i), "nurse", ""))
	}
	var got []int
	if _, _, err := db.ApplyRoster(context.Background(), es, func(done, total int) { got = append(got, done, total) }); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int{500, 501, 501, 501}, got); diff != "" {
		t.Errorf("progress (-want +got):\n%s", diff)
	}
}

func entry(line int, phone, role, mentor string) store.RosterEntry {
	return store.RosterEntry{Line: line, Name: "Worker " + phone[len(phone)-3:], Phone: phone, Role: role, Language: "en",
		FacilityCode: "13023", FacilityName: "Kithimani Dispensary", SubCounty: "Yatta", County: "Machakos", MentorPhone: mentor}
}

// TestApplyRosterRules checks what a roster does to workers and pairs that
// are already enrolled.
func TestApplyRosterRules(t *testing.T) {
	const (
		mentor  = "+254711000100"
		mentor2 = "+254711000101"
		nurse   = "+254711000200"
	)
	tests := []struct {
		name         string
		setup        func(t *testing.T, db *store.DB)
		entries      []store.RosterEntry
		want         store.RosterResult
		wantProblems []store.RowProblem
		wantStatus   string // of nurse, when set
	}{
		{
			name: "self-registered nurse becomes active, her typed facility verified",
			setup: func(t *testing.T, db *store.DB) {
				register(t, db, store.Registration{Phone: nurse, Name: "Jane", FacilityCode: "13023", Language: "sw"})
			},
			entries:    []store.RosterEntry{entry(2, nurse, "nurse", "")},
			want:       store.RosterResult{Updated: 1, FacilitiesUpdated: 1},
			wantStatus: store.StatusActive,
		},
		{
			name: "inactive nurse stays inactive",
			setup: func(t *testing.T, db *store.DB) {
				register(t, db, store.Registration{Phone: nurse, Name: "Jane", FacilityCode: "13023", Language: "sw"})
				if _, err := db.Exec(db.Rebind(`UPDATE workers SET status = 'inactive' WHERE phone = ?`), nurse); err != nil {
					t.Fatal(err)
				}
			},
			entries:    []store.RosterEntry{entry(2, nurse, "nurse", "")},
			want:       store.RosterResult{Updated: 1, FacilitiesUpdated: 1},
			wantStatus: store.StatusInactive,
		},
		{
			name:    "enrolled mentor is found in the database",
			setup:   apply(entry(2, mentor, "mentor", "")),
			entries: []store.RosterEntry{entry(2, nurse, "nurse", mentor)},
			want:    store.RosterResult{Created: 1, PairsCreated: 1},
		},
		{
			name:    "a new mentor replaces the old",
			setup:   apply(entry(2, mentor, "mentor", ""), entry(3, mentor2, "mentor", ""), entry(4, nurse, "nurse", mentor)),
			entries: []store.RosterEntry{entry(2, nurse, "nurse", mentor2)},
			want:    store.RosterResult{Updated: 1, PairsCreated: 1, PairsReplaced: 1},
		},
		{
			name:         "enrolled nurse is not a mentor",
			setup:        apply(entry(2, mentor, "nurse", "")),
			entries:      []store.RosterEntry{entry(5, nurse, "nurse", mentor)},
			wantProblems: []store.RowProblem{{5, "mentor_phone +254711000100 is a nurse, not a mentor"}},
		},
		{
			name:         "the file demotes a mentor: her mentee is refused",
			setup:        apply(entry(2, mentor, "mentor", "")),
			entries:      []store.RosterEntry{entry(2, mentor, "nurse", ""), entry(3, nurse, "nurse", mentor)},
			want:         store.RosterResult{Updated: 1},
			wantProblems: []store.RowProblem{{3, "mentor_phone +254711000100 is a nurse, not a mentor"}},
		},
		{
			name:    "refusing a mentor refuses her mentees",
			entries: []store.RosterEntry{entry(2, mentor, "mentor", "+254799999999"), entry(3, nurse, "nurse", mentor)},
			wantProblems: []store.RowProblem{
				{2, "mentor_phone +254799999999 is not a mentor in the file or already enrolled"},
				{3, "mentor_phone +254711000100 is not a mentor in the file or already enrolled"},
			},
		},
		{
			name:         "what the schema would refuse is a problem, not a failed import",
			entries:      []store.RosterEntry{{Line: 7, Name: "X", Phone: nurse, Role: "doctor", Language: "en", FacilityCode: "1"}, entry(8, mentor, "mentor", "")},
			want:         store.RosterResult{Created: 1, FacilitiesCreated: 1},
			wantProblems: []store.RowProblem{{7, `role "doctor" is not nurse or mentor`}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				if tt.setup != nil {
					tt.setup(t, db)
				}
				res, problems, err := db.ApplyRoster(context.Background(), tt.entries, nil)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tt.want, res); diff != "" {
					t.Errorf("ApplyRoster result (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(tt.wantProblems, problems); diff != "" {
					t.Errorf("ApplyRoster problems (-want +got):\n%s", diff)
				}
				if tt.wantStatus != "" {
					w, err := db.WorkerByPhone(context.Background(), nurse)
					if err != nil || w.Status != tt.wantStatus || w.Name != "Worker 200" || w.Language != "en" {
						t.Errorf("WorkerByPhone(nurse) = %+v, %v, want %s, Worker 200, en", w, err, tt.wantStatus)
					}
				}
			})
		})
	}
}

func register(t *testing.T, db *store.DB, r store.Registration) {
	t.Helper()
	if _, err := db.Register(context.Background(), r); err != nil {
		t.Fatal(err)
	}
}

// apply returns a setup that applies es and expects no problem.
func apply(es ...store.RosterEntry) func(t *testing.T, db *store.DB) {
	return func(t *testing.T, db *store.DB) {
		t.Helper()
		if _, problems, err := db.ApplyRoster(context.Background(), es, nil); err != nil || len(problems) > 0 {
			t.Fatalf("setup ApplyRoster = %v, %v", problems, err)
		}
	}
}

// BenchmarkApplyRoster10000 applies a 10,000-row roster to an empty SQLite
// database, then again (nothing changes): run outside CI with
// go test -run XXX -bench ApplyRoster -benchtime 3x ./store
func BenchmarkApplyRoster10000(b *testing.B) {
	file, _ := rostertest.Generate(10000)
	rows, _ := roster.Parse(bytes.NewReader(file), []string{"en", "sw"})
	es := entries(rows)
	b.Run("first", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			db := storetest.SQLite(b)
			b.StartTimer()
			if _, _, err := db.ApplyRoster(context.Background(), es, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("again", func(b *testing.B) {
		db := storetest.SQLite(b)
		if _, _, err := db.ApplyRoster(context.Background(), es, nil); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, _, err := db.ApplyRoster(context.Background(), es, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}
