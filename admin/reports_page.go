package admin

import (
	"errors"
	"html/template"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/store"
)

// formNames are the assessment forms as people read them, in the order of
// lessons.Assessments.
var formNames = []string{"Baseline", "Midline", "Endline"}

// answerNames are the checklist answers as people read them, in the order
// of checklistRow.Pcts.
var answerNames = []string{"Done", "Partly", "Not done"}

// reportsData is the reports page's data: each report's rows and chart.
type reportsData struct {
	Forms, Answers  []string
	Assessments     []assessmentRow
	AssessmentChart template.HTML
	Completion      []completionRow
	Active          int
	CompletionChart template.HTML
	Checklist       []checklistRow
	ChecklistChart  template.HTML
	Months          int
	Stock           []stockRow
	ChartCSS        string
	reportForm
	// Nurses are the first NursesShown of the per-nurse report, those
	// behind first; the CSV file has them all.
	Nurses      []nurseRow
	NursesShown int
}

// nursesPage is how many lines of the per-nurse report the page shows: at
// 10,000 nurses the whole table would weigh megabytes.
const nursesPage = 100

// reportForm is the filter form of the report pages (reports, evaluation).
type reportForm struct {
	Action string // the page the form shows again
	// Filter narrows every report; Query is it as "?facility=…" for the
	// CSV links, "" when nothing narrows.
	Filter         store.ReportFilter
	Query          string
	FromDay, ToDay string // the filter's days, YYYY-MM-DD, for the form
	Groups         []store.Group
}

// reportForm is the filter form of r's filter on the page action, with the
// groups of the user's scope to pick from.
func (h *Console) reportForm(c *gin.Context, r reporter, action string) (reportForm, error) {
	v := filterValues(r.filter, h.tz)
	f := reportForm{Action: action, Filter: r.filter, FromDay: v.Get("from"), ToDay: v.Get("to")}
	if q := v.Encode(); q != "" {
		f.Query = "?" + q
	}
	var err error
	f.Groups, err = h.db.Groups(c.Request.Context(), scopeOf(c))
	return f, err
}

// filteredReporter returns a reporter narrowed by the query's filter, or
// answers the request itself (400 with the field's problem, or 500) and
// returns the error.
func (h *Console) filteredReporter(c *gin.Context) (reporter, error) {
	r, err := newReporter(h.db, h.Pack, h.tz)
	if err != nil {
		h.fail(c, err)
		return r, err
	}
	if r.filter, err = reportFilter(c, h.tz); err != nil {
		var ie *store.InputError
		if errors.As(err, &ie) {
			h.errorPage(c, http.StatusBadRequest, "The report's "+ie.Field+" "+ie.Message+".")
		} else {
			h.fail(c, err)
		}
	}
	return r, err
}

// reports is /admin/reports: assessment scores, lesson completion,
// checklist trends and stock alerts inside the user's scope.
func (h *Console) reports(c *gin.Context) {
	r, err := h.filteredReporter(c)
	if err != nil {
		return
	}
	ctx, sc := c.Request.Context(), scopeOf(c)
	d := reportsData{Forms: formNames, Answers: answerNames, Months: checklistMonths, ChartCSS: "/admin/static/charts.css?v=" + h.version,
		NursesShown: nursesPage}
	if d.reportForm, err = h.reportForm(c, r, "/admin/reports"); err == nil {
		d.Nurses, err = r.nurses(ctx, sc, nursesPage)
	}
	if err == nil {
		if d.Assessments, err = r.assessments(ctx, sc); err == nil {
			if d.Completion, err = r.completion(ctx, sc); err == nil {
				if d.Checklist, err = r.checklist(ctx, sc); err == nil {
					d.Stock, err = r.stock(ctx, sc)
				}
			}
		}
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	d.AssessmentChart = assessmentChart(d.Assessments)
	if len(d.Completion) > 0 {
		d.Active = d.Completion[0].Active
	}
	d.CompletionChart = completionChart(d.Completion)
	d.ChecklistChart = checklistChart(d.Checklist)
	h.render(c, http.StatusOK, "reports", d)
}

func assessmentChart(rows []assessmentRow) template.HTML {
	groups := make([]barGroup, len(rows))
	for i, r := range rows {
		g := barGroup{Label: r.Topic.Title.In("en")}
		for _, f := range r.Forms {
			g.Values = append(g.Values, f.Mean)
		}
		groups[i] = g
	}
	return groupedBars("chart-assessments", "Mean assessment score by topic: baseline, midline and endline", formNames, groups)
}

func completionChart(rows []completionRow) template.HTML {
	bars := make([]hBar, len(rows))
	for i, r := range rows {
		note := strconv.Itoa(r.AllLessons) + " of " + strconv.Itoa(r.Active) + " (" + pctText(r.Pct()) + ")"
		bars[i] = hBar{Label: r.Topic.Title.In("en"), Pct: r.Pct(), Note: note}
	}
	return horizontalBars("chart-completion", "Active nurses who finished every lesson of each topic", bars)
}

func checklistChart(rows []checklistRow) template.HTML {
	bars := make([]stackRow, len(rows))
	for i, r := range rows {
		bars[i] = stackRow{Label: r.Topic.Title.In("en") + ", " + r.Label, Pcts: r.Pcts()}
	}
	return stackedBars("chart-checklist", "Checklist answers by topic and month: done, partly, not done", answerNames, bars)
}
