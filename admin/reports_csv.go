package admin

import (
	"context"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/store"
)

// A report table for CSV: its header and rows, every cell a string.
type csvTable struct {
	header []string
	rows   [][]string
}

// reportCSV answers a report as a CSV file: table builds it for the
// request's scope.
func (h *Console) reportCSV(name string, table func(ctx context.Context, r reporter, sc store.Scope) (csvTable, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		r, err := h.filteredReporter(c)
		if err != nil {
			return
		}
		t, err := table(c.Request.Context(), r, scopeOf(c))
		if err != nil {
			h.fail(c, err)
			return
		}
		w := startCSV(c, name)
		w.Write(t.header)
		w.WriteAll(t.rows)
		h.endCSV(w, name)
	}
}

func decimal(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

// assessmentsTable has a line per topic and form; a form nobody finished
// has 0 nurses and an empty mean.
func assessmentsTable(ctx context.Context, r reporter, sc store.Scope) (csvTable, error) {
	rows, err := r.assessments(ctx, sc)
	t := csvTable{header: []string{"topic", "title", "form", "nurses", "mean_pct"}}
	for _, row := range rows {
		for i, f := range row.Forms {
			mean := ""
			if f.Mean.OK {
				mean = decimal(f.Mean.Pct)
			}
			t.rows = append(t.rows, []string{row.Topic.ID, cell(row.Topic.Title.In("en")), string(lessons.Assessments[i]), strconv.Itoa(f.Nurses), mean})
		}
	}
	return t, err
}

// completionTable has a line per topic (lesson empty: nurses who finished
// every lesson, and those who completed the topic), then one per lesson.
func completionTable(ctx context.Context, r reporter, sc store.Scope) (csvTable, error) {
	rows, err := r.completion(ctx, sc)
	t := csvTable{header: []string{"topic", "lesson", "title", "completed", "active_nurses", "completed_pct", "completed_topic"}}
	itoa := strconv.Itoa
	for _, row := range rows {
		t.rows = append(t.rows, []string{row.Topic.ID, "", cell(row.Topic.Title.In("en")), itoa(row.AllLessons), itoa(row.Active),
			decimal(row.Pct()), itoa(row.Completed)})
		for _, l := range row.Lessons {
			t.rows = append(t.rows, []string{row.Topic.ID, l.Lesson.ID, cell(l.Lesson.Title.In("en")), itoa(l.Done), itoa(row.Active),
				decimal(l.Pct()), ""})
		}
	}
	return t, err
}

func checklistTable(ctx context.Context, r reporter, sc store.Scope) (csvTable, error) {
	rows, err := r.checklist(ctx, sc)
	t := csvTable{header: []string{"month", "topic", "title", "done", "partly", "not_done", "done_pct", "partly_pct", "not_done_pct"}}
	itoa := strconv.Itoa
	for _, row := range rows {
		p := row.Pcts()
		t.rows = append(t.rows, []string{row.Month, row.Topic.ID, cell(row.Topic.Title.In("en")), itoa(row.Done), itoa(row.Partly), itoa(row.NotDone),
			decimal(p[0]), decimal(p[1]), decimal(p[2])})
	}
	return t, err
}

func stockTable(ctx context.Context, r reporter, sc store.Scope) (csvTable, error) {
	rows, err := r.stock(ctx, sc)
	t := csvTable{header: []string{"facility_code", "facility_name", "sub_county", "vaccine", "calculator", "status", "level", "meaning",
		"numbers", "trend", "calculated_by", "calculated_at"}}
	for _, row := range rows {
		t.rows = append(t.rows, []string{cell(row.FacilityCode), cell(row.FacilityName), cell(row.SubCounty), row.Vaccine, row.Calculator,
			row.Status, row.Level, cell(row.Meaning), cell(row.Numbers), cell(row.TrendText()), cell(row.Worker),
			row.At.UTC().Format("2006-01-02T15:04:05Z")})
	}
	return t, err
}
