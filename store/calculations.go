package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// The worker's facility is the one she is enrolled at when she calculates.
const sqlSaveCalculation = `INSERT INTO stock_calculations (worker_id, facility_id, calculator, vaccine, inputs, result, status, created_at)
SELECT id, facility_id, ?, ?, ?, ?, ?, ? FROM workers WHERE phone = ?`

// SaveCalculation stores a stock calculation made by the worker with the
// +254… number phone, with her facility: the vaccine's id ("" for a
// calculator of no vaccine), inputs and result as JSON, status the result's
// status code. An unknown number is ErrNotFound.
func (db *DB) SaveCalculation(ctx context.Context, phone, calculator, vaccine string, inputs, result []byte, status string) error {
	res, err := db.ExecContext(ctx, db.Rebind(sqlSaveCalculation),
		calculator, vaccine, string(inputs), string(result), status, db.Now().UTC(), phone)
	if err != nil {
		return fmt.Errorf("store: save calculation: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: save calculation: %w", err)
	}
	if n == 0 {
		return fmt.Errorf("store: save calculation: %w", ErrNotFound)
	}
	return nil
}

// CalculationWindow is how long the same calculation (same worker,
// calculator and inputs) is stored only once: a USSD hop replayed or resumed
// within the gateway's session and the 30-minute resume window runs its
// input again, and must not store the calculation twice.
const CalculationWindow = 30 * time.Minute

// The facility test lets the look-up use stock_calculations_facility;
// every worker has a facility (registration keeps an unknown code as an
// unverified facility).
const sqlSaveCalculationFor = `INSERT INTO stock_calculations (worker_id, facility_id, calculator, vaccine, inputs, result, status, created_at)
SELECT w.id, w.facility_id, ?, ?, ?, ?, ?, ? FROM workers w
WHERE w.id = ? AND NOT EXISTS (
    SELECT 1 FROM stock_calculations c
    WHERE c.facility_id = w.facility_id AND c.created_at > ?
      AND c.worker_id = w.id AND c.calculator = ? AND c.inputs = ?)`

// SaveCalculationFor stores a stock calculation made by worker workerID (a
// USSD session knows the worker, not only the number), with her facility;
// vaccine is the vaccine's id ("" for none), inputs and result are JSON,
// status the result's status code. The same
// calculation with the same inputs stored less than CalculationWindow ago
// is not stored again. An unknown worker is ErrNotFound.
func (db *DB) SaveCalculationFor(ctx context.Context, workerID int64, calculator, vaccine string, inputs, result []byte, status string) error {
	now := db.Now().UTC()
	res, err := db.ExecContext(ctx, db.Rebind(sqlSaveCalculationFor),
		calculator, vaccine, string(inputs), string(result), status, now, workerID, now.Add(-CalculationWindow), calculator, string(inputs))
	if err != nil {
		return fmt.Errorf("store: save calculation: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: save calculation: %w", err)
	}
	if n == 0 {
		if err := db.workerExists(ctx, workerID); err != nil {
			return fmt.Errorf("store: save calculation: %w", err)
		}
	}
	return nil
}

const sqlWorkerExists = `SELECT 1 FROM workers WHERE id = ?`

// workerExists is nil when the worker exists, else ErrNotFound.
func (db *DB) workerExists(ctx context.Context, id int64) error {
	var one int
	err := db.GetContext(ctx, &one, db.Rebind(sqlWorkerExists), id)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}
