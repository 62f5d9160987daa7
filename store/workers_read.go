package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// WorkerRow is a worker as the console and the API list her.
type WorkerRow struct {
	Worker
	LastDialAt sql.NullTime `db:"last_dial_at"`
	CreatedAt  time.Time    `db:"created_at"`
	// UnknownFacility is set when her facility code, typed at registration,
	// is not in the roster: she shows, flagged, to the supervisors of the
	// sub-county she picked, who set her facility.
	UnknownFacility bool `db:"unknown_facility"`
}

// WorkerFilter narrows a worker listing. Zero values do not filter.
type WorkerFilter struct {
	Q         string // part of the name, phone, facility name or code
	SubCounty string
	Status    string // pending | active | inactive
	Role      string // nurse | mentor
	Group     int64  // members of the group with this id
	Limit     int    // at most MaxWorkerPage; 0 means DefaultWorkerPage
	Offset    int
}

// Worker listing page sizes.
const (
	DefaultWorkerPage = 50
	MaxWorkerPage     = 500
	// AllWorkers is the Limit of an export: every row.
	AllWorkers = -1
)

const sqlWorkerRows = `SELECT w.id, w.phone, w.name, w.role, w.language, w.facility_id, w.status, w.opted_out,
       COALESCE(f.code, '') AS facility_code, COALESCE(f.name, '') AS facility_name,
       COALESCE(f.sub_county, '') AS sub_county, w.last_dial_at, w.created_at,
       (f.id IS NOT NULL AND NOT f.verified) AS unknown_facility
FROM workers w LEFT JOIN facilities f ON f.id = w.facility_id WHERE `

// sqlWorkersWhere keeps the workers inside the scope that match a
// WorkerFilter (WorkerFilter.binds): each condition is off when its first
// bind is empty.
const sqlWorkersWhere = `(? OR f.sub_county IN (?))
  AND (? = '' OR LOWER(w.name) LIKE ? ESCAPE '\' OR w.phone LIKE ? ESCAPE '\' OR w.phone LIKE ? ESCAPE '\'
       OR LOWER(COALESCE(f.name, '')) LIKE ? ESCAPE '\' OR LOWER(COALESCE(f.code, '')) LIKE ? ESCAPE '\')
  AND (? = '' OR LOWER(f.sub_county) = ?)
  AND (? = '' OR w.status = ?)
  AND (? = '' OR w.role = ?)
  AND (? = 0 OR w.id IN (SELECT worker_id FROM group_members WHERE group_id = ?))`

// How many workers match, a page of them by name, and all of them (an
// export).
const (
	sqlWorkersCount = `SELECT COUNT(*) FROM workers w LEFT JOIN facilities f ON f.id = w.facility_id WHERE ` + sqlWorkersWhere
	sqlWorkersPage  = sqlWorkerRows + sqlWorkersWhere + ` ORDER BY w.name, w.id LIMIT ? OFFSET ?`
	sqlWorkersAll   = sqlWorkerRows + sqlWorkersWhere + ` ORDER BY w.name, w.id`
)

// Workers returns the page of workers inside the scope that match the
// filter, ordered by name, and how many match in all.
func (db *DB) Workers(ctx context.Context, sc Scope, f WorkerFilter) ([]WorkerRow, int, error) {
	args := f.binds(sc)
	var total int
	if err := db.inGet(ctx, db, &total, sqlWorkersCount, args...); err != nil {
		return nil, 0, fmt.Errorf("store: workers: %w", err)
	}
	query := sqlWorkersAll
	if f.Limit != AllWorkers {
		query, args = sqlWorkersPage, append(args, pageSize(f.Limit), max(f.Offset, 0))
	}
	rows := []WorkerRow{}
	if err := db.inSelect(ctx, db, &rows, query, args...); err != nil {
		return nil, 0, fmt.Errorf("store: workers: %w", err)
	}
	return rows, total, nil
}

func pageSize(limit int) int {
	switch {
	case limit <= 0:
		return DefaultWorkerPage
	case limit > MaxWorkerPage:
		return MaxWorkerPage
	}
	return limit
}

// binds returns the binds of sqlWorkersWhere for the filter inside the
// scope. The search q matches part of a name, a facility's name or code,
// or a number, in the local form too (phonePart).
func (f WorkerFilter) binds(sc Scope) []any {
	admin, subCounties := sc.inArgs()
	q := strings.ToLower(strings.TrimSpace(f.Q))
	p, local := "%"+escapeLike(q)+"%", "%"+escapeLike(phonePart(q))+"%"
	return []any{admin, subCounties,
		q, p, p, local, p, p,
		f.SubCounty, strings.ToLower(strings.TrimSpace(f.SubCounty)),
		f.Status, f.Status,
		f.Role, f.Role,
		f.Group, f.Group}
}

// phonePart turns part of a phone number typed in a local form into the
// same part of the stored +254 form: "0722 000" and "+254722000" both
// become "254722000", which the stored "+254722000123" contains. Anything
// that is not such a number comes back as it was.
func phonePart(q string) string {
	var digits strings.Builder
	for _, r := range q {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case r == ' ' || r == '-' || r == '+' || r == '(' || r == ')':
		default:
			return q
		}
	}
	d := digits.String()
	if d == "" {
		return q
	}
	if rest, ok := strings.CutPrefix(d, "0"); ok {
		return "254" + rest
	}
	return d
}

// escapeLike makes s match itself literally in a LIKE pattern.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// WorkerInScope returns the worker with the id, or ErrNotFound when there is
// none or she is outside the scope: the caller cannot tell the two apart.
func (db *DB) WorkerInScope(ctx context.Context, sc Scope, id int64) (WorkerRow, error) {
	return workerInScope(ctx, db, sc, id)
}

type getter interface {
	GetContext(ctx context.Context, dest any, query string, args ...any) error
	Rebind(string) string
}

const sqlWorkerInScope = sqlWorkerRows + `(? OR f.sub_county IN (?)) AND w.id = ?`

func workerInScope(ctx context.Context, q getter, sc Scope, id int64) (WorkerRow, error) {
	admin, subCounties := sc.inArgs()
	query, args, err := sqlx.In(sqlWorkerInScope, admin, subCounties, id)
	if err != nil {
		return WorkerRow{}, fmt.Errorf("store: worker: %w", err)
	}
	var w WorkerRow
	err = q.GetContext(ctx, &w, q.Rebind(query), args...)
	if errors.Is(err, sql.ErrNoRows) {
		return WorkerRow{}, ErrNotFound
	}
	if err != nil {
		return WorkerRow{}, fmt.Errorf("store: worker: %w", err)
	}
	return w, nil
}

// WorkerChange is an edit of a worker by a console user; nil fields stay.
type WorkerChange struct {
	Status   *string // active (approve) | inactive (reject a pending one)
	Language *string // a language of the content pack: en, sw, …
	OptedOut *bool
	// Notice is the SMS that tells a pending worker her registration was
	// approved or rejected; nil sends none.
	Notice *RegistrationNotice
}

// ErrInvalid wraps a change the store refuses; its message is for people.
var ErrInvalid = errors.New("invalid")

// ErrOptOutKept refuses to turn SMS back on for a worker who opted out: her
// consent is hers, so only she undoes it, by sending START.
var ErrOptOutKept = fmt.Errorf("only the nurse can undo her opt-out, by sending START: %w", ErrInvalid)

// UpdateWorker applies the change to the worker inside the scope and writes
// the audit log, all in one transaction. It returns ErrNotFound outside the
// scope and an error wrapping ErrInvalid for a bad value, changing nothing.
func (db *DB) UpdateWorker(ctx context.Context, sc Scope, userID, id int64, ch WorkerChange) (WorkerRow, error) {
	detail, err := ch.check()
	if err != nil {
		return WorkerRow{}, err
	}
	now := db.Now()
	var w WorkerRow
	err = db.Tx(ctx, func(tx *Tx) error {
		var err error
		if w, err = workerInScope(ctx, tx, sc, id); err != nil || len(detail) == 0 {
			return err
		}
		if ch.OptedOut != nil && !*ch.OptedOut && w.OptedOut {
			return ErrOptOutKept
		}
		if ch.Status != nil {
			if err := db.noticeRegistration(ctx, tx, ch.Notice, w.Worker, *ch.Status); err != nil {
				return err
			}
		}
		outChanged := ch.OptedOut != nil && *ch.OptedOut != w.OptedOut
		outAt := optOutTime(outChanged && *ch.OptedOut, now)
		if _, err := tx.ExecContext(ctx, db.Rebind(sqlUpdateWorker), ch.Status, ch.Language, ch.OptedOut, outChanged, outAt, now, id); err != nil {
			return err
		}
		if err := db.Audit(ctx, tx, userID, "worker.update", fmt.Sprintf("worker:%d", id), strings.Join(detail, "; ")); err != nil {
			return err
		}
		w, err = workerInScope(ctx, tx, Scope{Admin: true}, id)
		return err
	})
	if err != nil {
		return WorkerRow{}, fmt.Errorf("store: update worker: %w", err)
	}
	return w, nil
}

func optOutTime(out bool, now time.Time) any {
	if out {
		return now
	}
	return nil
}

// sqlUpdateWorker applies a WorkerChange: a NULL keeps the field, and the
// opt-out's time changes only with the opt-out (the fourth bind).
const sqlUpdateWorker = `UPDATE workers SET status = COALESCE(?, status), language = COALESCE(?, language),
    opted_out = COALESCE(?, opted_out), opted_out_at = CASE WHEN ? THEN ? ELSE opted_out_at END, updated_at = ?
WHERE id = ?`

// check returns the audit log's words for each field the change sets, or
// an error wrapping ErrInvalid for a value the store refuses.
func (ch WorkerChange) check() (detail []string, err error) {
	if ch.Status != nil {
		if *ch.Status != StatusActive && *ch.Status != StatusInactive {
			return nil, fmt.Errorf("store: update worker: status must be active or inactive: %w", ErrInvalid)
		}
		detail = append(detail, "status "+*ch.Status)
	}
	if ch.Language != nil {
		if !languageCode(*ch.Language) {
			return nil, fmt.Errorf("store: update worker: language %q is not a language code: %w", *ch.Language, ErrInvalid)
		}
		detail = append(detail, "language "+*ch.Language)
	}
	if ch.OptedOut != nil {
		detail = append(detail, fmt.Sprintf("opted out %t", *ch.OptedOut))
	}
	return detail, nil
}

const sqlFacilityByCode = `SELECT id, name, sub_county FROM facilities WHERE LOWER(code) = LOWER(?) AND verified`

// SetWorkerFacility moves the worker, inside the scope, to the roster's
// facility with the code: how a supervisor places a nurse who registered
// with a code the roster does not know. A code the roster does not know, or
// a facility outside the scope, is an *InputError and changes nothing.
// Audited.
func (db *DB) SetWorkerFacility(ctx context.Context, sc Scope, userID, id int64, code string) (WorkerRow, error) {
	code = strings.TrimSpace(code)
	var w WorkerRow
	err := db.Tx(ctx, func(tx *Tx) error {
		if _, err := workerInScope(ctx, tx, sc, id); err != nil {
			return err
		}
		var f struct {
			ID        int64  `db:"id"`
			Name      string `db:"name"`
			SubCounty string `db:"sub_county"`
		}
		err := tx.GetContext(ctx, &f, db.Rebind(sqlFacilityByCode), code)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return &InputError{Field: "facility_code", Message: fmt.Sprintf("the roster has no facility with the code %q", code)}
		case err != nil:
			return err
		case !sc.Allows(f.SubCounty):
			return &InputError{Field: "facility_code", Message: fmt.Sprintf("%s is not in your sub-counties", f.Name)}
		}
		if _, err := tx.ExecContext(ctx, db.Rebind(`UPDATE workers SET facility_id = ?, updated_at = ? WHERE id = ?`), f.ID, db.Now(), id); err != nil {
			return err
		}
		if err := db.Audit(ctx, tx, userID, "worker.facility", fmt.Sprintf("worker:%d", id), "facility "+code); err != nil {
			return err
		}
		w, err = workerInScope(ctx, tx, Scope{Admin: true}, id)
		return err
	})
	if err != nil {
		return WorkerRow{}, fmt.Errorf("store: set worker facility: %w", err)
	}
	return w, nil
}
