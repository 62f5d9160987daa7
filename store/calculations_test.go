package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

func TestSaveCalculation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		id := nurse(t, db, "+254711000801")
		err := db.SaveCalculation(ctx, "+254711000801", "months-of-stock", "penta", []byte(`{"stock":900,"amc":300}`), []byte(`{"values":{"months":3}}`), "ok")
		if err != nil {
			t.Fatalf("SaveCalculation = %v", err)
		}
		var got struct {
			Worker   int64  `db:"worker_id"`
			Facility string `db:"code"`
			Vaccine  string `db:"vaccine"`
			Inputs   string `db:"inputs"`
			Status   string `db:"status"`
		}
		err = db.GetContext(ctx, &got, `SELECT c.worker_id, f.code, c.vaccine, c.inputs, c.status
FROM stock_calculations c JOIN facilities f ON f.id = c.facility_id`)
		if err != nil || got.Worker != id || got.Facility != "10001" || got.Vaccine != "penta" || got.Inputs != `{"stock":900,"amc":300}` || got.Status != "ok" {
			t.Errorf("stored calculation = %+v, %v, want worker %d at facility 10001 with the inputs", got, err, id)
		}
		err = db.SaveCalculation(ctx, "+254799999999", "months-of-stock", "", []byte(`{}`), []byte(`{}`), "ok")
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("SaveCalculation(unknown phone) = %v, want ErrNotFound", err)
		}
	})
}

func TestSaveCalculationFor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		id := nurse(t, db, "+254711000802")
		other := nurse(t, db, "+254711000803")
		in := []byte(`{"stock_on_hand":180,"amc":120}`)
		saves := []struct {
			name   string
			worker int64
			inputs []byte
			after  time.Duration
			want   int // rows stored so far
		}{
			{"first calculation", id, in, 0, 1},
			{"the same hop replayed", id, in, time.Minute, 1},
			{"other inputs", id, []byte(`{"stock_on_hand":90,"amc":120}`), time.Minute, 2},
			{"another worker, same inputs", other, in, time.Minute, 3},
			{"the same again after the window", id, in, store.CalculationWindow + time.Minute, 4},
		}
		for _, s := range saves {
			now = now.Add(s.after)
			if err := db.SaveCalculationFor(ctx, s.worker, "months-of-stock", "bcg", s.inputs, []byte(`{"values":{}}`), "within_policy"); err != nil {
				t.Fatalf("%s: SaveCalculationFor = %v", s.name, err)
			}
			var n int
			if err := db.GetContext(ctx, &n, `SELECT COUNT(*) FROM stock_calculations`); err != nil || n != s.want {
				t.Errorf("%s: stored calculations = %d, %v, want %d", s.name, n, err, s.want)
			}
		}
		var got struct {
			Facility string `db:"code"`
			Vaccine  string `db:"vaccine"`
			Status   string `db:"status"`
		}
		err := db.GetContext(ctx, &got, db.Rebind(`SELECT f.code, c.vaccine, c.status
FROM stock_calculations c JOIN facilities f ON f.id = c.facility_id WHERE c.worker_id = ? ORDER BY c.id LIMIT 1`), id)
		if err != nil || got.Facility != "10001" || got.Vaccine != "bcg" || got.Status != "within_policy" {
			t.Errorf("stored calculation = %+v, %v, want facility 10001, bcg, within_policy", got, err)
		}
		err = db.SaveCalculationFor(ctx, 999999, "months-of-stock", "", in, []byte(`{}`), "ok")
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("SaveCalculationFor(unknown worker) = %v, want ErrNotFound", err)
		}
	})
}
