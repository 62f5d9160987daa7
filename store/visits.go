package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// Visit statuses.
const (
	VisitScheduled = "scheduled"
	VisitDone      = "done"
	VisitCancelled = "cancelled"
)

// ErrVisitClosed is returned for a change to a visit that is already done or
// cancelled.
var ErrVisitClosed = errors.New("visit is done or cancelled")

// ErrInvalidVisit is wrapped by the error for a visit that cannot be: a
// mentor visiting herself, no time, a day already past.
var ErrInvalidVisit = errors.New("invalid visit")

// Visit is a mentorship visit: a mentor at a mentee's facility.
type Visit struct {
	ID         int64        `db:"id"`
	MentorID   int64        `db:"mentor_id"`
	MenteeID   int64        `db:"mentee_id"`
	MentorName string       `db:"mentor_name"`
	MenteeName string       `db:"mentee_name"`
	At         time.Time    `db:"scheduled_at"` // UTC
	Status     string       `db:"status"`
	DoneAt     sql.NullTime `db:"done_at"` // UTC
}

func (v *Visit) utc() {
	v.At = v.At.UTC()
	v.DoneAt.Time = v.DoneAt.Time.UTC()
}

// dayAt returns the UTC instant of the local date of t, moved by days, at
// hour:minute in loc.
func dayAt(t time.Time, loc *time.Location, days, hour, minute int) time.Time {
	d := t.In(loc)
	return time.Date(d.Year(), d.Month(), d.Day()+days, hour, minute, 0, 0, loc).UTC()
}

const sqlVisit = `SELECT v.id, v.mentor_id, v.mentee_id, m.name AS mentor_name, e.name AS mentee_name,
       v.scheduled_at, v.status, v.done_at
FROM visits v JOIN workers m ON m.id = v.mentor_id JOIN workers e ON e.id = v.mentee_id`

// Visit returns the visit with id, or ErrNotFound.
func (db *DB) Visit(ctx context.Context, id int64) (Visit, error) {
	v, err := db.visit(ctx, db, id)
	if err != nil {
		return Visit{}, fmt.Errorf("store: visit %d: %w", id, err)
	}
	return v, nil
}

func (db *DB) visit(ctx context.Context, q sqlx.QueryerContext, id int64) (Visit, error) {
	var v Visit
	err := sqlx.GetContext(ctx, q, &v, db.Rebind(sqlVisit+` WHERE v.id = ?`), id)
	if errors.Is(err, sql.ErrNoRows) {
		return Visit{}, ErrNotFound
	}
	v.utc()
	return v, err
}

// VisitIn returns visit id as the transaction tx sees it, or ErrNotFound.
func (db *DB) VisitIn(ctx context.Context, tx *Tx, id int64) (Visit, error) {
	return db.visit(ctx, tx, id)
}

const sqlInsertVisit = `INSERT INTO visits (mentor_id, mentee_id, scheduled_at, status, created_at, updated_at)
VALUES (?, ?, ?, 'scheduled', ?, ?) RETURNING id`

// AddVisit stores, in tx, a scheduled visit of the mentor to the mentee at
// the time at. ErrNotFound when either worker does not exist; ErrInvalidVisit
// for a mentor visiting herself or a visit with no time.
func (db *DB) AddVisit(ctx context.Context, tx *Tx, mentorID, menteeID int64, at time.Time) (Visit, error) {
	switch {
	case mentorID == menteeID:
		return Visit{}, fmt.Errorf("store: add visit: mentor and mentee are the same worker: %w", ErrInvalidVisit)
	case at.IsZero():
		return Visit{}, fmt.Errorf("store: add visit: no time: %w", ErrInvalidVisit)
	}
	var n int
	if err := tx.GetContext(ctx, &n, db.Rebind(`SELECT COUNT(*) FROM workers WHERE id IN (?, ?)`), mentorID, menteeID); err != nil {
		return Visit{}, fmt.Errorf("store: add visit: %w", err)
	}
	if n != 2 {
		return Visit{}, fmt.Errorf("store: add visit: %w", ErrNotFound)
	}
	now := db.Now().UTC()
	var id int64
	if err := tx.GetContext(ctx, &id, db.Rebind(sqlInsertVisit), mentorID, menteeID, at.UTC(), now, now); err != nil {
		return Visit{}, fmt.Errorf("store: add visit: %w", err)
	}
	return db.visit(ctx, tx, id)
}

// MoveVisit sets, in tx, the time of scheduled visit id to at.
// ErrVisitClosed for a visit done or cancelled, ErrNotFound for none.
func (db *DB) MoveVisit(ctx context.Context, tx *Tx, id int64, at time.Time) error {
	if at.IsZero() {
		return fmt.Errorf("store: move visit %d: no time: %w", id, ErrInvalidVisit)
	}
	moved, err := db.closeVisit(ctx, tx, id, `scheduled_at = ?`, at.UTC())
	if err == nil && !moved {
		err = db.unlessAlready(ctx, tx, id, nil, "")
	}
	if err != nil {
		return fmt.Errorf("store: move visit %d: %w", id, err)
	}
	return nil
}

// CloseVisit sets, in tx, scheduled visit id to status VisitDone (done at
// doneAt) or VisitCancelled and reports whether it changed: a visit that
// has that status already is left as it is (a repeated request), one with
// the other is ErrVisitClosed.
func (db *DB) CloseVisit(ctx context.Context, tx *Tx, id int64, status string, doneAt time.Time) (bool, error) {
	var changed bool
	var err error
	switch status {
	case VisitDone:
		changed, err = db.closeVisit(ctx, tx, id, `status = 'done', done_at = ?`, doneAt.UTC())
	case VisitCancelled:
		changed, err = db.closeVisit(ctx, tx, id, `status = 'cancelled'`)
	default:
		return false, fmt.Errorf("store: close visit %d: status %q: %w", id, status, ErrInvalidVisit)
	}
	if err == nil && !changed {
		err = db.unlessAlready(ctx, tx, id, nil, status)
	}
	if err != nil {
		return false, fmt.Errorf("store: close visit %d: %w", id, err)
	}
	return changed, nil
}

// closeVisit applies set to the visit if it is still scheduled, and reports
// whether it was.
func (db *DB) closeVisit(ctx context.Context, tx *Tx, id int64, set string, args ...any) (bool, error) {
	args = append(args, db.Now().UTC(), id)
	res, err := tx.ExecContext(ctx, db.Rebind(`UPDATE visits SET `+set+`, updated_at = ? WHERE id = ? AND status = 'scheduled'`), args...)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// unlessAlready explains why a visit did not change: err if there was one,
// nil if it already has status want (a repeated request), else ErrNotFound
// or ErrVisitClosed.
func (db *DB) unlessAlready(ctx context.Context, tx *Tx, id int64, err error, want string) error {
	if err != nil {
		return err
	}
	v, err := db.visit(ctx, tx, id)
	switch {
	case err != nil:
		return err
	case v.Status == want:
		return nil
	}
	return ErrVisitClosed
}

const sqlDropVisitReminders = `DELETE FROM reminders WHERE visit_id = ? AND status = 'scheduled'`

const sqlAddReminder = `INSERT INTO reminders (worker_id, rule, anchor, due_at, visit_id, status, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, 'scheduled', ?, ?) ON CONFLICT (worker_id, rule, anchor) DO NOTHING`

// SetVisitReminders replaces, in tx, the reminders of visit id not yet sent
// with rs (their WorkerID, Rule, Anchor and DueAt); one whose worker, rule
// and anchor already fired is not added again.
func (db *DB) SetVisitReminders(ctx context.Context, tx *Tx, id int64, rs []Reminder) error {
	if _, err := tx.ExecContext(ctx, db.Rebind(sqlDropVisitReminders), id); err != nil {
		return fmt.Errorf("store: set visit %d reminders: %w", id, err)
	}
	now := db.Now().UTC()
	for _, r := range rs {
		if _, err := tx.ExecContext(ctx, db.Rebind(sqlAddReminder), r.WorkerID, r.Rule, r.Anchor, r.DueAt.UTC(), id, now, now); err != nil {
			return fmt.Errorf("store: set visit %d reminders: %w", id, err)
		}
	}
	return nil
}

// Contact is who an SMS goes to: the worker, her number and her language.
type Contact struct {
	ID       int64  `db:"id"`
	Phone    string `db:"phone"`
	Language string `db:"language"`
}

const sqlVisitPeople = `SELECT id, phone, language FROM workers WHERE id IN (?, ?) AND status = 'active' ORDER BY id`

// VisitPeople returns, in tx, the mentee and the mentor of v who are active.
func (db *DB) VisitPeople(ctx context.Context, tx *Tx, v Visit) ([]Contact, error) {
	var people []Contact
	if err := tx.SelectContext(ctx, &people, db.Rebind(sqlVisitPeople), v.MenteeID, v.MentorID); err != nil {
		return nil, fmt.Errorf("store: people of visit %d: %w", v.ID, err)
	}
	return people, nil
}

const sqlMentorVisits = sqlVisit + ` WHERE v.mentor_id = ? AND v.status = 'scheduled' ORDER BY v.scheduled_at, v.id`

// MentorVisits returns the mentor's scheduled visits in time order, split at
// the end of today in loc: today holds today's visits and any earlier ones
// not yet logged, upcoming the later ones.
func (db *DB) MentorVisits(ctx context.Context, loc *time.Location, mentorID int64) (today, upcoming []Visit, err error) {
	var vs []Visit
	if err := db.SelectContext(ctx, &vs, db.Rebind(sqlMentorVisits), mentorID); err != nil {
		return nil, nil, fmt.Errorf("store: mentor visits: %w", err)
	}
	if loc == nil {
		loc = time.UTC
	}
	tomorrow := dayAt(db.Now(), loc, 1, 0, 0)
	for _, v := range vs {
		v.utc()
		if v.At.Before(tomorrow) {
			today = append(today, v)
		} else {
			upcoming = append(upcoming, v)
		}
	}
	return today, upcoming, nil
}

const sqlMenteeNextVisit = sqlVisit + ` WHERE v.mentee_id = ? AND v.status = 'scheduled' AND v.scheduled_at >= ?
ORDER BY v.scheduled_at, v.id LIMIT 1`

// NextVisit returns the mentee's next scheduled visit from now on, or
// ErrNotFound.
func (db *DB) NextVisit(ctx context.Context, menteeID int64) (Visit, error) {
	var v Visit
	err := db.GetContext(ctx, &v, db.Rebind(sqlMenteeNextVisit), menteeID, db.Now().UTC())
	if errors.Is(err, sql.ErrNoRows) {
		return Visit{}, ErrNotFound
	}
	if err != nil {
		return Visit{}, fmt.Errorf("store: next visit: %w", err)
	}
	v.utc()
	return v, nil
}

// Checklist answers: what the mentor observed for one item.
const (
	AnswerDone    = "done"
	AnswerPartly  = "partly"
	AnswerNotDone = "not_done"
)

// answerScore is what an answer counts towards its topic's score.
var answerScore = map[string]int{AnswerDone: 2, AnswerPartly: 1, AnswerNotDone: 0}

const sqlSaveAnswer = `INSERT INTO checklist_answers (visit_id, item_id, answer, answered_at) VALUES (?, ?, ?, ?)
ON CONFLICT (visit_id, item_id) DO UPDATE SET answer = excluded.answer, answered_at = excluded.answered_at`

// SaveChecklist records the mentor's answers for a visit, by checklist item
// id: an item answered again takes the new answer. A visit not cancelled
// takes answers, before or after it is marked done. An unknown answer or an
// empty item id changes nothing.
func (db *DB) SaveChecklist(ctx context.Context, visitID int64, answers map[string]string) error {
	for item, a := range answers {
		if _, ok := answerScore[a]; !ok || item == "" {
			return fmt.Errorf("store: save checklist: item %q answer %q: %w", item, a, ErrInvalidVisit)
		}
	}
	now := db.Now().UTC()
	err := db.Tx(ctx, func(tx *Tx) error {
		v, err := db.visit(ctx, tx, visitID)
		if err != nil {
			return err
		}
		if v.Status == VisitCancelled {
			return ErrVisitClosed
		}
		for item, a := range answers {
			if _, err := tx.ExecContext(ctx, db.Rebind(sqlSaveAnswer), visitID, item, a, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: save checklist of visit %d: %w", visitID, err)
	}
	return nil
}

// Checklist returns a visit's answers by item id.
func (db *DB) Checklist(ctx context.Context, visitID int64) (map[string]string, error) {
	var rows []struct {
		Item   string `db:"item_id"`
		Answer string `db:"answer"`
	}
	err := db.SelectContext(ctx, &rows, db.Rebind(`SELECT item_id, answer FROM checklist_answers WHERE visit_id = ?`), visitID)
	if err != nil {
		return nil, fmt.Errorf("store: checklist of visit %d: %w", visitID, err)
	}
	answers := make(map[string]string, len(rows))
	for _, r := range rows {
		answers[r.Item] = r.Answer
	}
	return answers, nil
}

const sqlLastVisitAnswers = `SELECT item_id, answer FROM checklist_answers WHERE visit_id =
(SELECT id FROM visits WHERE mentee_id = ? AND status = 'done' ORDER BY done_at DESC, id DESC LIMIT 1)`

// WeakestChecklistTopic returns the topic with the lowest checklist score at
// the mentee's last visit done (done counts 2, partly 1, not done 0, over
// the topic's answered items), mapping item ids to topics with topicOf;
// ties go to the topic first in alphabetical order. It returns "" when that
// visit has no answers of a known item, or she has had no visit.
func (db *DB) WeakestChecklistTopic(ctx context.Context, menteeID int64, topicOf map[string]string) (string, error) {
	var rows []struct {
		Item   string `db:"item_id"`
		Answer string `db:"answer"`
	}
	if err := db.SelectContext(ctx, &rows, db.Rebind(sqlLastVisitAnswers), menteeID); err != nil {
		return "", fmt.Errorf("store: weakest checklist topic: %w", err)
	}
	type score struct{ got, max int }
	scores := map[string]score{}
	for _, r := range rows {
		topic, ok := topicOf[r.Item]
		if !ok {
			continue
		}
		s := scores[topic]
		scores[topic] = score{s.got + answerScore[r.Answer], s.max + 2}
	}
	weakest, low := "", score{}
	for topic, s := range scores {
		// s is lower than low when s.got/s.max < low.got/low.max.
		lower := s.got*low.max < low.got*s.max
		tie := s.got*low.max == low.got*s.max
		if weakest == "" || lower || tie && topic < weakest {
			weakest, low = topic, s
		}
	}
	return weakest, nil
}
