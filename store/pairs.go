package store

import (
	"context"
	"fmt"
	"time"
)

// Pair is a mentor and one of her mentees, as the console lists them.
type Pair struct {
	MentorID     int64     `db:"mentor_id"`
	MentorName   string    `db:"mentor_name"`
	MentorPhone  string    `db:"mentor_phone"`
	MenteeID     int64     `db:"mentee_id"`
	MenteeName   string    `db:"mentee_name"`
	MenteePhone  string    `db:"mentee_phone"`
	FacilityName string    `db:"facility_name"` // the mentee's
	SubCounty    string    `db:"sub_county"`    // the mentee's
	CreatedAt    time.Time `db:"created_at"`
}

const sqlPairs = `SELECT p.mentor_id, m.name AS mentor_name, m.phone AS mentor_phone, p.mentee_id, w.name AS mentee_name,
       w.phone AS mentee_phone, COALESCE(f.name, '') AS facility_name, COALESCE(f.sub_county, '') AS sub_county, p.created_at
FROM mentor_pairs p JOIN workers m ON m.id = p.mentor_id JOIN workers w ON w.id = p.mentee_id
LEFT JOIN facilities f ON f.id = w.facility_id WHERE (? OR f.sub_county IN (?))
ORDER BY m.name, p.mentor_id, w.name, p.mentee_id`

// MentorPairs returns the pairs whose mentee is inside the scope, by
// mentor and then mentee name.
func (db *DB) MentorPairs(ctx context.Context, sc Scope) ([]Pair, error) {
	admin, subCounties := sc.inArgs()
	ps := []Pair{}
	if err := db.inSelect(ctx, db, &ps, sqlPairs, admin, subCounties); err != nil {
		return nil, fmt.Errorf("store: mentor pairs: %w", err)
	}
	for i := range ps {
		ps[i].CreatedAt = ps[i].CreatedAt.UTC()
	}
	return ps, nil
}

// PairMentor makes the mentor the mentee's only mentor, as a roster's
// mentor_phone does, and writes the audit log, in one transaction. Both
// must be inside the scope (else ErrNotFound); a mentor who is not a
// mentor, or a worker paired with herself, is an *InputError. Pairing them
// again changes nothing.
func (db *DB) PairMentor(ctx context.Context, sc Scope, userID, mentorID, menteeID int64) error {
	if mentorID == menteeID {
		return &InputError{Field: "mentor_id", Message: "a nurse cannot be her own mentor"}
	}
	err := db.Tx(ctx, func(tx *Tx) error {
		m, err := workerInScope(ctx, tx, sc, mentorID)
		if err != nil {
			return err
		}
		if _, err := workerInScope(ctx, tx, sc, menteeID); err != nil {
			return err
		}
		if m.Role != RoleMentor {
			return &InputError{Field: "mentor_id", Message: m.Name + " is not a mentor"}
		}
		res, err := tx.ExecContext(ctx, db.Rebind(`DELETE FROM mentor_pairs WHERE mentee_id = ? AND mentor_id <> ?`), menteeID, mentorID)
		if err != nil {
			return err
		}
		replaced, err := res.RowsAffected()
		if err != nil {
			return err
		}
		res, err = tx.ExecContext(ctx, db.Rebind(`INSERT INTO mentor_pairs (mentor_id, mentee_id, created_at) VALUES (?, ?, ?)
ON CONFLICT (mentor_id, mentee_id) DO NOTHING`), mentorID, menteeID, db.Now())
		if err != nil {
			return err
		}
		if added, err := res.RowsAffected(); err != nil || added+replaced == 0 {
			return err
		}
		return db.Audit(ctx, tx, userID, "pair.create", fmt.Sprintf("worker:%d", menteeID),
			fmt.Sprintf("mentor worker:%d; %d other pairs removed", mentorID, replaced))
	})
	if err != nil {
		return fmt.Errorf("store: pair worker %d with mentor %d: %w", menteeID, mentorID, err)
	}
	return nil
}

// UnpairMentor ends the pair of the mentor and the mentee inside the scope
// and writes the audit log, in one transaction; ErrNotFound when the
// mentee is outside the scope or they are not paired.
func (db *DB) UnpairMentor(ctx context.Context, sc Scope, userID, mentorID, menteeID int64) error {
	err := db.Tx(ctx, func(tx *Tx) error {
		if _, err := workerInScope(ctx, tx, sc, menteeID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, db.Rebind(`DELETE FROM mentor_pairs WHERE mentor_id = ? AND mentee_id = ?`), mentorID, menteeID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return notFoundUnless(err)
		}
		return db.Audit(ctx, tx, userID, "pair.delete", fmt.Sprintf("worker:%d", menteeID), fmt.Sprintf("mentor worker:%d", mentorID))
	})
	if err != nil {
		return fmt.Errorf("store: unpair worker %d from mentor %d: %w", menteeID, mentorID, err)
	}
	return nil
}
