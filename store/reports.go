package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/chanjo-health/chanjo/percent"
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
WHERE a.form <> 'practice' AND a.finished_at IS NOT NULL
  AND (? OR f.sub_county IN (?)) AND (? = '' OR f.code = ?)
  AND (? = 0 OR w.id IN (SELECT gm.worker_id FROM group_members gm WHERE gm.group_id = ?))
  AND (? OR a.finished_at >= ?) AND (? OR a.finished_at < ?)
GROUP BY a.id, a.form, qa.topic`

// AssessmentScores returns the mean score of each assessment form in each
// topic inside the scope narrowed by fl, ordered by topic, then form in the order nurses
// take them. A form nobody finished has no row.
func (db *DB) AssessmentScores(ctx context.Context, sc Scope, fl ReportFilter) ([]AssessmentScore, error) {
	var rows []struct {
		Form     string `db:"form"`
		Topic    string `db:"topic"`
		Correct  int    `db:"correct"`
		Answered int    `db:"answered"`
	}
	if err := db.inSelect(ctx, db, &rows, sqlAssessmentScores, append(fl.binds(sc), fl.periodBinds()...)...); err != nil {
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
		s.Mean += percent.Of(r.Correct, r.Answered)
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

// sqlActiveNurses counts the active nurses inside the scope and the
// filter: completion is counted out of them.
const sqlActiveNurses = `SELECT COUNT(*) FROM workers w LEFT JOIN facilities f ON f.id = w.facility_id
WHERE w.status = 'active' AND w.role = 'nurse'
  AND (? OR f.sub_county IN (?)) AND (? = '' OR f.code = ?)
  AND (? = 0 OR w.id IN (SELECT gm.worker_id FROM group_members gm WHERE gm.group_id = ?))`

// sqlCompletedLessons lists the lessons the active nurses of the scope
// completed, a (worker, lesson) row each: one pass gives both the count of
// each lesson and who finished every lesson of a topic (two passes, one to
// count and one to group by nurse, took most of the reports page at 10,000
// nurses).
const sqlCompletedLessons = `SELECT p.worker_id, p.lesson_id FROM lesson_progress p
JOIN workers w ON w.id = p.worker_id LEFT JOIN facilities f ON f.id = w.facility_id
WHERE p.completed_at IS NOT NULL AND w.status = 'active' AND w.role = 'nurse'
  AND (? OR f.sub_county IN (?)) AND (? = '' OR f.code = ?)
  AND (? = 0 OR w.id IN (SELECT gm.worker_id FROM group_members gm WHERE gm.group_id = ?))
  AND (? OR p.completed_at >= ?) AND (? OR p.completed_at < ?)`

// sqlTopicsCompleted counts by topic the completions of the active nurses
// of the scope.
const sqlTopicsCompleted = `SELECT t.topic, COUNT(*) AS done FROM topic_completions t
JOIN workers w ON w.id = t.worker_id LEFT JOIN facilities f ON f.id = w.facility_id
WHERE w.status = 'active' AND w.role = 'nurse'
  AND (? OR f.sub_county IN (?)) AND (? = '' OR f.code = ?)
  AND (? = 0 OR w.id IN (SELECT gm.worker_id FROM group_members gm WHERE gm.group_id = ?))
  AND (? OR t.completed_at >= ?) AND (? OR t.completed_at < ?)
GROUP BY t.topic`

// LessonCompletion returns the number of active nurses inside the scope
// narrowed by fl (its period left aside)
// and, for each topic of topics in their order, how many of them finished
// its lessons and completed it.
func (db *DB) LessonCompletion(ctx context.Context, sc Scope, fl ReportFilter, topics []TopicLessons) (active int, _ []Completion, _ error) {
	if err := db.inGet(ctx, db, &active, sqlActiveNurses, fl.binds(sc)...); err != nil {
		return 0, nil, fmt.Errorf("store: lesson completion: %w", err)
	}
	args := append(fl.binds(sc), fl.periodBinds()...)
	lessons, all, err := db.lessonsDone(ctx, args, topics)
	if err != nil {
		return 0, nil, fmt.Errorf("store: lesson completion: %w", err)
	}
	done, err := db.countsBy(ctx, sqlTopicsCompleted, args)
	if err != nil {
		return 0, nil, fmt.Errorf("store: lesson completion: %w", err)
	}
	out := make([]Completion, len(topics))
	for i, t := range topics {
		c := Completion{Topic: t.Topic, Completed: done[t.Topic], AllLessons: all[t.Topic]}
		for _, l := range t.Lessons {
			c.Lessons = append(c.Lessons, LessonCount{Lesson: l, Done: lessons[l]})
		}
		out[i] = c
	}
	return active, out, nil
}

// countsBy runs a query of (name, count) rows into a map.
func (db *DB) countsBy(ctx context.Context, query string, args []any) (map[string]int, error) {
	query, args, err := db.in(query, args...)
	if err != nil {
		return nil, err
	}
	rows, err := db.QueryxContext(ctx, query, args...)
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

// lessonsDone counts, among the active nurses of the scope (args, the binds
// of sqlCompletedLessons), the nurses who finished each lesson of topics,
// and by topic those who finished every lesson of it.
func (db *DB) lessonsDone(ctx context.Context, args []any, topics []TopicLessons) (lessons, all map[string]int, _ error) {
	topicOf, size := map[string]string{}, map[string]int{}
	for _, t := range topics {
		for _, l := range t.Lessons {
			topicOf[l] = t.Topic
		}
		size[t.Topic] = len(t.Lessons)
	}
	query, args, err := db.in(sqlCompletedLessons, args...)
	if err != nil {
		return nil, nil, err
	}
	rows, err := db.QueryxContext(ctx, query, args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	type nurseTopic struct {
		worker int64
		topic  string
	}
	lessons, done := map[string]int{}, map[nurseTopic]int{}
	for rows.Next() {
		var worker int64
		var lesson string
		if err := rows.Scan(&worker, &lesson); err != nil {
			return nil, nil, err
		}
		topic, ok := topicOf[lesson]
		if !ok {
			continue // a lesson the pack no longer has
		}
		lessons[lesson]++
		done[nurseTopic{worker, topic}]++
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	all = map[string]int{}
	for k, n := range done {
		if n == size[k.topic] {
			all[k.topic]++
		}
	}
	return lessons, all, nil
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
WHERE v.status = 'done' AND v.done_at >= ?
  AND (? OR f.sub_county IN (?)) AND (? = '' OR f.code = ?)
  AND (? = 0 OR w.id IN (SELECT gm.worker_id FROM group_members gm WHERE gm.group_id = ?))
  AND (? OR v.done_at >= ?) AND (? OR v.done_at < ?)`

// ChecklistTrends counts the checklist answers of visits done since since
// to mentees inside the scope narrowed by fl, by month of the visit in loc and topic
// (topicOf maps item ids to topics; answers to other items are left out),
// ordered by month, then topic.
func (db *DB) ChecklistTrends(ctx context.Context, sc Scope, fl ReportFilter, loc *time.Location, since time.Time, topicOf map[string]string) ([]ChecklistMonth, error) {
	var rows []struct {
		Item   string    `db:"item_id"`
		Answer string    `db:"answer"`
		DoneAt time.Time `db:"done_at"`
	}
	args := append(append([]any{since.UTC()}, fl.binds(sc)...), fl.periodBinds()...)
	if err := db.inSelect(ctx, db, &rows, sqlChecklistAnswers, args...); err != nil {
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

// StockAlert is a facility's latest calculation of one vaccine, when its
// status is one the caller asked for (below the order point, above
// maximum), with the calculations of that vaccine before it.
type StockAlert struct {
	FacilityCode string    `db:"code"`
	FacilityName string    `db:"name"`
	SubCounty    string    `db:"sub_county"`
	Vaccine      string    `db:"vaccine"` // the vaccine's id; "" for calculations stored before calculators asked it
	Calculator   string    `db:"calculator"`
	Status       string    `db:"status"`
	Worker       string    `db:"worker"` // who calculated; "" when she was removed
	At           time.Time `db:"created_at"`
	Result       string    `db:"result"` // the answer as JSON
	// Trend is the facility's last calculations of the vaccine, the
	// latest (this one) first.
	Trend []StockPoint `db:"-"`
}

// StockPoint is one calculation of a stock alert's trend.
type StockPoint struct {
	Calculator string
	Status     string
	At         time.Time
	Result     string // the answer as JSON
}

// StockTrend is how many calculations a stock alert's trend holds.
const StockTrend = 6

// sqlStockAlerts numbers the calculations of the listed calculators of
// each facility and vaccine inside the scope and the filter, latest first,
// and keeps the first StockTrend.
// Only the latest counts: an order placed after a "below order point"
// answer shows in the next one, and a BCG calculation does not hide a
// Penta one. Calculations stored before the calculators asked the vaccine
// have none and count per calculator, as they did.
const sqlStockAlerts = `SELECT code, name, sub_county, vaccine, calculator, status, worker, created_at, result, n FROM (
    SELECT f.code, f.name, f.sub_county, c.vaccine, c.calculator, c.status, COALESCE(w.name, '') AS worker,
        c.created_at, c.result, CASE WHEN c.vaccine = '' THEN c.calculator ELSE '' END AS part,
        ROW_NUMBER() OVER (PARTITION BY c.facility_id, c.vaccine, CASE WHEN c.vaccine = '' THEN c.calculator ELSE '' END
            ORDER BY c.created_at DESC, c.id DESC) AS n
    FROM stock_calculations c JOIN facilities f ON f.id = c.facility_id LEFT JOIN workers w ON w.id = c.worker_id
    WHERE c.calculator IN (?)
      AND (? OR f.sub_county IN (?)) AND (? = '' OR f.code = ?)
      AND (? = 0 OR w.id IN (SELECT gm.worker_id FROM group_members gm WHERE gm.group_id = ?))
      AND (? OR c.created_at >= ?) AND (? OR c.created_at < ?)
) r WHERE n <= ?
ORDER BY sub_county, name, code, vaccine, part, n`

// StockAlerts returns, for the facilities inside the scope narrowed by fl, the latest
// calculation of each vaccine by one of calculators whose status is one of
// statuses, with its trend, ordered by sub-county, facility and vaccine.
func (db *DB) StockAlerts(ctx context.Context, sc Scope, fl ReportFilter, calculators, statuses []string) ([]StockAlert, error) {
	if len(statuses) == 0 || len(calculators) == 0 {
		return nil, nil
	}
	var rows []struct {
		StockAlert
		N int `db:"n"`
	}
	args := append(append([]any{calculators}, fl.binds(sc)...), append(fl.periodBinds(), StockTrend)...)
	if err := db.inSelect(ctx, db, &rows, sqlStockAlerts, args...); err != nil {
		return nil, fmt.Errorf("store: stock alerts: %w", err)
	}
	var alerts []StockAlert
	for _, r := range rows {
		r.At = r.At.UTC()
		if r.N == 1 {
			if !slices.Contains(statuses, r.Status) {
				continue
			}
			alerts = append(alerts, r.StockAlert)
		}
		if last := len(alerts) - 1; last >= 0 && sameStock(alerts[last], r.StockAlert) {
			alerts[last].Trend = append(alerts[last].Trend, StockPoint{Calculator: r.Calculator, Status: r.Status, At: r.At, Result: r.Result})
		}
	}
	return alerts, nil
}

// sameStock reports whether two calculations are of one facility's stock
// of one vaccine (of one calculator when the vaccine is unknown).
func sameStock(a, b StockAlert) bool {
	return a.FacilityCode == b.FacilityCode && a.Vaccine == b.Vaccine && (a.Vaccine != "" || a.Calculator == b.Calculator)
}
