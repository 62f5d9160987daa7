package store

import (
	"context"
	"fmt"

	"github.com/chanjo-health/chanjo/percent"
)

// Mentee is a mentor's mentee as the mentor's USSD menu shows her: her
// lessons and quizzes, and whether a visit of this mentor is scheduled.
type Mentee struct {
	ID    int64  `db:"id"`
	Name  string `db:"name"`
	Phone string `db:"phone"`
	// Facility is her facility's name, which tells namesakes apart.
	Facility string `db:"facility"`
	// LessonsDone counts her completed lessons.
	LessonsDone int `db:"lessons"`
	// Quizzes counts her finished quizzes of any form; QuizScore and
	// QuizTotal add up their right answers and questions.
	Quizzes   int   `db:"quizzes"`
	QuizScore int64 `db:"score"`
	QuizTotal int64 `db:"total"`
	// Visits counts the mentor's scheduled visits to her.
	Visits int `db:"visits"`
}

// QuizPercent is her share of right answers over every finished quiz,
// rounded down; 0 when she has none.
func (m Mentee) QuizPercent() int { return percent.Whole(int(m.QuizScore), int(m.QuizTotal)) }

const sqlMentees = `SELECT w.id, w.name, w.phone, COALESCE(f.name, '') AS facility,
  (SELECT COUNT(*) FROM lesson_progress l WHERE l.worker_id = w.id AND l.completed_at IS NOT NULL) AS lessons,
  (SELECT COUNT(*) FROM quiz_attempts a WHERE a.worker_id = w.id AND a.finished_at IS NOT NULL) AS quizzes,
  (SELECT COALESCE(SUM(a.score), 0) FROM quiz_attempts a WHERE a.worker_id = w.id AND a.finished_at IS NOT NULL) AS score,
  (SELECT COALESCE(SUM(a.total), 0) FROM quiz_attempts a WHERE a.worker_id = w.id AND a.finished_at IS NOT NULL) AS total,
  (SELECT COUNT(*) FROM visits v WHERE v.mentee_id = w.id AND v.mentor_id = p.mentor_id AND v.status = 'scheduled') AS visits
FROM mentor_pairs p JOIN workers w ON w.id = p.mentee_id LEFT JOIN facilities f ON f.id = w.facility_id
WHERE p.mentor_id = ? AND w.status = 'active'
ORDER BY w.name, w.id`

// Mentees returns the mentor's active mentees (mentor_pairs) by name, with
// their progress, in one query.
func (db *DB) Mentees(ctx context.Context, mentorID int64) ([]Mentee, error) {
	var ms []Mentee
	if err := db.SelectContext(ctx, &ms, db.Rebind(sqlMentees), mentorID); err != nil {
		return nil, fmt.Errorf("store: mentees: %w", err)
	}
	return ms, nil
}

// FormScore is the score of a finished assessment.
type FormScore struct {
	Form  string `db:"form"`
	Score int    `db:"score"`
	Total int    `db:"total"`
}

// Percent is the score in whole percent, rounded down; 0 for no questions.
func (f FormScore) Percent() int { return percent.Whole(f.Score, f.Total) }

const sqlWorkerAssessments = `SELECT form, score, total FROM quiz_attempts
WHERE worker_id = ? AND form <> 'practice' AND finished_at IS NOT NULL
ORDER BY CASE form WHEN 'baseline' THEN 1 WHEN 'midline' THEN 2 ELSE 3 END`

// WorkerAssessments returns the worker's finished assessments, baseline
// first, so a mentor sees how her mentee changed between them.
func (db *DB) WorkerAssessments(ctx context.Context, workerID int64) ([]FormScore, error) {
	var out []FormScore
	if err := db.SelectContext(ctx, &out, db.Rebind(sqlWorkerAssessments), workerID); err != nil {
		return nil, fmt.Errorf("store: worker assessments: %w", err)
	}
	return out, nil
}
