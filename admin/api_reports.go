package admin

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/lessons/stock"
)

// report answers a report computed by build for the token's scope.
func (a *API) report(build func(c *gin.Context, r reporter) (any, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		r, err := newReporter(a.db, a.Pack, a.TZ)
		if err == nil {
			r.filter, err = reportFilter(c, r.tz)
		}
		var body any
		if err == nil {
			body, err = build(c, r)
		}
		if err != nil {
			a.fail(c, err)
			return
		}
		c.JSON(http.StatusOK, body)
	}
}

type formJSON struct {
	Form    lessons.Form `json:"form"`
	Nurses  int          `json:"nurses"`
	MeanPct *float64     `json:"mean_pct"` // null when nobody finished the form
}

type assessmentJSON struct {
	Topic string     `json:"topic"`
	Title string     `json:"title"`
	Forms []formJSON `json:"forms"`
}

// assessmentsReport is GET /api/v1/reports/assessments.
func assessmentsReport(c *gin.Context, r reporter) (any, error) {
	rows, err := r.assessments(c.Request.Context(), scopeOf(c))
	out := make([]assessmentJSON, len(rows))
	for i, row := range rows {
		j := assessmentJSON{Topic: row.Topic.ID, Title: row.Topic.Title.In("en")}
		for k, f := range row.Forms {
			fj := formJSON{Form: lessons.Assessments[k], Nurses: f.Nurses}
			if f.Mean.OK {
				m := stock.Round(f.Mean.Pct, 1)
				fj.MeanPct = &m
			}
			j.Forms = append(j.Forms, fj)
		}
		out[i] = j
	}
	return gin.H{"assessments": out}, err
}

type lessonJSON struct {
	Lesson    string `json:"lesson"`
	Title     string `json:"title"`
	Completed int    `json:"completed"`
}

type completionJSON struct {
	Topic          string       `json:"topic"`
	Title          string       `json:"title"`
	AllLessons     int          `json:"all_lessons_completed"`
	Pct            float64      `json:"all_lessons_pct"`
	CompletedTopic int          `json:"completed_topic"`
	Lessons        []lessonJSON `json:"lessons"`
}

// completionReport is GET /api/v1/reports/completion.
func completionReport(c *gin.Context, r reporter) (any, error) {
	rows, err := r.completion(c.Request.Context(), scopeOf(c))
	active, out := 0, make([]completionJSON, len(rows))
	for i, row := range rows {
		active = row.Active
		j := completionJSON{Topic: row.Topic.ID, Title: row.Topic.Title.In("en"), AllLessons: row.AllLessons,
			Pct: stock.Round(row.Pct(), 1), CompletedTopic: row.Completed, Lessons: []lessonJSON{}}
		for _, l := range row.Lessons {
			j.Lessons = append(j.Lessons, lessonJSON{Lesson: l.Lesson.ID, Title: l.Lesson.Title.In("en"), Completed: l.Done})
		}
		out[i] = j
	}
	return gin.H{"active_nurses": active, "topics": out}, err
}

type checklistJSON struct {
	Month   string `json:"month"`
	Topic   string `json:"topic"`
	Title   string `json:"title"`
	Done    int    `json:"done"`
	Partly  int    `json:"partly"`
	NotDone int    `json:"not_done"`
}

// checklistReport is GET /api/v1/reports/checklist.
func checklistReport(c *gin.Context, r reporter) (any, error) {
	rows, err := r.checklist(c.Request.Context(), scopeOf(c))
	out := make([]checklistJSON, len(rows))
	for i, row := range rows {
		out[i] = checklistJSON{Month: row.Month, Topic: row.Topic.ID, Title: row.Topic.Title.In("en"), Done: row.Done, Partly: row.Partly, NotDone: row.NotDone}
	}
	return gin.H{"months": checklistMonths, "checklist": out}, err
}

type stockJSON struct {
	Facility     facilityJSON `json:"facility"`
	Vaccine      string       `json:"vaccine"`
	Calculator   string       `json:"calculator"`
	Status       string       `json:"status"`
	Level        string       `json:"level"`
	Meaning      string       `json:"meaning"`
	CalculatedBy string       `json:"calculated_by"`
	CalculatedAt time.Time    `json:"calculated_at"`
	Numbers      string       `json:"numbers"`
	Trend        []trendJSON  `json:"trend"`
}

// trendJSON is one calculation of a stock alert's trend.
type trendJSON struct {
	Calculator string    `json:"calculator"`
	Status     string    `json:"status"`
	At         time.Time `json:"calculated_at"`
}

// stockReport is GET /api/v1/reports/stock.
func stockReport(c *gin.Context, r reporter) (any, error) {
	rows, err := r.stock(c.Request.Context(), scopeOf(c))
	out := make([]stockJSON, len(rows))
	for i, row := range rows {
		out[i] = stockJSON{Facility: facilityJSON{row.FacilityCode, row.FacilityName, row.SubCounty}, Vaccine: row.Vaccine,
			Calculator: row.Calculator, Status: row.Status, Level: row.Level, Meaning: row.Meaning, CalculatedBy: row.Worker,
			CalculatedAt: row.At, Numbers: row.Numbers, Trend: make([]trendJSON, len(row.StockAlert.Trend))}
		for j, p := range row.StockAlert.Trend {
			out[i].Trend[j] = trendJSON{Calculator: p.Calculator, Status: p.Status, At: p.At}
		}
	}
	return gin.H{"facilities": out}, err
}
