package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/chanjo-health/chanjo/lessons/i18n"
)

// ErrVisitAhead is returned for logging as done a visit whose local day is
// still to come: its reminders would be cancelled and its thanks sent about a
// day that has not happened.
var ErrVisitAhead = errors.New("visit is on a later day")

// MaxVisitNotes is the longest notes a visit takes: one SMS to the nurse.
const MaxVisitNotes = 160

// DoneVisit is a visit logged as done, with how far its checklist and notes
// have got, so an unfinished one can be offered again.
type DoneVisit struct {
	Visit
	// Answered counts the checklist items answered.
	Answered int `db:"answered"`
	// HasNotes says whether notes and agreed actions were saved.
	HasNotes bool `db:"has_notes"`
}

const sqlRecentDone = `SELECT v.id, v.mentor_id, v.mentee_id, m.name AS mentor_name, e.name AS mentee_name,
       v.scheduled_at, v.status, v.done_at,
       (SELECT COUNT(*) FROM checklist_answers a WHERE a.visit_id = v.id) AS answered,
       EXISTS (SELECT 1 FROM visit_notes n WHERE n.visit_id = v.id) AS has_notes
FROM visits v JOIN workers m ON m.id = v.mentor_id JOIN workers e ON e.id = v.mentee_id
WHERE v.mentor_id = ? AND v.status = 'done' AND v.done_at >= ?
ORDER BY v.done_at DESC, v.id DESC`

// RecentDoneVisits returns the mentor's visits logged as done since the
// instant since, the latest first.
func (db *DB) RecentDoneVisits(ctx context.Context, mentorID int64, since time.Time) ([]DoneVisit, error) {
	var vs []DoneVisit
	if err := db.SelectContext(ctx, &vs, db.Rebind(sqlRecentDone), mentorID, since.UTC()); err != nil {
		return nil, fmt.Errorf("store: recent done visits: %w", err)
	}
	for i := range vs {
		vs[i].utc()
	}
	return vs, nil
}

// VisitNotes returns the notes and agreed actions saved for a visit, "" when
// none.
func (db *DB) VisitNotes(ctx context.Context, visitID int64) (string, error) {
	var notes string
	err := db.GetContext(ctx, &notes, db.Rebind(`SELECT notes FROM visit_notes WHERE visit_id = ?`), visitID)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("store: notes of visit %d: %w", visitID, err)
	}
	return notes, nil
}

const sqlSaveNotes = `INSERT INTO visit_notes (visit_id, notes, saved_at) VALUES (?, ?, ?)
ON CONFLICT (visit_id) DO UPDATE SET notes = excluded.notes, saved_at = excluded.saved_at`

// SaveVisitNotes keeps the notes of a visit done and, in the same
// transaction, queues them to the nurse visited: sms is that SMS in every
// language of the pack, and she gets it in hers. The same notes saved again send nothing more;
// changed notes are sent again. ErrVisitClosed for a visit not done,
// ErrInvalidVisit for notes empty or longer than MaxVisitNotes.
func (db *DB) SaveVisitNotes(ctx context.Context, visitID int64, notes string, sms i18n.Text) error {
	if notes == "" || len([]rune(notes)) > MaxVisitNotes {
		return fmt.Errorf("store: save notes of visit %d: %d characters: %w", visitID, len([]rune(notes)), ErrInvalidVisit)
	}
	sum := sha256.Sum256([]byte(notes))
	err := db.Tx(ctx, func(tx *Tx) error {
		v, err := db.visit(ctx, tx, visitID)
		if err != nil {
			return err
		}
		if v.Status != VisitDone {
			return ErrVisitClosed
		}
		var to struct {
			Phone    string `db:"phone"`
			Language string `db:"language"`
		}
		if err := tx.GetContext(ctx, &to, db.Rebind(`SELECT phone, language FROM workers WHERE id = ?`), v.MenteeID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, db.Rebind(sqlSaveNotes), visitID, notes, db.Now().UTC()); err != nil {
			return err
		}
		_, err = db.Enqueue(ctx, tx, Outgoing{
			DedupeKey: fmt.Sprintf("visit-notes:%d:%s", visitID, hex.EncodeToString(sum[:8])),
			Kind:      KindReply, Phone: to.Phone, Body: sms.In(to.Language), WorkerID: v.MenteeID,
		})
		return err
	})
	if err != nil {
		return fmt.Errorf("store: save notes of visit %d: %w", visitID, err)
	}
	return nil
}
