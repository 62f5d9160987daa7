package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// The console's helpdesk: a supervisor answers a question herself, hands it
// to another mentor, or closes it; each inside her scope, in one transaction
// with its SMS and its audit row.

// ErrQuestionClosed is returned for an answer to, or a handing on of, a
// question staff closed.
var ErrQuestionClosed = errors.New("question closed")

const sqlQuestionInScope = `SELECT COUNT(*) FROM questions q JOIN workers w ON w.id = q.worker_id
LEFT JOIN facilities f ON f.id = w.facility_id WHERE q.id = ? AND (? OR f.sub_county IN (?))`

// questionInScope returns question id through tx when its nurse is inside
// the scope, else ErrNotFound.
func (db *DB) questionInScope(ctx context.Context, tx *Tx, sc Scope, id int64) (Question, error) {
	admin, subCounties := sc.inArgs()
	var n int
	if err := db.inGet(ctx, tx, &n, sqlQuestionInScope, id, admin, subCounties); err != nil {
		return Question{}, err
	}
	if n == 0 {
		return Question{}, ErrNotFound
	}
	return db.question(ctx, tx, id)
}

// stillWaiting returns ErrAlreadyAnswered or ErrQuestionClosed for a question
// no longer waiting for an answer, else nil.
func stillWaiting(q Question) error {
	switch q.State() {
	case QuestionAnswered:
		return ErrAlreadyAnswered
	case QuestionClosed:
		return ErrQuestionClosed
	}
	return nil
}

const sqlStaffAnswer = `UPDATE questions SET answer = ?, answered_by_user = ?, answered_at = ?
WHERE id = ? AND answered_at IS NULL AND closed_at IS NULL`

// AnswerAsStaffTx stores, in tx, the console user's answer to question
// id, inside the scope, and audits it; the caller queues it to the nurse in
// the same transaction (mentoring.Service.AnswerAsStaff), under the key
// every answer uses, so she gets one answer however often the form is
// posted and whoever answers first. ErrNotFound outside the scope;
// ErrAlreadyAnswered (with the question as first answered) or
// ErrQuestionClosed when it no longer waits; an empty answer wraps
// ErrEmptyQuestion. A refusal writes nothing.
func (db *DB) AnswerAsStaffTx(ctx context.Context, tx *Tx, sc Scope, userID, id int64, answer string) (Question, error) {
	answer = strings.TrimSpace(answer)
	if answer == "" {
		return Question{}, fmt.Errorf("store: staff answer %d: %w", id, ErrEmptyQuestion)
	}
	q, err := db.staffAnswer(ctx, tx, sc, userID, id, answer)
	if err != nil {
		return q, fmt.Errorf("store: staff answer %d: %w", id, err)
	}
	return q, nil
}

func (db *DB) staffAnswer(ctx context.Context, tx *Tx, sc Scope, userID, id int64, answer string) (Question, error) {
	q, err := db.questionInScope(ctx, tx, sc, id)
	if err != nil {
		return Question{}, err
	}
	if err := stillWaiting(q); err != nil {
		return q, err
	}
	res, err := tx.ExecContext(ctx, db.Rebind(sqlStaffAnswer), answer, userID, db.Now().UTC(), id)
	if err != nil {
		return Question{}, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return q, errors.Join(err, ErrAlreadyAnswered) // a mentor's answer came in between
	}
	if q, err = db.question(ctx, tx, id); err != nil {
		return Question{}, err
	}
	return q, db.Audit(ctx, tx, userID, "question.answer", fmt.Sprintf("question:%d", id), "")
}

const sqlAssign = `UPDATE questions SET assigned_to = ? WHERE id = ? AND answered_at IS NULL AND closed_at IS NULL`

// ReassignQuestion hands question id, inside the scope and still waiting, to
// mentorID, an active mentor inside the scope other than the asker, in tx:
// from then on she may answer it (by SMS, USSD or the code in its note).
// It returns her, whom the caller sends the question's note
// (mentoring.Service.ReassignQuestion). A mentor who may not take it is an
// *InputError. Audited.
func (db *DB) ReassignQuestion(ctx context.Context, tx *Tx, sc Scope, userID, id, mentorID int64) (Contact, error) {
	q, err := db.questionInScope(ctx, tx, sc, id)
	if err != nil {
		return Contact{}, fmt.Errorf("store: reassign question %d: %w", id, err)
	}
	if err := stillWaiting(q); err != nil {
		return Contact{}, fmt.Errorf("store: reassign question %d: %w", id, err)
	}
	m, err := workerInScope(ctx, tx, sc, mentorID)
	switch {
	case errors.Is(err, ErrNotFound):
		return Contact{}, &InputError{Field: "mentor", Message: "choose a mentor of your sub-counties"}
	case err != nil:
		return Contact{}, fmt.Errorf("store: reassign question %d: %w", id, err)
	case m.Role != RoleMentor || m.Status != StatusActive:
		return Contact{}, &InputError{Field: "mentor", Message: m.Name + " is not an active mentor"}
	case m.ID == q.WorkerID:
		return Contact{}, &InputError{Field: "mentor", Message: "the nurse who asked cannot answer her own question"}
	}
	if _, err := tx.ExecContext(ctx, db.Rebind(sqlAssign), m.ID, id); err != nil {
		return Contact{}, fmt.Errorf("store: reassign question %d: %w", id, err)
	}
	if err := db.Audit(ctx, tx, userID, "question.reassign", fmt.Sprintf("question:%d", id), fmt.Sprintf("to worker:%d", m.ID)); err != nil {
		return Contact{}, fmt.Errorf("store: reassign question %d: %w", id, err)
	}
	return Contact{ID: m.ID, Phone: m.Phone, Language: m.Language}, nil
}

const sqlCloseQuestion = `UPDATE questions SET closed_at = ?, lease_owner = NULL, lease_until = NULL
WHERE id = ? AND answered_at IS NULL AND closed_at IS NULL`

// CloseQuestion closes question id, inside the scope, without an answer: it
// leaves every mentor's inbox and is not passed on. Closing a closed
// question changes nothing; an answered one is ErrAlreadyAnswered. Audited.
func (db *DB) CloseQuestion(ctx context.Context, sc Scope, userID, id int64) error {
	err := db.Tx(ctx, func(tx *Tx) error {
		q, err := db.questionInScope(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		if err := stillWaiting(q); err != nil {
			if errors.Is(err, ErrQuestionClosed) {
				return nil
			}
			return err
		}
		if _, err := tx.ExecContext(ctx, db.Rebind(sqlCloseQuestion), db.Now().UTC(), id); err != nil {
			return err
		}
		return db.Audit(ctx, tx, userID, "question.close", fmt.Sprintf("question:%d", id), "")
	})
	if err != nil {
		return fmt.Errorf("store: close question %d: %w", id, err)
	}
	return nil
}

// sqlSupervisorsOf selects the supervisors of the asker's sub-county who
// registered a phone and are not disabled.
const sqlSupervisorsOf = `SELECT DISTINCT u.id, u.phone FROM questions q JOIN workers w ON w.id = q.worker_id
JOIN facilities f ON f.id = w.facility_id JOIN user_sub_counties s ON s.sub_county = f.sub_county
JOIN users u ON u.id = s.user_id
WHERE q.id = ? AND u.role = 'supervisor' AND u.phone IS NOT NULL AND u.disabled_at IS NULL ORDER BY u.id`

// QuestionSupervisors returns, in tx, the supervisors of the sub-county of
// question id's asker who registered a phone: who is told by SMS of a
// question no mentor can answer, or one unanswered for a day. ID is the
// console user's; Language is empty (the console has one language).
func (db *DB) QuestionSupervisors(ctx context.Context, tx *Tx, id int64) ([]Contact, error) {
	var sups []Contact
	if err := tx.SelectContext(ctx, &sups, db.Rebind(sqlSupervisorsOf), id); err != nil {
		return nil, fmt.Errorf("store: supervisors of question %d: %w", id, err)
	}
	return sups, nil
}
