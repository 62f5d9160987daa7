package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// peopleSeed adds Mary (mentor) and Achieng in Kibra, Chebet in Embakasi,
// the group Mixed with Achieng and Chebet, and the empty group Empty.
func peopleSeed(t *testing.T, db *store.DB) (mary, achieng, chebet, mixed int64) {
	t.Helper()
	mary = seedWorker(t, db, "Mary", "+254711000010", "Kibra", store.StatusActive)
	achieng = seedWorker(t, db, "Achieng", "+254711000011", "Kibra", store.StatusActive)
	chebet = seedWorker(t, db, "Chebet", "+254711000021", "Embakasi", store.StatusActive)
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, db.Rebind(`UPDATE workers SET role = 'mentor' WHERE id = ?`), mary); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Mixed", "Empty"} {
		if _, err := db.ExecContext(ctx, db.Rebind(`INSERT INTO groups (name, created_at) VALUES (?, ?)`), name, db.Now()); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.GetContext(ctx, &mixed, `SELECT id FROM groups WHERE name = 'Mixed'`); err != nil {
		t.Fatal(err)
	}
	for _, w := range []int64{achieng, chebet} {
		if _, err := db.ExecContext(ctx, db.Rebind(`INSERT INTO group_members (group_id, worker_id) VALUES (?, ?)`), mixed, w); err != nil {
			t.Fatal(err)
		}
	}
	return mary, achieng, chebet, mixed
}

func TestGroupsScoped(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		_, _, _, mixed := peopleSeed(t, db)
		type row struct {
			Name    string
			Members int
		}
		tests := []struct {
			name    string
			sc      store.Scope
			want    []row
			members []string
		}{
			{"admin: every group, every member", store.Scope{Admin: true}, []row{{"Empty", 0}, {"Mixed", 2}}, []string{"Achieng", "Chebet"}},
			{"Kibra: groups and members of Kibra", store.Scope{SubCounties: []string{"Kibra"}}, []row{{"Mixed", 1}}, []string{"Achieng"}},
			{"no sub-county: nothing", store.Scope{}, []row{}, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				gs, err := db.Groups(ctx, tt.sc)
				if err != nil {
					t.Fatal(err)
				}
				got := []row{}
				for _, g := range gs {
					got = append(got, row{g.Name, g.Members})
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("Groups(%v) (-want +got):\n%s", tt.sc, diff)
				}
				_, members, err := db.GroupInScope(ctx, tt.sc, mixed)
				if tt.members == nil {
					if !errors.Is(err, store.ErrNotFound) {
						t.Errorf("GroupInScope(%v) = %v, want ErrNotFound", tt.sc, err)
					}
					return
				}
				if err != nil || !cmp.Equal(names(members), tt.members) {
					t.Errorf("GroupInScope(%v) = %v, %v, want %v", tt.sc, names(members), err, tt.members)
				}
			})
		}
	})
}

func TestPairMentor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mary, achieng, chebet, _ := peopleSeed(t, db)
		sara := seedWorker(t, db, "Sara", "+254711000012", "Kibra", store.StatusActive)
		if _, err := db.ExecContext(ctx, db.Rebind(`UPDATE workers SET role = 'mentor' WHERE id = ?`), sara); err != nil {
			t.Fatal(err)
		}
		kibra := store.Scope{SubCounties: []string{"Kibra"}}
		var ie *store.InputError
		if err := db.PairMentor(ctx, kibra, 0, achieng, mary); !errors.As(err, &ie) {
			t.Errorf("PairMentor(a nurse as mentor) = %v, want an InputError", err)
		}
		if err := db.PairMentor(ctx, kibra, 0, mary, chebet); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("PairMentor(Embakasi's nurse) = %v, want ErrNotFound", err)
		}
		for _, mentor := range []int64{mary, sara, sara} {
			if err := db.PairMentor(ctx, kibra, 0, mentor, achieng); err != nil {
				t.Fatal(err)
			}
		}
		ps, err := db.MentorPairs(ctx, kibra)
		if err != nil || len(ps) != 1 || ps[0].MentorName != "Sara" || ps[0].MenteeName != "Achieng" {
			t.Errorf("MentorPairs after pairing Achieng with Mary, then Sara twice = %+v, %v, want Sara and Achieng only", ps, err)
		}
		if err := db.UnpairMentor(ctx, kibra, 0, mary, achieng); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("UnpairMentor(a pair replaced) = %v, want ErrNotFound", err)
		}
	})
}

func TestRosterInScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		peopleSeed(t, db)
		entry := func(line int, phone, code, subCounty, mentor string) store.RosterEntry {
			return store.RosterEntry{Line: line, Name: "N", Phone: phone, Role: "nurse", Language: "en",
				FacilityCode: code, SubCounty: subCounty, MentorPhone: mentor}
		}
		entries := []store.RosterEntry{
			entry(2, "+254711000099", "F-Kibra", "Kibra", "+254711000010"),
			entry(3, "+254711000098", "F-New", "Embakasi", ""),
			entry(4, "+254711000021", "F-Kibra", "Kibra", ""),
			entry(5, "+254711000097", "F-Embakasi", "Kibra", ""),
			entry(6, "+254711000096", "F-Kibra", "Kibra", "+254711000021"),
		}
		ok, problems, err := db.RosterInScope(context.Background(), store.Scope{SubCounties: []string{"Kibra"}}, entries)
		if err != nil {
			t.Fatal(err)
		}
		want := []store.RowProblem{
			{Line: 3, Reason: "sub-county Embakasi is not yours"},
			{Line: 4, Reason: "phone +254711000021 is enrolled in sub-county Embakasi, which is not yours"},
			{Line: 5, Reason: "facility F-Embakasi is in sub-county Embakasi, which is not yours"},
			{Line: 6, Reason: "mentor_phone +254711000021 is a worker of sub-county Embakasi, which is not yours"},
		}
		if diff := cmp.Diff(want, problems); diff != "" || len(ok) != 1 || ok[0].Line != 2 {
			t.Errorf("RosterInScope: kept %v, problems (-want +got):\n%s", ok, diff)
		}
	})
}

func TestVisitsScopedAndFiltered(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mary, achieng, chebet, _ := peopleSeed(t, db)
		now := time.Date(2025, 3, 10, 6, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		var ids []int64
		for _, v := range []struct {
			mentee int64
			at     time.Time
		}{{achieng, now.Add(24 * time.Hour)}, {achieng, now.Add(72 * time.Hour)}, {chebet, now.Add(24 * time.Hour)}} {
			visit, err := mentors(db).ScheduleVisit(ctx, mary, v.mentee, v.at)
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, visit.ID)
		}
		kibra := store.Scope{SubCounties: []string{"Kibra"}}
		tests := []struct {
			name string
			sc   store.Scope
			f    store.VisitFilter
			want []int64
		}{
			{"admin", store.Scope{Admin: true}, store.VisitFilter{}, []int64{ids[0], ids[2], ids[1]}},
			{"Kibra", kibra, store.VisitFilter{}, []int64{ids[0], ids[1]}},
			{"Kibra, newest first", kibra, store.VisitFilter{Newest: true}, []int64{ids[1], ids[0]}},
			{"Kibra, a window", kibra, store.VisitFilter{From: now.Add(48 * time.Hour), To: now.Add(96 * time.Hour)}, []int64{ids[1]}},
			{"Kibra, cancelled", kibra, store.VisitFilter{Status: store.VisitCancelled}, []int64{}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				vs, err := db.Visits(ctx, tt.sc, tt.f)
				got := []int64{}
				for _, v := range vs {
					got = append(got, v.ID)
				}
				if err != nil || !cmp.Equal(got, tt.want) {
					t.Errorf("Visits(%v, %+v) = %v, %v, want %v", tt.sc, tt.f, got, err, tt.want)
				}
			})
		}
		if _, err := db.VisitInScope(ctx, kibra, ids[2]); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("VisitInScope(Embakasi's visit) = %v, want ErrNotFound", err)
		}
	})
}
