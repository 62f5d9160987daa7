package store

import (
	"context"
	"errors"
	"fmt"
)

// ErrNoPredecessor is returned for an exemption from the baseline, which no
// form comes before.
var ErrNoPredecessor = errors.New("the baseline comes first: nothing to exempt from")

// Predecessor is the form a nurse takes before form: "" for the baseline.
func Predecessor(form string) string {
	switch form {
	case FormMidline:
		return FormBaseline
	case FormEndline:
		return FormMidline
	}
	return ""
}

const sqlTookForm = `SELECT COUNT(*) FROM quiz_attempts WHERE worker_id = ? AND form = ? AND finished_at IS NOT NULL`

const sqlExempted = `SELECT COUNT(*) FROM assessment_exemptions WHERE worker_id = ? AND form = ?`

// AssessmentBlocker returns the form the nurse must finish before she may
// start form, or "" when she may: the baseline is always allowed, a later
// form once the one before it is finished or a supervisor exempted her.
func (db *DB) AssessmentBlocker(ctx context.Context, workerID int64, form string) (string, error) {
	if err := checkForm(form, false); err != nil {
		return "", fmt.Errorf("store: assessment blocker: %w", err)
	}
	before := Predecessor(form)
	if before == "" {
		return "", nil
	}
	var took, exempt int
	if err := db.GetContext(ctx, &took, db.Rebind(sqlTookForm), workerID, before); err != nil {
		return "", fmt.Errorf("store: assessment blocker: %w", err)
	}
	if err := db.GetContext(ctx, &exempt, db.Rebind(sqlExempted), workerID, form); err != nil {
		return "", fmt.Errorf("store: assessment blocker: %w", err)
	}
	if took > 0 || exempt > 0 {
		return "", nil
	}
	return before, nil
}

const sqlExempt = `INSERT INTO assessment_exemptions (worker_id, form, recorded_by, reason, created_at)
SELECT id, ?, ?, ?, ? FROM workers WHERE phone = ?
ON CONFLICT (worker_id, form) DO UPDATE SET recorded_by = excluded.recorded_by, reason = excluded.reason, created_at = excluded.created_at`

// ExemptAssessment records that the nurse with the +254… number phone may
// take form without the one before it, who recorded it and why. An unknown
// number is ErrNotFound; the baseline is ErrNoPredecessor.
func (db *DB) ExemptAssessment(ctx context.Context, phone, form, by, reason string) error {
	if err := checkForm(form, false); err != nil {
		return fmt.Errorf("store: exempt assessment: %w", err)
	}
	if Predecessor(form) == "" {
		return fmt.Errorf("store: exempt assessment: %w", ErrNoPredecessor)
	}
	res, err := db.ExecContext(ctx, db.Rebind(sqlExempt), form, by, reason, db.Now().UTC(), phone)
	if err != nil {
		return fmt.Errorf("store: exempt assessment: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return fmt.Errorf("store: exempt assessment: %w", errors.Join(err, ErrNotFound))
	}
	return nil
}
