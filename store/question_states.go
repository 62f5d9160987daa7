package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"
)

// QuestionState is where a question to a mentor stands. The SMS relay, the
// USSD inbox and the console's helpdesk all read it from State.
type QuestionState string

// The states of a question.
const (
	// QuestionOpen: asked, waiting for its mentor's answer.
	QuestionOpen QuestionState = "open"
	// QuestionAnswered: a mentor answered; the answer went to the nurse.
	QuestionAnswered QuestionState = "answered"
	// QuestionPassedOn: unanswered, and passed on to the mentors of the
	// nurse's groups (after a day, or by her mentor).
	QuestionPassedOn QuestionState = "passed_on"
	// QuestionClosed: closed by staff without an answer.
	QuestionClosed QuestionState = "closed"
)

// State returns where q stands: an answer wins over a closing, and a
// closing over a passing on.
func (q Question) State() QuestionState {
	switch {
	case q.AnsweredAt.Valid:
		return QuestionAnswered
	case q.ClosedAt.Valid:
		return QuestionClosed
	case q.EscalatedAt.Valid:
		return QuestionPassedOn
	}
	return QuestionOpen
}

// mayAnswerBy is the condition on questions q that mentor ? (four times,
// mayAnswerArgs) may answer q: she is the asker's mentor, the mentor the
// helpdesk handed it to, or a mentor of one of the asker's groups once the
// question went to the group (passed on, or asked by a nurse without a
// mentor). She never answers her own.
const mayAnswerBy = `q.worker_id <> ? AND (
  EXISTS (SELECT 1 FROM mentor_pairs p WHERE p.mentee_id = q.worker_id AND p.mentor_id = ?)
  OR q.assigned_to = ?
  OR ((q.escalated_at IS NOT NULL OR NOT EXISTS (SELECT 1 FROM mentor_pairs p WHERE p.mentee_id = q.worker_id))
      AND EXISTS (SELECT 1 FROM group_members a JOIN group_members b ON b.group_id = a.group_id
                  JOIN workers w ON w.id = b.worker_id
                  WHERE a.worker_id = q.worker_id AND b.worker_id = ? AND w.role = 'mentor')))`

// mayAnswerArgs are the binds of mayAnswerBy for the mentor.
func mayAnswerArgs(mentorID int64) []any { return []any{mentorID, mentorID, mentorID, mentorID} }

const sqlOldestOpenFor = sqlQuestion + `
WHERE q.answered_at IS NULL AND q.closed_at IS NULL AND ` + mayAnswerBy + `
ORDER BY q.asked_at, q.id LIMIT 1`

// OldestOpenQuestionFor returns, through q, the oldest unanswered question
// the mentor may answer: where an answer sent without its code goes. ok is
// false when she has none.
func (db *DB) OldestOpenQuestionFor(ctx context.Context, q sqlx.QueryerContext, mentorID int64) (Question, bool, error) {
	var out Question
	err := sqlx.GetContext(ctx, q, &out, db.Rebind(sqlOldestOpenFor), mayAnswerArgs(mentorID)...)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return Question{}, false, nil
	case err != nil:
		return Question{}, false, fmt.Errorf("store: oldest open question: %w", err)
	}
	out.utc()
	return out, true, nil
}
