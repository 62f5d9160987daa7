package admin

import (
	"context"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/store"
)

// nurseRow is a nurse's line of the per-nurse report, as people read it.
type nurseRow struct {
	store.NurseProgress
	LastDial string // "3 Mar 2025", or "never"
	Quiz     string // the practice quizzes' average, "-" without one
	Change   string // "+12.5 points" from baseline to the latest assessment, "-" without both
}

// nurses returns the per-nurse report, those behind first; limit > 0
// keeps the first limit lines.
func (r reporter) nurses(ctx context.Context, sc store.Scope, limit int) ([]nurseRow, error) {
	ps, err := r.db.NurseProgresses(ctx, sc, r.filter, limit)
	rows := make([]nurseRow, len(ps))
	for i, p := range ps {
		row := nurseRow{NurseProgress: p, LastDial: "never", Quiz: "-", Change: "-"}
		if p.LastDialAt.Valid {
			row.LastDial = p.LastDialAt.Time.In(r.tz).Format("2 Jan 2006")
		}
		if pct, ok := p.QuizPct(); ok {
			row.Quiz = decimal(pct) + "%"
		}
		if ch, ok := p.Change(); ok {
			row.Change = strconv.FormatFloat(ch, 'f', 1, 64)
			if ch >= 0 {
				row.Change = "+" + row.Change
			}
			row.Change += " points"
		}
		rows[i] = row
	}
	return rows, err
}

// csvFigure writes a figure that may be missing as "" in a CSV file.
func csvFigure(f float64, ok bool) string {
	if !ok {
		return ""
	}
	return decimal(f)
}

// nursesTable has a line per active nurse, those behind first.
func nursesTable(ctx context.Context, r reporter, sc store.Scope) (csvTable, error) {
	rows, err := r.nurses(ctx, sc, 0)
	t := csvTable{header: []string{"name", "phone", "facility", "last_dial", "lessons_completed", "practice_quizzes",
		"quiz_average_pct", "baseline_pct", "latest_assessment_pct", "change_points"}}
	for _, row := range rows {
		last := ""
		if row.LastDialAt.Valid {
			last = row.LastDialAt.Time.UTC().Format(time.RFC3339)
		}
		quiz, qok := row.QuizPct()
		change, cok := row.NurseProgress.Change()
		t.rows = append(t.rows, []string{cell(row.Name), cell(row.Phone), cell(row.Facility), last, strconv.Itoa(row.Lessons),
			strconv.Itoa(row.Quizzes), csvFigure(quiz, qok), csvFigure(row.Baseline.Float64, row.Baseline.Valid),
			csvFigure(row.Latest.Float64, row.Latest.Valid), csvFigure(change, cok)})
	}
	return t, err
}

// nurseProgressJSON is a line of GET /api/v1/reports/nurses.
type nurseProgressJSON struct {
	ID             int64      `json:"id"`
	Name           string     `json:"name"`
	Phone          string     `json:"phone"`
	Facility       string     `json:"facility"`
	LastDialAt     *time.Time `json:"last_dial_at"`
	Lessons        int        `json:"lessons_completed"`
	Quizzes        int        `json:"practice_quizzes"`
	QuizAveragePct any        `json:"quiz_average_pct"` // null without a quiz
	BaselinePct    any        `json:"baseline_pct"`
	LatestPct      any        `json:"latest_assessment_pct"`
	ChangePoints   any        `json:"change_points"` // null without both assessments
}

// nursesReport is GET /api/v1/reports/nurses.
func nursesReport(c *gin.Context, r reporter) (any, error) {
	rows, err := r.nurses(c.Request.Context(), scopeOf(c), 0)
	out := make([]nurseProgressJSON, len(rows))
	for i, row := range rows {
		quiz, qok := row.QuizPct()
		change, cok := row.NurseProgress.Change()
		out[i] = nurseProgressJSON{ID: row.ID, Name: row.Name, Phone: row.Phone, Facility: row.Facility, Lessons: row.Lessons, Quizzes: row.Quizzes,
			QuizAveragePct: optional(quiz, qok, 1), BaselinePct: optional(row.Baseline.Float64, row.Baseline.Valid, 1),
			LatestPct: optional(row.Latest.Float64, row.Latest.Valid, 1), ChangePoints: optional(change, cok, 1)}
		if row.LastDialAt.Valid {
			at := row.LastDialAt.Time.UTC()
			out[i].LastDialAt = &at
		}
	}
	return gin.H{"nurses": out}, err
}
