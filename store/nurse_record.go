package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// RecordRows is how many of each kind of row (visits, questions,
// calculations, SMS) the console's nurse page shows, the latest first.
const RecordRows = 20

// NurseRecord is what the console's nurse page shows of a worker beyond her
// details: her mentors and groups, and her latest visits, questions,
// calculations and SMS. The caller checks she is inside the user's scope.
type NurseRecord struct {
	Mentors      []Person
	Groups       []NamedID
	Visits       []RecordVisit
	Questions    []Question
	Calculations []RecordCalculation
	SMS          []RecordSMS
}

// Person is a worker named on another's page: her number tells namesakes
// apart.
type Person struct {
	ID    int64  `db:"id"`
	Name  string `db:"name"`
	Phone string `db:"phone"`
}

// NamedID is a row's id and name.
type NamedID struct {
	ID   int64  `db:"id"`
	Name string `db:"name"`
}

// RecordVisit is a visit she made (as mentor) or received.
type RecordVisit struct {
	ID     int64        `db:"id"`
	At     time.Time    `db:"scheduled_at"`
	Status string       `db:"status"`
	DoneAt sql.NullTime `db:"done_at"`
	Mentor string       `db:"mentor"`
	Mentee string       `db:"mentee"`
}

// RecordCalculation is a stock calculation she made.
type RecordCalculation struct {
	Calculator string    `db:"calculator"`
	Vaccine    string    `db:"vaccine"`
	Status     string    `db:"status"`
	At         time.Time `db:"created_at"`
}

// RecordSMS is an SMS to her number, with where it stands.
type RecordSMS struct {
	At     time.Time `db:"created_at"`
	Kind   string    `db:"kind"`
	Status string    `db:"status"`
	Body   string    `db:"body"`
	Reason string    `db:"failure_reason"`
}

const (
	sqlRecordMentors = `SELECT w.id, w.name, w.phone FROM mentor_pairs p JOIN workers w ON w.id = p.mentor_id
WHERE p.mentee_id = ? ORDER BY w.name, w.id`
	sqlRecordGroups = `SELECT g.id, g.name FROM group_members m JOIN groups g ON g.id = m.group_id
WHERE m.worker_id = ? ORDER BY g.name, g.id`
	sqlRecordVisits = `SELECT v.id, v.scheduled_at, v.status, v.done_at, a.name AS mentor, b.name AS mentee
FROM visits v JOIN workers a ON a.id = v.mentor_id JOIN workers b ON b.id = v.mentee_id
WHERE v.mentor_id = ? OR v.mentee_id = ? ORDER BY v.scheduled_at DESC, v.id DESC LIMIT ?`
	sqlRecordCalculations = `SELECT calculator, COALESCE(vaccine, '') AS vaccine, status, created_at FROM stock_calculations
WHERE worker_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`
	sqlRecordSMS = `SELECT created_at, kind, status, body, failure_reason FROM outbox
WHERE worker_id = ? ORDER BY id DESC LIMIT ?`
)

// NurseRecordOf returns the worker's record (RecordRows of each list).
func (db *DB) NurseRecordOf(ctx context.Context, workerID int64) (NurseRecord, error) {
	var r NurseRecord
	steps := []struct {
		dest  any
		query string
		args  []any
	}{
		{&r.Mentors, sqlRecordMentors, []any{workerID}},
		{&r.Groups, sqlRecordGroups, []any{workerID}},
		{&r.Visits, sqlRecordVisits, []any{workerID, workerID, RecordRows}},
		{&r.Calculations, sqlRecordCalculations, []any{workerID, RecordRows}},
		{&r.SMS, sqlRecordSMS, []any{workerID, RecordRows}},
	}
	for _, s := range steps {
		if err := db.SelectContext(ctx, s.dest, db.Rebind(s.query), s.args...); err != nil {
			return NurseRecord{}, fmt.Errorf("store: nurse record: %w", err)
		}
	}
	qs, err := db.MyQuestions(ctx, workerID, RecordRows)
	if err != nil {
		return NurseRecord{}, err
	}
	r.Questions = qs
	return r, nil
}
