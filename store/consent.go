package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Where a worker gave her consent.
const ConsentUSSD = "ussd" // the consent screen of USSD registration

const sqlRecordConsent = `INSERT INTO worker_consents (worker_id, via, given_at) VALUES (?, ?, ?)
ON CONFLICT (worker_id) DO NOTHING`

// RecordConsent records that the worker agreed, at the instant at, through
// via, to what Chanjo keeps about her. The first consent stands: recording
// it again (a replayed hop) changes nothing.
func (db *DB) RecordConsent(ctx context.Context, workerID int64, via string, at time.Time) error {
	if _, err := db.ExecContext(ctx, db.Rebind(sqlRecordConsent), workerID, via, at.UTC()); err != nil {
		return fmt.Errorf("store: record consent: %w", err)
	}
	return nil
}

// Consent returns when and through what the worker gave her consent, or
// ErrNotFound when she has not.
func (db *DB) Consent(ctx context.Context, workerID int64) (via string, at time.Time, err error) {
	var row struct {
		Via string    `db:"via"`
		At  time.Time `db:"given_at"`
	}
	err = db.GetContext(ctx, &row, db.Rebind(`SELECT via, given_at FROM worker_consents WHERE worker_id = ?`), workerID)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", time.Time{}, ErrNotFound
	case err != nil:
		return "", time.Time{}, fmt.Errorf("store: consent: %w", err)
	}
	return row.Via, row.At.UTC(), nil
}
