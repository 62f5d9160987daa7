package admin

import (
	"html/template"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
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
}

// reports is /admin/reports: assessment scores, lesson completion,
// checklist trends and stock alerts inside the user's scope.
func (h *Console) reports(c *gin.Context) {
	r, err := newReporter(h.db, h.Pack, h.tz)
	if err != nil {
		h.fail(c, err)
		return
	}
	ctx, sc := c.Request.Context(), scopeOf(c)
	d := reportsData{Forms: formNames, Answers: answerNames, Months: checklistMonths, ChartCSS: "/admin/static/charts.css?v=" + h.version}
	if d.Assessments, err = r.assessments(ctx, sc); err == nil {
		if d.Completion, err = r.completion(ctx, sc); err == nil {
			if d.Checklist, err = r.checklist(ctx, sc); err == nil {
				d.Stock, err = r.stock(ctx, sc)
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
