package admin

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/lessons/stock"
	"github.com/chanjo-health/chanjo/percent"
	"github.com/chanjo-health/chanjo/store"
)

// reporter computes the supervisors' reports of a scope from the store,
// with the content pack's topics, lessons and checklist; the console pages,
// their CSV files and the API share it, so they show the same figures.
type reporter struct {
	db   *store.DB
	pack *lessons.Pack
	tz   *time.Location
	// filter narrows every report to a facility, a group and a period.
	filter store.ReportFilter
}

// newReporter returns a reporter of pack, or of the embedded pack when nil;
// months are those of tz, UTC when nil.
func newReporter(db *store.DB, pack *lessons.Pack, tz *time.Location) (reporter, error) {
	if pack == nil {
		p, err := lessons.Default()
		if err != nil {
			return reporter{}, fmt.Errorf("admin: reports: %w", err)
		}
		pack = p
	}
	if tz == nil {
		tz = time.UTC
	}
	return reporter{db: db, pack: pack, tz: tz}, nil
}

// checklistMonths is how many months, this one included, checklist trends cover.
const checklistMonths = 12

// The stock statuses the stock report lists: a stock-out, below the safety
// stock or at the order point is low, above maximum high; understock and
// overstock are the grades of calculations stored before the policy graded
// months of stock.
var (
	lowStock  = []stock.Code{stock.CodeStockOut, stock.CodeBelowSafety, stock.CodeBelowOrderPoint, stock.CodeUnderstock}
	highStock = []stock.Code{stock.CodeAboveMaximum, stock.CodeOverstock}
)

// topics returns the pack's topics, then any other topic of ids (a topic
// since removed from the pack) titled with its id.
func (r reporter) topics(ids ...string) []lessons.Topic {
	ts := slices.Clone(r.pack.Topics)
	for _, id := range ids {
		if !slices.ContainsFunc(ts, func(t lessons.Topic) bool { return t.ID == id }) {
			ts = append(ts, lessons.Topic{ID: id, Title: lessons.Text{"en": id, "sw": id}})
		}
	}
	return ts
}

// formScore is one form's mean in a topic.
type formScore struct {
	Mean   value
	Nurses int
}

// assessmentRow is a topic's baseline, midline and endline.
type assessmentRow struct {
	Topic lessons.Topic
	Forms []formScore // in the order of lessons.Assessments
}

func (r reporter) assessments(ctx context.Context, sc store.Scope) ([]assessmentRow, error) {
	scores, err := r.db.AssessmentScores(ctx, sc, r.filter)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, s := range scores {
		ids = append(ids, s.Topic)
	}
	var rows []assessmentRow
	for _, t := range r.topics(ids...) {
		row := assessmentRow{Topic: t, Forms: make([]formScore, len(lessons.Assessments))}
		for _, s := range scores {
			if i := slices.Index(lessons.Assessments, lessons.Form(s.Form)); s.Topic == t.ID && i >= 0 {
				row.Forms[i] = formScore{Mean: value{Pct: s.Mean, OK: true}, Nurses: s.Nurses}
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// completionRow is how far the active nurses got in a topic.
type completionRow struct {
	Topic      lessons.Topic
	Active     int
	AllLessons int
	Completed  int
	Lessons    []lessonRow
}

// lessonRow is how many of the Active nurses finished one lesson.
type lessonRow struct {
	Lesson lessons.Lesson
	Done   int
	Active int
}

// Pct is the share of active nurses who finished the lesson.
func (l lessonRow) Pct() float64 { return percent.Of(l.Done, l.Active) }

// Pct is the share of active nurses who finished every lesson of the topic.
func (c completionRow) Pct() float64 { return percent.Of(c.AllLessons, c.Active) }

func (r reporter) completion(ctx context.Context, sc store.Scope) ([]completionRow, error) {
	var tls []store.TopicLessons
	for _, t := range r.pack.Topics {
		tl := store.TopicLessons{Topic: t.ID}
		for _, l := range r.pack.LessonsOf(t.ID) {
			tl.Lessons = append(tl.Lessons, l.ID)
		}
		tls = append(tls, tl)
	}
	active, cs, err := r.db.LessonCompletion(ctx, sc, r.filter, tls)
	if err != nil {
		return nil, err
	}
	rows := make([]completionRow, len(cs))
	for i, c := range cs {
		row := completionRow{Topic: r.pack.Topics[i], Active: active, AllLessons: c.AllLessons, Completed: c.Completed}
		for _, lc := range c.Lessons {
			l, _ := r.pack.Lesson(lc.Lesson) // the lessons came from the pack
			row.Lessons = append(row.Lessons, lessonRow{Lesson: l, Done: lc.Done, Active: active})
		}
		rows[i] = row
	}
	return rows, nil
}

// checklistRow is the answers to a topic's checklist items in a month.
type checklistRow struct {
	Month string // "2025-03"
	Label string // "Mar 2025"
	Topic lessons.Topic
	store.ChecklistMonth
}

// Pcts are the shares of done, partly and not done.
func (c checklistRow) Pcts() []float64 {
	n := c.Total()
	return []float64{percent.Of(c.Done, n), percent.Of(c.Partly, n), percent.Of(c.NotDone, n)}
}

// checklist returns the trends of the last checklistMonths months, by
// topic in the pack's order, then month.
func (r reporter) checklist(ctx context.Context, sc store.Scope) ([]checklistRow, error) {
	topicOf := map[string]string{}
	for _, it := range r.pack.Checklist {
		topicOf[it.ID] = it.Topic
	}
	now := r.db.Now().In(r.tz)
	since := time.Date(now.Year(), now.Month()-checklistMonths+1, 1, 0, 0, 0, 0, r.tz)
	months, err := r.db.ChecklistTrends(ctx, sc, r.filter, r.tz, since, topicOf)
	if err != nil {
		return nil, err
	}
	var rows []checklistRow
	for _, t := range r.topics() {
		for _, m := range months {
			if m.Topic != t.ID {
				continue
			}
			label := m.Month
			if at, err := time.Parse("2006-01", m.Month); err == nil {
				label = at.Format("Jan 2006")
			}
			rows = append(rows, checklistRow{Month: m.Month, Label: label, Topic: t, ChecklistMonth: m})
		}
	}
	return rows, nil
}

// stockCalculators are the calculators whose answers grade a facility's
// stock by the pack's policy; their latest answer of a vaccine is what the
// stock alerts read (a session's vials or a dropout rate grade no stock).
var stockCalculators = []string{"months-of-stock", "stock-levels", "order-quantity"}

// stockRow is a facility's vaccine whose latest calculation shows low or
// high stock.
type stockRow struct {
	store.StockAlert
	VaccineName string // in English; "" for a calculation stored without one
	Level       string // "low" or "high"
	Meaning     string // the calculator's line for the nurse, in English: the action
	Numbers     string // the arithmetic behind the answer, in English
	Trend       []stockPoint
}

// stockPoint is a calculation of a stock alert's trend, as people read it.
type stockPoint struct {
	At    time.Time
	Grade string // "below order point"
	Level string // "low", "high" or "" for stock within the policy
}

// TrendText is the trend on one line, oldest first.
func (r stockRow) TrendText() string {
	parts := make([]string, len(r.Trend))
	for i, p := range r.Trend {
		parts[len(parts)-1-i] = p.At.Format("2 Jan") + " " + p.Grade
	}
	return strings.Join(parts, " → ")
}

func (r reporter) stock(ctx context.Context, sc store.Scope) ([]stockRow, error) {
	var codes []string
	for _, c := range slices.Concat(lowStock, highStock) {
		codes = append(codes, string(c))
	}
	alerts, err := r.db.StockAlerts(ctx, sc, r.filter, stockCalculators, codes)
	if err != nil {
		return nil, err
	}
	rows := make([]stockRow, len(alerts))
	for i, a := range alerts {
		row := stockRow{StockAlert: a, Level: stockLevel(a.Status)}
		if a.Vaccine != "" {
			row.VaccineName = r.pack.VaccineName(a.Vaccine, "en")
		}
		var ans stock.Answer
		if json.Unmarshal([]byte(a.Result), &ans) == nil {
			row.Meaning = ans.Status.Text.In("en")
			for _, f := range ans.Formula {
				row.Numbers = strings.TrimPrefix(row.Numbers+"; "+f.In("en"), "; ")
			}
		}
		for _, p := range a.Trend {
			row.Trend = append(row.Trend, stockPoint{At: p.At.In(r.tz), Grade: strings.ReplaceAll(p.Status, "_", " "), Level: stockLevel(p.Status)})
		}
		rows[i] = row
	}
	return rows, nil
}

// stockLevel is "low" or "high" for a status the stock report lists, ""
// otherwise.
func stockLevel(status string) string {
	switch {
	case slices.Contains(lowStock, stock.Code(status)):
		return "low"
	case slices.Contains(highStock, stock.Code(status)):
		return "high"
	}
	return ""
}
