package storetest

import (
	"database/sql"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
)

// StockCalculation records that worker worked out calculator at her
// facility at at, with result (JSON) of status.
func StockCalculation(t testing.TB, db *store.DB, worker int64, calculator, result, status string, at time.Time) {
	t.Helper()
	seed(t, db, `INSERT INTO stock_calculations (worker_id, facility_id, calculator, inputs, result, status, created_at)
SELECT id, facility_id, ?, '{}', ?, ?, ? FROM workers WHERE id = ?`, calculator, result, status, at.UTC(), worker)
}

// Calculation is a stored stock calculation as a test checks it.
type Calculation struct {
	WorkerID     int64         `db:"worker_id"`
	FacilityID   sql.NullInt64 `db:"facility_id"`
	FacilityCode string        `db:"facility_code"` // "" without a facility
	Calculator   string        `db:"calculator"`
	Vaccine      string        `db:"vaccine"`
	Inputs       string        `db:"inputs"` // JSON
	Result       string        `db:"result"` // JSON
	Status       string        `db:"status"`
}

// Calculations returns every stock calculation stored, oldest first.
func Calculations(t testing.TB, db *store.DB) []Calculation {
	t.Helper()
	var out []Calculation
	if err := db.Select(&out, `SELECT c.worker_id, c.facility_id, COALESCE(f.code, '') AS facility_code, c.calculator, c.vaccine,
c.inputs, c.result, c.status FROM stock_calculations c LEFT JOIN facilities f ON f.id = c.facility_id ORDER BY c.id`); err != nil {
		t.Fatalf("storetest: stock calculations: %v", err)
	}
	return out
}
