package store_test

import (
	"context"
	"errors"
	"testing"

	"chanjo/store"
	"chanjo/store/storetest"
)

func TestSaveCalculation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		id := nurse(t, db, "+254711000801")
		err := db.SaveCalculation(ctx, "+254711000801", "months-of-stock", []byte(`{"stock":900,"amc":300}`), []byte(`{"values":{"months":3}}`), "ok")
		if err != nil {
			t.Fatalf("SaveCalculation = %v", err)
		}
		var got struct {
			Worker   int64  `db:"worker_id"`
			Facility string `db:"code"`
			Inputs   string `db:"inputs"`
			Status   string `db:"status"`
		}
		err = db.GetContext(ctx, &got, `SELECT c.worker_id, f.code, c.inputs, c.status
FROM stock_calculations c JOIN facilities f ON f.id = c.facility_id`)
		if err != nil || got.Worker != id || got.Facility != "10001" || got.Inputs != `{"stock":900,"amc":300}` || got.Status != "ok" {
			t.Errorf("stored calculation = %+v, %v, want worker %d at facility 10001 with the inputs", got, err, id)
		}
		err = db.SaveCalculation(ctx, "+254799999999", "months-of-stock", []byte(`{}`), []byte(`{}`), "ok")
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("SaveCalculation(unknown phone) = %v, want ErrNotFound", err)
		}
	})
}
