package store

import (
	"context"
	"fmt"
)

// EvaluationAnswer is one answer of a finished assessment, with where the
// nurse works: what the evaluation report pairs by nurse.
type EvaluationAnswer struct {
	Worker       int64  `db:"worker_id"`
	FacilityCode string `db:"facility_code"`
	FacilityName string `db:"facility_name"`
	SubCounty    string `db:"sub_county"`
	Form         string `db:"form"`
	QuestionID   string `db:"question_id"`
	Topic        string `db:"topic"`
	Correct      bool   `db:"correct"`
}

// Unfinished attempts are left out, as in AssessmentScores: a nurse who
// stopped after two questions has no score to compare.
const sqlEvaluationAnswers = `SELECT a.worker_id, COALESCE(f.code, '') AS facility_code, COALESCE(f.name, '') AS facility_name,
    COALESCE(f.sub_county, '') AS sub_county, a.form, qa.question_id, qa.topic, qa.correct
FROM quiz_answers qa JOIN quiz_attempts a ON a.id = qa.attempt_id
JOIN workers w ON w.id = a.worker_id LEFT JOIN facilities f ON f.id = w.facility_id
WHERE a.form <> 'practice' AND a.finished_at IS NOT NULL
  AND (? OR f.sub_county IN (?)) AND (? = '' OR f.code = ?)
  AND (? = 0 OR w.id IN (SELECT gm.worker_id FROM group_members gm WHERE gm.group_id = ?))
  AND (? OR a.finished_at >= ?) AND (? OR a.finished_at < ?)
ORDER BY a.worker_id, a.form, qa.question_id`

// EvaluationAnswers returns every answer of the finished baseline, midline
// and endline attempts of the nurses inside the scope narrowed by fl (its
// period on when each attempt finished).
func (db *DB) EvaluationAnswers(ctx context.Context, sc Scope, fl ReportFilter) ([]EvaluationAnswer, error) {
	var rows []EvaluationAnswer
	if err := db.inSelect(ctx, db, &rows, sqlEvaluationAnswers, append(fl.binds(sc), fl.periodBinds()...)...); err != nil {
		return nil, fmt.Errorf("store: evaluation answers: %w", err)
	}
	return rows, nil
}

// StatusCount is how many stock calculations of a facility ended in one
// status: the stock-data measure beside the evaluation (the share of
// gradings within the stock policy).
type StatusCount struct {
	FacilityCode string `db:"facility_code"`
	FacilityName string `db:"facility_name"`
	SubCounty    string `db:"sub_county"`
	Status       string `db:"status"`
	N            int    `db:"n"`
}

// sqlStatusCounts counts the stock calculations in the statuses, by
// facility and status, inside the scope and the report filter: a facility
// (empty for all), a group (0 for all) and a period (each bound off when its
// flag is true).
const sqlStatusCounts = `SELECT COALESCE(f.code, '') AS facility_code, COALESCE(f.name, '') AS facility_name,
    COALESCE(f.sub_county, '') AS sub_county, c.status, COUNT(*) AS n
FROM stock_calculations c LEFT JOIN facilities f ON f.id = c.facility_id LEFT JOIN workers w ON w.id = c.worker_id
WHERE c.status IN (?)
  AND (? OR f.sub_county IN (?))
  AND (? = '' OR f.code = ?)
  AND (? = 0 OR w.id IN (SELECT gm.worker_id FROM group_members gm WHERE gm.group_id = ?))
  AND (? OR c.created_at >= ?)
  AND (? OR c.created_at < ?)
GROUP BY f.code, f.name, f.sub_county, c.status ORDER BY f.code, c.status`

// StockStatusCounts counts the stock calculations inside the scope
// narrowed by fl (the group's calculations, its period on when each was
// made) whose status is one of statuses, by facility and status.
func (db *DB) StockStatusCounts(ctx context.Context, sc Scope, fl ReportFilter, statuses []string) ([]StatusCount, error) {
	if len(statuses) == 0 {
		return nil, nil
	}
	if sc.none() {
		return nil, nil
	}
	admin, subCounties := sc.inArgs()
	query, args, err := db.in(sqlStatusCounts, statuses, admin, subCounties, fl.Facility, fl.Facility, fl.Group, fl.Group,
		fl.From.IsZero(), fl.From.UTC(), fl.To.IsZero(), fl.To.UTC())
	if err != nil {
		return nil, fmt.Errorf("store: stock status counts: %w", err)
	}
	var rows []StatusCount
	if err := db.SelectContext(ctx, &rows, query, args...); err != nil {
		return nil, fmt.Errorf("store: stock status counts: %w", err)
	}
	return rows, nil
}
