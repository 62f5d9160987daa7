package admin

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// reportFixture is what reportsFixture seeded: Kibra's supervisor and
// token, and a question of each sub-county.
type reportFixture struct {
	token              string
	kibraQ, embakasiQ  int64
	adminToken         string
	kibraNurse, mentor int64
}

const stockAnswer = `{"calculator":"order-quantity","values":{},"status":{"code":"below_order_point",` +
	`"en":"below order point: order 1,200 doses (60 vials) now","sw":"chini ya kiwango cha kuagiza"},"formula":[]}`

// reportsFixture seeds two nurses and a mentor in Kibra and a nurse in
// Embakasi with assessments, lessons, a visit's checklist, stock
// calculations and questions; Embakasi's figures would change every Kibra
// figure if they leaked into it.
func reportsFixture(h *harness) reportFixture {
	h.t.Helper()
	ctx := context.Background()
	f := reportFixture{token: h.token(h.user("wanjiru", store.RoleSupervisor, "Kibra")), adminToken: h.token(h.user("root", store.RoleAdmin))}
	n1 := h.worker("Achieng", "+254711000001", "Kibra", store.StatusActive)
	n2 := h.worker("Baraka", "+254711000002", "Kibra", store.StatusActive)
	mentor := h.worker("Dama", "+254711000003", "Kibra", store.StatusActive)
	e1 := h.worker("Chebet", "+254711000004", "Embakasi", store.StatusActive)
	f.kibraNurse, f.mentor = n1, mentor
	storetest.Mentors(h.t, h.db, mentor)
	h.finishedAttempt(n1, store.FormBaseline, map[string][2]int{"ipc": {1, 2}, "stock": {2, 2}})
	h.finishedAttempt(n2, store.FormBaseline, map[string][2]int{"ipc": {2, 4}})
	h.finishedAttempt(n1, store.FormEndline, map[string][2]int{"ipc": {2, 2}})
	h.finishedAttempt(e1, store.FormBaseline, map[string][2]int{"ipc": {0, 2}})
	var marks []store.PageMark
	for _, l := range ipcLessons(h.t) {
		marks = append(marks, store.PageMark{WorkerID: n1, Lesson: l, Done: true}, store.PageMark{WorkerID: e1, Lesson: l, Done: true})
	}
	marks = append(marks, store.PageMark{WorkerID: n2, Lesson: "ipc-greet", Done: true}, store.PageMark{WorkerID: mentor, Lesson: "ipc-greet", Done: true})
	if err := h.db.SaveLessonPages(ctx, marks); err != nil {
		h.t.Fatal(err)
	}
	march := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
	h.doneVisit(mentor, n1, march, map[string]string{"chk-greet-praise": "done", "chk-side-effects": "partly", "chk-next-visit": "not_done", "chk-teach-back": "done"})
	h.doneVisit(mentor, e1, march, map[string]string{"chk-greet-praise": "not_done"})
	storetest.StockCalculation(h.t, h.db, n1, "order-quantity", stockAnswer, "below_order_point", march)
	storetest.StockCalculation(h.t, h.db, e1, "months-of-stock", "{}", "overstock", march)
	f.kibraQ = h.askedAt(n1, "Je, BCG <inapewa> lini?", march)
	f.embakasiQ = h.askedAt(e1, "Chebet asks about Embakasi", march)
	return f
}

// finishedAttempt stores a finished assessment with right out of answered per topic.
func (h *harness) finishedAttempt(worker int64, form string, topics map[string][2]int) {
	h.t.Helper()
	ctx := context.Background()
	id, err := h.db.StartAttempt(ctx, worker, form, "", 1)
	if err != nil {
		h.t.Fatal(err)
	}
	for topic, rn := range topics {
		for i := range rn[1] {
			if err := h.db.RecordAnswer(ctx, id, fmt.Sprint(topic, i), topic, 0, i < rn[0]); err != nil {
				h.t.Fatal(err)
			}
		}
	}
	if err := h.db.FinishAttempt(ctx, id, 1, 1); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) doneVisit(mentor, mentee int64, at time.Time, answers map[string]string) {
	h.t.Helper()
	id := storetest.DoneVisit(h.t, h.db, mentor, mentee, at)
	if err := h.db.SaveChecklist(context.Background(), id, answers); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) askedAt(worker int64, body string, at time.Time) int64 {
	h.t.Helper()
	return storetest.Question(h.t, h.db, worker, body, at)
}

func ipcLessons(t *testing.T) []string {
	t.Helper()
	p, err := lessons.Default()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, l := range p.LessonsOf("ipc") {
		ids = append(ids, l.ID)
	}
	return ids
}

// records parses a CSV body.
func records(t *testing.T, body string) [][]string {
	t.Helper()
	rs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("CSV %q: %v", body, err)
	}
	return rs
}

func TestReportCSVFigures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		reportsFixture(h)
		b, _ := h.loggedIn("wanjiru")
		row := func(rs ...string) []string { return rs }
		tests := []struct {
			path string
			want [][]string // the header, then rows found by their first cells
			key  int        // how many first cells identify a row
		}{
			{"/admin/reports/assessments.csv", [][]string{
				{"topic", "title", "form", "nurses", "mean_pct"},
				row("ipc", "Talking with caregivers", "baseline", "2", "50.0"),
				row("ipc", "Talking with caregivers", "midline", "0", ""),
				row("ipc", "Talking with caregivers", "endline", "1", "100.0"),
				row("stock", "Stock forecasting", "baseline", "1", "100.0"),
				row("recording", "Data recording", "baseline", "0", ""),
			}, 3},
			{"/admin/reports/completion.csv", [][]string{
				{"topic", "lesson", "title", "completed", "active_nurses", "completed_pct", "completed_topic"},
				row("ipc", "", "Talking with caregivers", "1", "2", "50.0", "0"),
				row("ipc", "ipc-greet", "Greet, praise, listen", "2", "2", "100.0", ""),
				row("ipc", "ipc-before-leaving", "Before she leaves", "1", "2", "50.0", ""),
				row("stock", "", "Stock forecasting", "0", "2", "0.0", "0"),
			}, 2},
			{"/admin/reports/checklist.csv", [][]string{
				{"month", "topic", "title", "done", "partly", "not_done", "done_pct", "partly_pct", "not_done_pct"},
				row("2025-03", "ipc", "Talking with caregivers", "2", "1", "1", "50.0", "25.0", "25.0"),
			}, 2},
			{"/admin/reports/stock.csv", [][]string{
				{"facility_code", "facility_name", "sub_county", "vaccine", "calculator", "status", "level", "meaning",
					"numbers", "trend", "calculated_by", "calculated_at"},
				row("F-Kibra", "Kibra Health Centre", "Kibra", "", "order-quantity", "below_order_point", "low",
					"below order point: order 1,200 doses (60 vials) now", "", "1 Mar below order point", "Achieng", "2025-03-01T08:00:00Z"),
			}, 5},
		}
		for _, tt := range tests {
			rec := b.get(tt.path)
			if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") {
				t.Fatalf("GET %s = %d %s, want 200 text/csv", tt.path, rec.Code, rec.Header().Get("Content-Type"))
			}
			got := records(t, rec.Body.String())
			if diff := cmp.Diff(tt.want[0], got[0]); diff != "" {
				t.Errorf("GET %s header diff (-want +got):\n%s", tt.path, diff)
			}
			byKey := map[string][]string{}
			for _, r := range got[1:] {
				byKey[strings.Join(r[:tt.key], ",")] = r
			}
			for _, want := range tt.want[1:] {
				if diff := cmp.Diff(want, byKey[strings.Join(want[:tt.key], ",")]); diff != "" {
					t.Errorf("GET %s row %v diff (-want +got):\n%s", tt.path, want[:tt.key], diff)
				}
			}
			if strings.HasSuffix(tt.path, "checklist.csv") || strings.HasSuffix(tt.path, "stock.csv") {
				if len(got) != len(tt.want) {
					t.Errorf("GET %s = %d rows, want %d: %v", tt.path, len(got), len(tt.want), got)
				}
			}
		}
	})
}

func TestReportAPIFigures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		f := reportsFixture(h)
		var a struct {
			Assessments []assessmentJSON `json:"assessments"`
		}
		getJSON(t, h, "/api/v1/reports/assessments", f.token, &a)
		fifty, hundred := 50.0, 100.0
		wantIPC := []formJSON{{Form: "baseline", Nurses: 2, MeanPct: &fifty}, {Form: "midline"}, {Form: "endline", Nurses: 1, MeanPct: &hundred}}
		for _, row := range a.Assessments {
			if row.Topic == "ipc" {
				if diff := cmp.Diff(wantIPC, row.Forms); diff != "" {
					t.Errorf("assessments ipc diff (-want +got):\n%s", diff)
				}
			}
		}
		var c struct {
			Active int              `json:"active_nurses"`
			Topics []completionJSON `json:"topics"`
		}
		getJSON(t, h, "/api/v1/reports/completion", f.token, &c)
		if c.Active != 2 || len(c.Topics) != 4 || c.Topics[3].Topic != "ipc" || c.Topics[3].AllLessons != 1 || c.Topics[3].Pct != 50 ||
			c.Topics[3].Lessons[0] != (lessonJSON{Lesson: "ipc-greet", Title: "Greet, praise, listen", Completed: 2}) {
			t.Errorf("completion = %+v, want 2 active, ipc finished by 1 (50%%), ipc-greet by 2", c)
		}
		var ch struct {
			Checklist []checklistJSON `json:"checklist"`
		}
		getJSON(t, h, "/api/v1/reports/checklist", f.token, &ch)
		want := []checklistJSON{{Month: "2025-03", Topic: "ipc", Title: "Talking with caregivers", Done: 2, Partly: 1, NotDone: 1}}
		if diff := cmp.Diff(want, ch.Checklist); diff != "" {
			t.Errorf("checklist diff (-want +got):\n%s", diff)
		}
		var s struct {
			Facilities []stockJSON `json:"facilities"`
		}
		getJSON(t, h, "/api/v1/reports/stock", f.adminToken, &s)
		var levels []string
		for _, r := range s.Facilities {
			levels = append(levels, r.Facility.Code+" "+r.Level+" "+r.Status)
		}
		if diff := cmp.Diff([]string{"F-Embakasi high overstock", "F-Kibra low below_order_point"}, levels); diff != "" {
			t.Errorf("stock for an admin diff (-want +got):\n%s", diff)
		}
	})
}

func getJSON(t *testing.T, h *harness, path, token string, v any) {
	t.Helper()
	rec := h.api("GET", path, token, "")
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s = %d %s", path, rec.Code, rec.Body)
	}
	if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
		t.Fatalf("GET %s: %v in %s", path, err, rec.Body)
	}
}

// TestReportsScoped reads every report and question route as Kibra's
// supervisor: nothing of Embakasi's shows, and Embakasi's question is 404.
func TestReportsScoped(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		f := reportsFixture(h)
		b, _ := h.loggedIn("wanjiru")
		pages := []string{"/admin/reports", "/admin/reports/assessments.csv", "/admin/reports/completion.csv",
			"/admin/reports/checklist.csv", "/admin/reports/stock.csv", "/admin/questions", "/admin/questions.csv",
			"/admin/evaluation", "/admin/reports/evaluation.csv", "/admin/reports/evaluation-items.csv",
			"/admin/reports/evaluation-stock.csv"}
		for _, p := range pages {
			rec := b.get(p)
			if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), "Embakasi") || strings.Contains(rec.Body.String(), "Chebet") {
				t.Errorf("GET %s = %d, want 200 without Embakasi's rows:\n%s", p, rec.Code, rec.Body)
			}
		}
		for _, p := range []string{"/api/v1/reports/assessments", "/api/v1/reports/completion", "/api/v1/reports/checklist",
			"/api/v1/reports/stock", "/api/v1/reports/evaluation", "/api/v1/questions"} {
			rec := h.api("GET", p, f.token, "")
			if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), "Embakasi") || strings.Contains(rec.Body.String(), "Chebet") {
				t.Errorf("GET %s = %d, want 200 without Embakasi's rows:\n%s", p, rec.Code, rec.Body)
			}
		}
		statuses := []struct {
			path   string
			status int
		}{
			{fmt.Sprintf("/admin/questions/%d", f.embakasiQ), http.StatusNotFound},
			{fmt.Sprintf("/admin/questions/%d", f.kibraQ), http.StatusOK},
			{"/admin/questions/nope", http.StatusNotFound},
			{fmt.Sprintf("/api/v1/questions/%d", f.embakasiQ), http.StatusNotFound},
			{fmt.Sprintf("/api/v1/questions/%d", f.kibraQ), http.StatusOK},
		}
		for _, tt := range statuses {
			var code int
			if strings.HasPrefix(tt.path, "/api/") {
				code = h.api("GET", tt.path, f.token, "").Code
			} else {
				code = b.get(tt.path).Code
			}
			if code != tt.status {
				t.Errorf("GET %s = %d, want %d", tt.path, code, tt.status)
			}
		}
		if rec := h.api("GET", "/api/v1/reports/stock", f.adminToken, ""); !strings.Contains(rec.Body.String(), "Embakasi") {
			t.Errorf("an admin's stock report lacks Embakasi: %s", rec.Body)
		}
	})
}

func TestQuestionsPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		f := reportsFixture(h)
		storetest.Answered(t, db, f.kibraQ, f.mentor, "Wakati wa kuzaliwa.", h.now)
		b, _ := h.loggedIn("wanjiru")
		page := b.get(fmt.Sprintf("/admin/questions/%d", f.kibraQ)).Body.String()
		for _, want := range []string{"Je, BCG &lt;inapewa&gt; lini?", "Wakati wa kuzaliwa.", "by Dama", "Kibra Health Centre"} {
			if !strings.Contains(page, want) {
				t.Errorf("question page lacks %q:\n%s", want, page)
			}
		}
		got := records(t, b.get("/admin/questions.csv").Body.String())
		want := [][]string{
			{"id", "asked_at", "nurse", "phone", "facility", "sub_county", "source", "question", "answer", "answered_by", "answered_at", "escalated_at",
				"state", "mentor", "handed_to", "closed_at"},
			{fmt.Sprint(f.kibraQ), "2025-03-01T08:00:00Z", "Achieng", "+254711000001", "Kibra Health Centre", "Kibra", "sms",
				"Je, BCG <inapewa> lini?", "Wakati wa kuzaliwa.", "Dama", "2025-03-10T06:00:00Z", "", "answered", "", "", ""},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("questions.csv diff (-want +got):\n%s", diff)
		}
		var list struct {
			Questions []questionJSON `json:"questions"`
		}
		getJSON(t, h, "/api/v1/questions", f.token, &list)
		if len(list.Questions) != 1 || list.Questions[0].AnsweredBy != "Dama" || list.Questions[0].Nurse.Name != "Achieng" || list.Questions[0].AnsweredAt == nil {
			t.Errorf("GET /api/v1/questions = %+v, want Achieng's question answered by Dama", list.Questions)
		}
	})
}

// TestReportsPageCharts checks that each chart of the page is well-formed
// XML with a title, and that a data table follows it.
func TestReportsPageCharts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		reportsFixture(h)
		b, _ := h.loggedIn("wanjiru")
		rec := b.get("/admin/reports")
		if rec.Code != http.StatusOK {
			t.Fatalf("GET /admin/reports = %d", rec.Code)
		}
		page := rec.Body.String()
		var svgs []string // the charts, each over its table (stock trends sit in cells)
		for _, s := range strings.Split(page, "<svg ")[1:] {
			if strings.Contains(s[:strings.Index(s, ">")], `class="chart"`) {
				svgs = append(svgs, s)
			}
		}
		if len(svgs) != 3 {
			t.Fatalf("reports page has %d charts, want 3", len(svgs))
		}
		for i, s := range svgs {
			doc := "<svg " + s[:strings.Index(s, "</svg>")+len("</svg>")]
			if title := svgTitle(t, doc); title == "" {
				t.Errorf("chart %d has no title", i)
			}
			if after := s[strings.Index(s, "</svg>"):]; !strings.Contains(after[:min(len(after), 400)], "<table>") {
				t.Errorf("chart %d is not followed by its data table", i)
			}
		}
		for _, want := range []string{"50% (2)", "100% (1)", "1 of 2 (50%)", `href="/admin/static/charts.css?v=`} {
			if !strings.Contains(page, want) {
				t.Errorf("reports page lacks %q", want)
			}
		}
	})
}

// svgTitle parses an SVG document and returns the text of its first title.
func svgTitle(t *testing.T, doc string) string {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(doc))
	title, inTitle := "", false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return title
		}
		if err != nil {
			t.Fatalf("chart is not well-formed XML: %v\n%s", err, doc)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			inTitle = tk.Name.Local == "title" && title == ""
		case xml.CharData:
			if inTitle {
				title = string(tk)
			}
		case xml.EndElement:
			inTitle = false
		}
	}
}

// TestEvaluationReport reads the evaluation as Kibra's supervisor: Achieng
// took the baseline (ipc 50%) and the endline (100%), Baraka only the
// baseline. Only Achieng is compared; Baraka is lost.
func TestEvaluationReport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		f := reportsFixture(h)
		var got struct {
			Evaluation []map[string]any `json:"evaluation"`
		}
		getJSON(t, h, "/api/v1/reports/evaluation", f.token, &got)
		var ipc map[string]any
		rows := 0
		for _, row := range got.Evaluation {
			if row["level"] == "all" && row["topic"] == "ipc" && row["later_form"] == "endline" {
				ipc = row
				rows++
			}
		}
		if rows != 1 {
			t.Errorf("evaluation: %d rows for all nurses, ipc, endline; want 1", rows)
		}
		want := map[string]any{"n_paired": 1.0, "n_lost": 1.0, "n_unpaired": 0.0, "baseline_mean_pct": 50.0, "later_mean_pct": 100.0,
			"mean_change": 50.0, "ci95_low": nil, "p": nil, "improved_pct": 100.0}
		for k, v := range want {
			if ipc == nil || ipc[k] != v {
				t.Errorf("evaluation, all nurses, ipc, endline: %s = %v, want %v (%v)", k, ipc[k], v, ipc)
			}
		}
		b, _ := h.loggedIn("wanjiru")
		csv := records(t, b.get("/admin/reports/evaluation.csv").Body.String())
		wantRow := []string{"all", "All nurses", "", "ipc", "endline", "1", "1", "0", "50", "100", "50", "", "", "", "", "100.0", "0.0", "0.0"}
		found := false
		for _, r := range csv {
			found = found || strings.Join(r, ",") == strings.Join(wantRow, ",")
		}
		if !found {
			t.Errorf("evaluation.csv lacks %v:\n%v", wantRow, csv)
		}
		if err := db.OpenAssessment(context.Background(), "midline", h.now.Add(-time.Hour), h.now.Add(24*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if page := b.get("/admin/evaluation").Body.String(); !strings.Contains(page, "All nurses") || !strings.Contains(page, "100% / 0% / 0%") ||
			!strings.Contains(page, "midline open") {
			t.Errorf("evaluation page lacks the comparison:\n%s", page)
		}
		// Beside it, the stock data: Kibra's one graded calculation is below
		// the order point, none within the policy.
		var withStock struct {
			Stock []stockShareJSON `json:"stock_in_policy"`
		}
		getJSON(t, h, "/api/v1/reports/evaluation", f.token, &withStock)
		wantStock := []stockShareJSON{{Level: "all", Group: "All nurses", Graded: 1}, {Level: "sub_county", Group: "Kibra", Code: "Kibra", Graded: 1},
			{Level: "facility", Group: "Kibra Health Centre", Code: "F-Kibra", Graded: 1}}
		if d := cmp.Diff(wantStock, withStock.Stock); d != "" {
			t.Errorf("stock_in_policy (-want +got):\n%s", d)
		}
		// And the checklist: the March visit's 4 answers, 2 of them done.
		var withChecklist struct {
			Checklist []checklistShareJSON `json:"checklist_done"`
		}
		getJSON(t, h, "/api/v1/reports/evaluation", f.token, &withChecklist)
		wantChecklist := []checklistShareJSON{{Month: "2025-03", Answers: 4, Done: 2, Pct: 50}}
		if d := cmp.Diff(wantChecklist, withChecklist.Checklist); d != "" {
			t.Errorf("checklist_done (-want +got):\n%s", d)
		}
		if page := b.get("/admin/evaluation").Body.String(); !strings.Contains(page, "Checklist items done, by month") || !strings.Contains(page, "2 (50%)") {
			t.Errorf("evaluation page lacks the checklist measure:\n%s", page)
		}
	})
}
