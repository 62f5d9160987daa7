package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// AssessmentScore is how the nurses of a scope did in one topic of one
// assessment form (baseline, midline or endline).
type AssessmentScore struct {
	Form  string
	Topic string
	// Nurses counts the finished attempts with answers in the topic: each
	// nurse takes each form once.
	Nurses int
	// Mean is the mean of the nurses' percentages of right answers in the
	// topic, so that each nurse weighs the same.
	Mean float64
}

// Only finished attempts count: a nurse who dropped out after two
// questions would otherwise weigh as much as one who answered them all.
const sqlAssessmentScores = `SELECT a.form, qa.topic,
    SUM(CASE WHEN qa.correct THEN 1 ELSE 0 END) AS correct, COUNT(*) AS answered
FROM quiz_answers qa JOIN quiz_attempts a ON a.id = qa.attempt_id
JOIN workers w ON w.id = a.worker_id LEFT JOIN facilities f ON f.id = w.facility_id
WHERE a.form <> 'practice' AND a.finished_at IS NOT NULL AND `

const sqlAssessmentScoresGroup = ` GROUP BY a.id, a.form, qa.topic`

// AssessmentScores returns the mean score of each assessment form in each
// topic inside the scope, ordered by topic, then form in the order nurses
// take them. A form nobody finished has no row.
func (db *DB) AssessmentScores(ctx context.Context, sc Scope) ([]AssessmentScore, error) {
	where, args := sc.clause("f.sub_county")
	var rows []struct {
		Form     string `db:"form"`
		Topic    string `db:"topic"`
		Correct  int    `db:"correct"`
		Answered int    `db:"answered"`
	}
	if err := db.SelectContext(ctx, &rows, db.Rebind(sqlAssessmentScores+where+sqlAssessmentScoresGroup), args...); err != nil {
		return nil, fmt.Errorf("store: assessment scores: %w", err)
	}
	type key struct{ form, topic string }
	sums := map[key]*AssessmentScore{}
	var out []*AssessmentScore
	for _, r := range rows {
		k := key{r.Form, r.Topic}
		s := sums[k]
		if s == nil {
			s = &AssessmentScore{Form: r.Form, Topic: r.Topic}
			sums[k] = s
			out = append(out, s)
		}
		s.Nurses++
		s.Mean += float64(r.Correct) * 100 / float64(r.Answered)
	}
	forms := []string{FormBaseline, FormMidline, FormEndline}
	slices.SortFunc(out, func(a, b *AssessmentScore) int {
		if c := strings.Compare(a.Topic, b.Topic); c != 0 {
			return c
		}
		return slices.Index(forms, a.Form) - slices.Index(forms, b.Form)
	})
	scores := make([]AssessmentScore, len(out))
	for i, s := range out {
		s.Mean /= float64(s.Nurses)
		scores[i] = *s
	}
	return scores, nil
}

// TopicLessons names a topic's lessons, as the content pack has them.
type TopicLessons struct {
	Topic   string
	Lessons []string
}

// Completion is how far the active nurses of a scope got in one topic.
type Completion struct {
	Topic string
	// AllLessons counts the nurses who finished every lesson of the topic.
	AllLessons int
	// Completed counts the nurses who completed the topic: every lesson
	// and a passing quiz, recorded once (topic_completions).
	Completed int
	// Lessons counts, lesson by lesson, the nurses who finished it.
	Lessons []LessonCount
}

// LessonCount is how many nurses finished a lesson.
type LessonCount struct {
	Lesson string
	Done   int
}

// activeNurses keeps the active nurses of the scope (w and f are the
// worker and her facility): completion is counted out of them.
const activeNurses = ` w.status = 'active' AND w.role = 'nurse' AND `

const sqlActiveNurses = `SELECT COUNT(*) FROM workers w LEFT JOIN facilities f ON f.id = w.facility_id WHERE` + activeNurses

const sqlLessonCounts = `SELECT p.lesson_id, COUNT(*) AS done FROM lesson_progress p
JOIN workers w ON w.id = p.worker_id LEFT JOIN facilities f ON f.id = w.facility_id
WHERE p.completed_at IS NOT NULL AND` + activeNurses

const sqlTopicsCompleted = `SELECT t.topic, COUNT(*) AS done FROM topic_completions t
JOIN workers w ON w.id = t.worker_id LEFT JOIN facilities f ON f.id = w.facility_id WHERE` + activeNurses

// LessonCompletion returns the number of active nurses inside the scope
// and, for each topic of topics in their order, how many of them finished
// its lessons and completed it.
func (db *DB) LessonCompletion(ctx context.Context, sc Scope, topics []TopicLessons) (active int, _ []Completion, _ error) {
	where, args := sc.clause("f.sub_county")
	if err := db.GetContext(ctx, &active, db.Rebind(sqlActiveNurses+where), args...); err != nil {
		return 0, nil, fmt.Errorf("store: lesson completion: %w", err)
	}
	lessons, err := db.countsBy(ctx, sqlLessonCounts+where+` GROUP BY p.lesson_id`, args)
	if err != nil {
		return 0, nil, fmt.Errorf("store: lesson completion: %w", err)
	}
	done, err := db.countsBy(ctx, sqlTopicsCompleted+where+` GROUP BY t.topic`, args)
	if err != nil {
		return 0, nil, fmt.Errorf("store: lesson completion: %w", err)
	}
	out := make([]Completion, len(topics))
	for i, t := range topics {
		c := Completion{Topic: t.Topic, Completed: done[t.Topic]}
		for _, l := range t.Lessons {
			c.Lessons = append(c.Lessons, LessonCount{Lesson: l, Done: lessons[l]})
		}
		if c.AllLessons, err = db.allLessonsDone(ctx, where, args, t.Lessons); err != nil {
			return 0, nil, fmt.Errorf("store: lesson completion of %s: %w", t.Topic, err)
		}
		out[i] = c
	}
	return active, out, nil
}

// countsBy runs a query of (name, count) rows into a map.
func (db *DB) countsBy(ctx context.Context, query string, args []any) (map[string]int, error) {
	rows, err := db.QueryxContext(ctx, db.Rebind(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	counts := map[string]int{}
	for rows.Next() {
		var name string
		var n int
		if err := rows.Scan(&name, &n); err != nil {
			return nil, err
		}
		counts[name] = n
	}
	return counts, rows.Err()
}

const sqlAllLessonsDone = `SELECT COUNT(*) FROM (SELECT p.worker_id FROM lesson_progress p
JOIN workers w ON w.id = p.worker_id LEFT JOIN facilities f ON f.id = w.facility_id
WHERE p.completed_at IS NOT NULL AND p.lesson_id IN (%s) AND` + activeNurses + `%s
GROUP BY p.worker_id HAVING COUNT(*) = ?) t`

// allLessonsDone counts the active nurses of the scope (where, args) who
// finished every one of lessons; none for a topic without lessons.
func (db *DB) allLessonsDone(ctx context.Context, where string, args []any, lessons []string) (int, error) {
	if len(lessons) == 0 {
		return 0, nil
	}
	list, all := binds(lessons)
	query := fmt.Sprintf(sqlAllLessonsDone, list, where)
	all = append(append(all, args...), len(lessons))
	var n int
	err := db.GetContext(ctx, &n, db.Rebind(query), all...)
	return n, err
}

// ChecklistMonth counts the answers to one topic's checklist items at the
// visits done in one month.
type ChecklistMonth struct {
	Month                 string // "2025-03", in the zone the caller gave
	Topic                 string
	Done, Partly, NotDone int
}

// Total is the number of answers.
func (m ChecklistMonth) Total() int { return m.Done + m.Partly + m.NotDone }

const sqlChecklistAnswers = `SELECT ca.item_id, ca.answer, v.done_at FROM checklist_answers ca
JOIN visits v ON v.id = ca.visit_id JOIN workers w ON w.id = v.mentee_id LEFT JOIN facilities f ON f.id = w.facility_id
WHERE v.status = 'done' AND v.done_at >= ? AND `

// ChecklistTrends counts the checklist answers of visits done since since
// to mentees inside the scope, by month of the visit in loc and topic
// (topicOf maps item ids to topics; answers to other items are left out),
// ordered by month, then topic.
func (db *DB) ChecklistTrends(ctx context.Context, sc Scope, loc *time.Location, since time.Time, topicOf map[string]string) ([]ChecklistMonth, error) {
	where, args := sc.clause("f.sub_county")
	var rows []struct {
		Item   string    `db:"item_id"`
		Answer string    `db:"answer"`
		DoneAt time.Time `db:"done_at"`
	}
	if err := db.SelectContext(ctx, &rows, db.Rebind(sqlChecklistAnswers+where), append([]any{since.UTC()}, args...)...); err != nil {
		return nil, fmt.Errorf("store: checklist trends: %w", err)
	}
	type key struct{ month, topic string }
	counts := map[key]*ChecklistMonth{}
	var out []*ChecklistMonth
	for _, r := range rows {
		topic, ok := topicOf[r.Item]
		if !ok {
			continue
		}
		k := key{r.DoneAt.In(loc).Format("2006-01"), topic}
		m := counts[k]
		if m == nil {
			m = &ChecklistMonth{Month: k.month, Topic: topic}
			counts[k], out = m, append(out, m)
		}
		switch r.Answer {
		case AnswerDone:
			m.Done++
		case AnswerPartly:
			m.Partly++
		default:
			m.NotDone++
		}
	}
	slices.SortFunc(out, func(a, b *ChecklistMonth) int {
		return strings.Compare(a.Month+"\x00"+a.Topic, b.Month+"\x00"+b.Topic)
	})
	months := make([]ChecklistMonth, len(out))
	for i, m := range out {
		months[i] = *m
	}
	return months, nil
}

// StockAlert is a facility's latest calculation of one calculator, when
// its status is one the caller asked for (below the order point, above
// maximum).
type StockAlert struct {
	FacilityCode string    `db:"code"`
	FacilityName string    `db:"name"`
	SubCounty    string    `db:"sub_county"`
	Calculator   string    `db:"calculator"`
	Status       string    `db:"status"`
	Worker       string    `db:"worker"` // who calculated; "" when she was removed
	At           time.Time `db:"created_at"`
	Result       string    `db:"result"` // the answer as JSON
}

// Only the latest calculation of each calculator at a facility counts: an
// order placed after a "below order point" answer shows in the next one.
const sqlStockAlerts = `SELECT f.code, f.name, f.sub_county, c.calculator, c.status, COALESCE(w.name, '') AS worker,
    c.created_at, c.result
FROM stock_calculations c JOIN facilities f ON f.id = c.facility_id LEFT JOIN workers w ON w.id = c.worker_id
WHERE c.id = (SELECT c2.id FROM stock_calculations c2 WHERE c2.facility_id = c.facility_id AND c2.calculator = c.calculator
    ORDER BY c2.created_at DESC, c2.id DESC LIMIT 1)
AND c.status IN (%s) AND %s
ORDER BY f.sub_county, f.name, f.code, c.calculator`

// StockAlerts returns, for the facilities inside the scope, the latest
// calculation of each calculator whose status is one of statuses, ordered
// by sub-county, facility and calculator.
func (db *DB) StockAlerts(ctx context.Context, sc Scope, statuses []string) ([]StockAlert, error) {
	if len(statuses) == 0 {
		return nil, nil
	}
	where, scopeArgs := sc.clause("f.sub_county")
	list, args := binds(statuses)
	query := fmt.Sprintf(sqlStockAlerts, list, where)
	var alerts []StockAlert
	if err := db.SelectContext(ctx, &alerts, db.Rebind(query), append(args, scopeArgs...)...); err != nil {
		return nil, fmt.Errorf("store: stock alerts: %w", err)
	}
	for i := range alerts {
		alerts[i].At = alerts[i].At.UTC()
	}
	return alerts, nil
}
