package store

import (
	"context"
	"fmt"
)

// The worker's facility is the one she is enrolled at when she calculates.
const sqlSaveCalculation = `INSERT INTO stock_calculations (worker_id, facility_id, calculator, inputs, result, status, created_at)
SELECT id, facility_id, ?, ?, ?, ?, ? FROM workers WHERE phone = ?`

// SaveCalculation stores a stock calculation made by the worker with the
// +254… number phone, with her facility: inputs and result are JSON, status
// the result's status code. An unknown number is ErrNotFound.
func (db *DB) SaveCalculation(ctx context.Context, phone, calculator string, inputs, result []byte, status string) error {
	res, err := db.ExecContext(ctx, db.Rebind(sqlSaveCalculation),
		calculator, string(inputs), string(result), status, db.Now().UTC(), phone)
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
