package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// Worker is a health worker: a nurse, or a nurse who mentors others.
type Worker struct {
	ID           int64         `db:"id"`
	Phone        string        `db:"phone"`
	Name         string        `db:"name"`
	Role         string        `db:"role"`     // nurse | mentor
	Language     string        `db:"language"` // a code of the content pack: en, sw, …
	FacilityID   sql.NullInt64 `db:"facility_id"`
	Status       string        `db:"status"` // pending | active | inactive
	OptedOut     bool          `db:"opted_out"`
	FacilityCode string        `db:"facility_code"`
	FacilityName string        `db:"facility_name"`
	SubCounty    string        `db:"sub_county"`
}

// Worker roles and statuses.
const (
	RoleNurse  = "nurse"
	RoleMentor = "mentor"

	StatusPending  = "pending"
	StatusActive   = "active"
	StatusInactive = "inactive"
)

const sqlWorkerByPhone = `
SELECT w.id, w.phone, w.name, w.role, w.language, w.facility_id, w.status, w.opted_out,
       COALESCE(f.code, '') AS facility_code, COALESCE(f.name, '') AS facility_name,
       COALESCE(f.sub_county, '') AS sub_county
FROM workers w LEFT JOIN facilities f ON f.id = w.facility_id
WHERE w.phone = ?`

// WorkerByPhone returns the worker with the +254… number p, or ErrNotFound.
func (db *DB) WorkerByPhone(ctx context.Context, p string) (Worker, error) {
	return db.WorkerByPhoneIn(ctx, db, p)
}

// WorkerByPhoneIn is WorkerByPhone through q (a transaction).
func (db *DB) WorkerByPhoneIn(ctx context.Context, q sqlx.QueryerContext, p string) (Worker, error) {
	var w Worker
	err := sqlx.GetContext(ctx, q, &w, db.Rebind(sqlWorkerByPhone), p)
	if errors.Is(err, sql.ErrNoRows) {
		return Worker{}, ErrNotFound
	}
	if err != nil {
		return Worker{}, fmt.Errorf("store: worker by phone: %w", err)
	}
	return w, nil
}

// Registration is what an unknown number gives when it registers over USSD.
type Registration struct {
	Phone, Name, FacilityCode, Language string
	// SubCounty is the roster's sub-county she picked for a facility code
	// the roster does not know, so that her supervisor sees her.
	SubCounty string
	// Active registers the worker as active at once (CHANJO_ENROLMENT=open).
	Active bool
}

// Register records a self-registered worker. A facility code the roster does
// not know is kept as an unverified facility, flagged for the supervisor.
// Registering a number twice changes nothing and returns the first record.
func (db *DB) Register(ctx context.Context, r Registration) (Worker, error) {
	now := db.Now()
	status := StatusPending
	if r.Active {
		status = StatusActive
	}
	err := db.Tx(ctx, func(tx *Tx) error {
		fid, err := db.ensureFacility(ctx, tx, r.FacilityCode, now)
		if err != nil {
			return err
		}
		if r.SubCounty != "" {
			if _, err := tx.ExecContext(ctx, db.Rebind(sqlPlaceFacility), r.SubCounty, now, fid); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, db.Rebind(`
INSERT INTO workers (phone, name, role, language, facility_id, status, created_at, updated_at)
VALUES (?, ?, 'nurse', ?, ?, ?, ?, ?) ON CONFLICT (phone) DO NOTHING`),
			r.Phone, r.Name, r.Language, fid, status, now, now)
		return err
	})
	if err != nil {
		return Worker{}, fmt.Errorf("store: register: %w", err)
	}
	return db.WorkerByPhone(ctx, r.Phone)
}

// ensureFacility returns the id of the facility with code, creating an
// unverified one if the roster does not know it.
func (db *DB) ensureFacility(ctx context.Context, tx *Tx, code string, now time.Time) (int64, error) {
	_, err := tx.ExecContext(ctx, db.Rebind(`
INSERT INTO facilities (code, verified, created_at, updated_at) VALUES (?, FALSE, ?, ?)
ON CONFLICT (code) DO NOTHING`), code, now, now)
	if err != nil {
		return 0, err
	}
	var id int64
	err = tx.GetContext(ctx, &id, db.Rebind(`SELECT id FROM facilities WHERE code = ?`), code)
	return id, err
}

// FacilityKnown reports whether the roster knows the facility code.
func (db *DB) FacilityKnown(ctx context.Context, code string) (bool, error) {
	var n int
	err := db.GetContext(ctx, &n, db.Rebind(`SELECT COUNT(*) FROM facilities WHERE code = ? AND verified`), code)
	if err != nil {
		return false, fmt.Errorf("store: facility known: %w", err)
	}
	return n > 0, nil
}

// languageCode reports whether code has the shape of a language code, two to
// eight lowercase letters ("en", "sw", "kam"), as the schema's check has it
// since migration 0048. Which codes a worker may have is the content pack's
// business (lessons.Pack.Speaks), which the callers check: a third language
// needs a pack that speaks it, not a migration.
func languageCode(code string) bool {
	if len(code) < 2 || len(code) > 8 {
		return false
	}
	for _, c := range code {
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// SetLanguage stores the worker's language, a code of the content pack.
func (db *DB) SetLanguage(ctx context.Context, workerID int64, lang string) error {
	_, err := db.ExecContext(ctx, db.Rebind(`UPDATE workers SET language = ?, updated_at = ? WHERE id = ?`), lang, db.Now(), workerID)
	if err != nil {
		return fmt.Errorf("store: set language: %w", err)
	}
	return nil
}

// SetOptOut opts the number out of (or back into) nudges and broadcasts. It
// reports whether the number belongs to a known worker.
func (db *DB) SetOptOut(ctx context.Context, p string, out bool) (bool, error) {
	now := db.Now()
	var at any
	if out {
		at = now
	}
	res, err := db.ExecContext(ctx, db.Rebind(`UPDATE workers SET opted_out = ?, opted_out_at = ?, updated_at = ? WHERE phone = ?`), out, at, now, p)
	if err != nil {
		return false, fmt.Errorf("store: set opt-out: %w", err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// TouchDial records that the worker dialled now (for inactivity nudges).
func (db *DB) TouchDial(ctx context.Context, workerID int64) error {
	_, err := db.ExecContext(ctx, db.Rebind(`UPDATE workers SET last_dial_at = ? WHERE id = ?`), db.Now(), workerID)
	if err != nil {
		return fmt.Errorf("store: touch dial: %w", err)
	}
	return nil
}
