package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// seedWorker adds a facility of the sub-county (once) and a worker at it.
func seedWorker(t *testing.T, db *store.DB, name, phone, subCounty, status string) int64 {
	t.Helper()
	ctx, now := context.Background(), db.Now()
	_, err := db.ExecContext(ctx, db.Rebind(`INSERT INTO facilities (code, name, sub_county, county, created_at, updated_at)
VALUES (?, ?, ?, 'Nairobi', ?, ?) ON CONFLICT (code) DO NOTHING`), "F-"+subCounty, subCounty+" Health Centre", subCounty, now, now)
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	err = db.GetContext(ctx, &id, db.Rebind(`INSERT INTO workers (phone, name, facility_id, status, created_at, updated_at)
SELECT ?, ?, id, ?, ?, ? FROM facilities WHERE code = ? RETURNING id`), phone, name, status, now, now, "F-"+subCounty)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func names(rows []store.WorkerRow) []string {
	out := []string{}
	for _, r := range rows {
		out = append(out, r.Name)
	}
	return out
}

func TestWorkersScopedAndFiltered(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedWorker(t, db, "Achieng", "+254711000001", "Kibra", store.StatusActive)
		seedWorker(t, db, "Baraka_1", "+254711000002", "Kibra", store.StatusPending)
		seedWorker(t, db, "Chebet", "+254711000003", "Embakasi", store.StatusPending)
		kibra := store.Scope{SubCounties: []string{"Kibra"}}
		tests := []struct {
			name  string
			scope store.Scope
			f     store.WorkerFilter
			want  []string
			total int
		}{
			{"admin sees all", store.Scope{Admin: true}, store.WorkerFilter{}, []string{"Achieng", "Baraka_1", "Chebet"}, 3},
			{"supervisor sees her sub-county", kibra, store.WorkerFilter{}, []string{"Achieng", "Baraka_1"}, 2},
			{"no sub-county sees nothing", store.Scope{}, store.WorkerFilter{}, []string{}, 0},
			{"other sub-county filter stays scoped", kibra, store.WorkerFilter{SubCounty: "Embakasi"}, []string{}, 0},
			{"pending", store.Scope{Admin: true}, store.WorkerFilter{Status: store.StatusPending}, []string{"Baraka_1", "Chebet"}, 2},
			{"search name, any case", store.Scope{Admin: true}, store.WorkerFilter{Q: "cheB"}, []string{"Chebet"}, 1},
			{"search phone", store.Scope{Admin: true}, store.WorkerFilter{Q: "000002"}, []string{"Baraka_1"}, 1},
			{"search facility", kibra, store.WorkerFilter{Q: "kibra health"}, []string{"Achieng", "Baraka_1"}, 2},
			{"underscore is literal", store.Scope{Admin: true}, store.WorkerFilter{Q: "a_"}, []string{"Baraka_1"}, 1},
			{"page", store.Scope{Admin: true}, store.WorkerFilter{Limit: 1, Offset: 1}, []string{"Baraka_1"}, 3},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				rows, total, err := db.Workers(ctx, tt.scope, tt.f)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tt.want, names(rows)); diff != "" || total != tt.total {
					t.Errorf("Workers(%+v) total %d, want %d; names diff (-want +got):\n%s", tt.f, total, tt.total, diff)
				}
			})
		}
	})
}

func TestUpdateWorker(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u, err := db.CreateUser(ctx, store.NewUser{Name: "sup", Role: store.RoleSupervisor, PasswordHash: "h", SubCounties: []string{"Kibra"}})
		if err != nil {
			t.Fatal(err)
		}
		kibra := store.Scope{SubCounties: []string{"Kibra"}}
		mine := seedWorker(t, db, "Achieng", "+254711000001", "Kibra", store.StatusPending)
		theirs := seedWorker(t, db, "Chebet", "+254711000003", "Embakasi", store.StatusPending)
		active, sw, out := store.StatusActive, "sw", true
		w, err := db.UpdateWorker(ctx, kibra, u.ID, mine, store.WorkerChange{Status: &active, Language: &sw, OptedOut: &out})
		if err != nil || w.Status != active || w.Language != "sw" || !w.OptedOut {
			t.Errorf("UpdateWorker(mine) = %+v, %v, want active, sw, opted out", w, err)
		}
		if _, err := db.UpdateWorker(ctx, kibra, u.ID, theirs, store.WorkerChange{Status: &active}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("UpdateWorker(other sub-county) error = %v, want ErrNotFound", err)
		}
		bad := "pending"
		if _, err := db.UpdateWorker(ctx, store.Scope{Admin: true}, u.ID, theirs, store.WorkerChange{Status: &bad}); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("UpdateWorker(status pending) error = %v, want ErrInvalid", err)
		}
		got, _ := db.WorkerInScope(ctx, store.Scope{Admin: true}, theirs)
		if got.Status != store.StatusPending {
			t.Errorf("refused changes changed the worker: %+v", got)
		}
		if _, err := db.WorkerInScope(ctx, kibra, theirs); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("WorkerInScope(other sub-county) error = %v, want ErrNotFound", err)
		}
		if n := auditCount(t, db, "worker.update"); n != 1 {
			t.Errorf("audit rows worker.update = %d, want 1", n)
		}
	})
}
