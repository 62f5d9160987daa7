package store

import (
	"context"
	"fmt"
)

// InboxQuestion is an open question a mentor may answer, with the facility
// of the nurse who asked, which tells namesakes apart.
type InboxQuestion struct {
	Question
	Facility string `db:"facility"`
}

// sqlInbox selects the unanswered questions the mentor may answer (the
// rule of mayAnswerBy): her mentees', those handed to her, and those gone
// to a group of hers; a closed question is no longer anyone's to answer.
const sqlInbox = `SELECT q.id, q.worker_id, q.body, q.source, q.asked_at, q.answer, q.answered_by, q.answered_at,
       q.escalated_at, '' AS answerer, w.name, w.phone, w.language, COALESCE(f.name, '') AS facility
FROM questions q JOIN workers w ON w.id = q.worker_id LEFT JOIN facilities f ON f.id = w.facility_id
WHERE q.answered_at IS NULL AND q.closed_at IS NULL AND ` + mayAnswerBy + `
ORDER BY q.asked_at, q.id LIMIT ?`

// MentorInbox returns up to limit open questions the mentor may answer,
// the oldest first.
func (db *DB) MentorInbox(ctx context.Context, mentorID int64, limit int) ([]InboxQuestion, error) {
	var qs []InboxQuestion
	if err := db.SelectContext(ctx, &qs, db.Rebind(sqlInbox), append(mayAnswerArgs(mentorID), limit)...); err != nil {
		return nil, fmt.Errorf("store: mentor inbox: %w", err)
	}
	for i := range qs {
		qs[i].utc()
	}
	return qs, nil
}

// CheckPass returns nil when the mentor may pass question id on: she may
// answer it and it is neither answered nor closed. ErrNotYours for a
// question she may not answer, ErrAlreadyAnswered for one answered,
// ErrQuestionClosed for one staff closed.
func (db *DB) CheckPass(ctx context.Context, id, mentorID int64) error {
	var may int
	if err := db.GetContext(ctx, &may, db.Rebind(sqlMayAnswer), append([]any{id}, mayAnswerArgs(mentorID)...)...); err != nil {
		return fmt.Errorf("store: pass question %d: %w", id, err)
	}
	if may == 0 {
		return fmt.Errorf("store: pass question %d: %w", id, ErrNotYours)
	}
	q, err := db.question(ctx, db, id)
	if err != nil {
		return fmt.Errorf("store: pass question %d: %w", id, err)
	}
	if err := stillWaiting(q); err != nil {
		return fmt.Errorf("store: pass question %d: %w", id, err)
	}
	return nil
}
