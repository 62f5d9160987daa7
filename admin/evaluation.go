package admin

import (
	"context"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/evaluation"
	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/lessons/stock"
	"github.com/chanjo-health/chanjo/percent"
	"github.com/chanjo-health/chanjo/store"
)

// evaluationRow is one comparison as the console, the API and the CSV show
// it: the gap's title and the questions of each item slot beside the
// figures.
type evaluationRow struct {
	evaluation.Comparison
	Title string
	Slots map[int]string // slot -> "stk-b3 / stk-e3"
}

// evaluation pairs the same nurses' assessments in the scope: every answer
// of a finished assessment, its question's slot in its form (slot k tests
// the same competency on every form) and each nurse's score per gap.
func (r reporter) evaluation(ctx context.Context, sc store.Scope) ([]evaluationRow, error) {
	rows, err := r.db.EvaluationAnswers(ctx, sc, r.filter)
	if err != nil {
		return nil, err
	}
	slots := r.slots()
	type key struct {
		worker      int64
		form, topic string
	}
	right, answered := map[key]int{}, map[key]int{}
	nurses := map[key]evaluation.Nurse{}
	var answers []evaluation.Answer
	var order []key
	for _, a := range rows {
		k := key{a.Worker, a.Form, a.Topic}
		if _, seen := answered[k]; !seen {
			order = append(order, k)
			nurses[k] = evaluation.Nurse{Worker: a.Worker, FacilityCode: a.FacilityCode, FacilityName: a.FacilityName, SubCounty: a.SubCounty}
		}
		answered[k]++
		if a.Correct {
			right[k]++
		}
		if s, ok := slots[a.QuestionID]; ok {
			answers = append(answers, evaluation.Answer{Worker: a.Worker, Form: a.Form, Topic: a.Topic, Slot: s.slot, Correct: a.Correct})
		}
	}
	scores := make([]evaluation.Score, len(order))
	for i, k := range order {
		scores[i] = evaluation.Score{Nurse: nurses[k], Form: k.form, Topic: k.topic, Pct: 100 * float64(right[k]) / float64(answered[k])}
	}
	var seen []string
	for _, s := range scores {
		seen = append(seen, s.Topic)
	}
	var ids []string
	titles := map[string]string{}
	for _, t := range r.topics(seen...) {
		ids = append(ids, t.ID)
		titles[t.ID] = t.Title.In("en")
	}
	comparisons := evaluation.Build(scores, answers, ids)
	out := make([]evaluationRow, len(comparisons))
	for i, c := range comparisons {
		out[i] = evaluationRow{Comparison: c, Title: titles[c.Topic], Slots: slotNames(slots, c.Topic, c.Later)}
	}
	return out, nil
}

// slotOf is where a question stands in its form.
type slotOf struct {
	form, topic string
	slot        int
}

// slots places every assessment question of the pack in its form and gap.
func (r reporter) slots() map[string]slotOf {
	m := map[string]slotOf{}
	for _, form := range lessons.Assessments {
		next := map[string]int{}
		for _, q := range r.pack.Assessment(form) {
			m[q.ID] = slotOf{form: string(form), topic: q.Topic, slot: next[q.Topic]}
			next[q.Topic]++
		}
	}
	return m
}

// slotNames names each slot of topic by its baseline and later questions.
func slotNames(slots map[string]slotOf, topic, later string) map[int]string {
	base, next := map[int]string{}, map[int]string{}
	for id, s := range slots {
		switch {
		case s.topic != topic:
		case s.form == evaluation.Baseline:
			base[s.slot] = id
		case s.form == later:
			next[s.slot] = id
		}
	}
	names := map[int]string{}
	for slot, id := range base {
		names[slot] = id + " / " + next[slot]
	}
	return names
}

// optional is x for JSON, or nil when it is not a number (no test).
func optional(x float64, valid bool, decimals int) any {
	if !valid || math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return stock.Round(x, decimals)
}

type evaluationItemJSON struct {
	Slot         int     `json:"slot"`
	Questions    string  `json:"questions"`
	Paired       int     `json:"paired"`
	RightToWrong int     `json:"right_to_wrong"`
	WrongToRight int     `json:"wrong_to_right"`
	P            float64 `json:"mcnemar_p"`
}

type evaluationJSON struct {
	Level        string               `json:"level"`
	Group        string               `json:"group"`
	Code         string               `json:"code"`
	Topic        string               `json:"topic"`
	Title        string               `json:"title"`
	Later        string               `json:"later_form"`
	Paired       int                  `json:"n_paired"`
	Lost         int                  `json:"n_lost"`
	Unpaired     int                  `json:"n_unpaired"`
	BaselineMean any                  `json:"baseline_mean_pct"`
	LaterMean    any                  `json:"later_mean_pct"`
	MeanChange   any                  `json:"mean_change"`
	Low          any                  `json:"ci95_low"`
	High         any                  `json:"ci95_high"`
	T            any                  `json:"t"`
	P            any                  `json:"p"`
	Improved     float64              `json:"improved_pct"`
	Stayed       float64              `json:"stayed_pct"`
	Declined     float64              `json:"declined_pct"`
	Items        []evaluationItemJSON `json:"items"`
}

func (e evaluationRow) json() evaluationJSON {
	c := e.Change
	j := evaluationJSON{Level: e.Group.Level, Group: e.Group.Name, Code: e.Group.Code, Topic: e.Topic, Title: e.Title,
		Later: e.Later, Paired: e.Paired, Lost: e.Lost, Unpaired: e.Unpaired,
		BaselineMean: optional(e.BaselineMean, e.Paired > 0, 1), LaterMean: optional(e.LaterMean, e.Paired > 0, 1),
		MeanChange: optional(c.Mean, c.N > 0, 2), Low: optional(c.Low, c.Valid, 2), High: optional(c.High, c.Valid, 2),
		T: optional(c.T, c.Valid, 3), P: optional(c.P, c.Valid, 6),
		Improved: stock.Round(e.Share(e.Improved), 1), Stayed: stock.Round(e.Share(e.Stayed), 1), Declined: stock.Round(e.Share(e.Declined), 1),
		Items: []evaluationItemJSON{}}
	for _, it := range e.Items {
		j.Items = append(j.Items, evaluationItemJSON{Slot: it.Slot + 1, Questions: e.Slots[it.Slot], Paired: it.Paired,
			RightToWrong: it.RightToWrong, WrongToRight: it.WrongToRight, P: stock.Round(it.P, 6)})
	}
	return j
}

// Fig shows a figure of the answer on the console page, "-" for none.
func (evaluationJSON) Fig(v any) string {
	if c := figCell(v); c != "" {
		return c
	}
	return "-"
}

// evaluationData is the evaluation as the API answers it and the console
// shows it: the comparisons, and the stock-data measure beside them.
type evaluationData struct {
	Evaluation []evaluationJSON     `json:"evaluation"`
	Stock      []stockShareJSON     `json:"stock_in_policy"`
	Checklist  []checklistShareJSON `json:"checklist_done"`
}

// checklistShareJSON is the behaviour measure the evaluation (docs/api.md, "Reports") puts beside the
// evaluation from the mentorship checklist: in a month's visits, the share
// of the checklist's items the mentor found done.
type checklistShareJSON struct {
	Month   string  `json:"month"`
	Answers int     `json:"answers"`
	Done    int     `json:"done"`
	Pct     float64 `json:"done_pct"`
}

// checklistDone folds the checklist trends of every topic into one line a
// month, oldest first.
func (r reporter) checklistDone(ctx context.Context, sc store.Scope) ([]checklistShareJSON, error) {
	rows, err := r.checklist(ctx, sc)
	if err != nil {
		return nil, err
	}
	byMonth := map[string]*checklistShareJSON{}
	for _, row := range rows {
		m := byMonth[row.Month]
		if m == nil {
			m = &checklistShareJSON{Month: row.Month}
			byMonth[row.Month] = m
		}
		m.Answers += row.Total()
		m.Done += row.Done
	}
	out := make([]checklistShareJSON, 0, len(byMonth))
	for _, m := range byMonth {
		m.Pct = stock.Round(percent.Of(m.Done, m.Answers), 1)
		out = append(out, *m)
	}
	slices.SortFunc(out, func(a, b checklistShareJSON) int { return strings.Compare(a.Month, b.Month) })
	return out, nil
}

func (r reporter) evaluationData(ctx context.Context, sc store.Scope) (evaluationData, error) {
	rows, err := r.evaluation(ctx, sc)
	if err != nil {
		return evaluationData{}, err
	}
	d := evaluationData{Evaluation: make([]evaluationJSON, len(rows))}
	for i, row := range rows {
		d.Evaluation[i] = row.json()
	}
	if d.Stock, err = r.stockInPolicy(ctx, sc); err != nil {
		return d, err
	}
	d.Checklist, err = r.checklistDone(ctx, sc)
	return d, err
}

// evaluationReport is GET /api/v1/reports/evaluation.
func evaluationReport(c *gin.Context, r reporter) (any, error) {
	return r.evaluationData(c.Request.Context(), scopeOf(c))
}

// figCell is a figure of the JSON answer as a CSV cell, "" for null.
func figCell(v any) string {
	if f, ok := v.(float64); ok {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return ""
}

// evaluationTable has a line per group, gap and later form.
func evaluationTable(ctx context.Context, r reporter, sc store.Scope) (csvTable, error) {
	rows, err := r.evaluation(ctx, sc)
	t := csvTable{header: []string{"level", "group", "code", "topic", "later_form", "n_paired", "n_lost", "n_unpaired",
		"baseline_mean_pct", "later_mean_pct", "mean_change", "ci95_low", "ci95_high", "t", "p",
		"improved_pct", "stayed_pct", "declined_pct"}}
	for _, row := range rows {
		j := row.json()
		t.rows = append(t.rows, []string{j.Level, j.Group, j.Code, j.Topic, j.Later, strconv.Itoa(j.Paired), strconv.Itoa(j.Lost),
			strconv.Itoa(j.Unpaired), figCell(j.BaselineMean), figCell(j.LaterMean), figCell(j.MeanChange), figCell(j.Low), figCell(j.High),
			figCell(j.T), figCell(j.P), decimal(j.Improved), decimal(j.Stayed), decimal(j.Declined)})
	}
	return t, err
}

// evaluationItemsTable has a line per group, gap, later form and item slot.
func evaluationItemsTable(ctx context.Context, r reporter, sc store.Scope) (csvTable, error) {
	rows, err := r.evaluation(ctx, sc)
	t := csvTable{header: []string{"level", "group", "code", "topic", "later_form", "slot", "questions", "paired",
		"right_to_wrong", "wrong_to_right", "mcnemar_p"}}
	for _, row := range rows {
		j := row.json()
		for _, it := range j.Items {
			t.rows = append(t.rows, []string{j.Level, j.Group, j.Code, j.Topic, j.Later, strconv.Itoa(it.Slot), it.Questions,
				strconv.Itoa(it.Paired), strconv.Itoa(it.RightToWrong), strconv.Itoa(it.WrongToRight), figCell(it.P)})
		}
	}
	return t, err
}

// evaluationPageData adds the filter form and the assessment windows to
// the evaluation: the console says what is open.
type evaluationPageData struct {
	evaluationData
	reportForm
	Windows []windowLine
}

// windowLine is an assessment window as the console shows it.
type windowLine struct {
	Form, State, Opens, Closes string
}

// evaluationPage is /admin/evaluation: the same nurses' change per gap,
// overall, by sub-county and by facility, with the stock-data measure.
func (h *Console) evaluationPage(c *gin.Context) {
	r, err := h.filteredReporter(c)
	if err != nil {
		return
	}
	var d evaluationPageData
	d.evaluationData, err = r.evaluationData(c.Request.Context(), scopeOf(c))
	if err == nil {
		d.reportForm, err = h.reportForm(c, r, "/admin/evaluation")
	}
	var ws []store.Window
	if err == nil {
		ws, err = h.db.AssessmentWindows(c.Request.Context())
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	now := h.db.Now()
	for _, w := range ws {
		d.Windows = append(d.Windows, windowLine{Form: w.Form, State: w.State(now),
			Opens: w.Opens.In(h.tz).Format("2 Jan 2006 15:04"), Closes: w.Closes.In(h.tz).Format("2 Jan 2006 15:04")})
	}
	h.render(c, http.StatusOK, "evaluation", d)
}
