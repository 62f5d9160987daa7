package admin

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// TestReportFiltersAndNurses is issue 16's finding 7 turned around: every
// report narrows by facility, group and period (console, CSV, API), and a
// per-nurse table says who is behind, scoped to the supervisor's
// sub-counties.
func TestReportFiltersAndNurses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		f := reportsFixture(h)
		b, _ := h.loggedIn("wanjiru")
		page := b.get("/admin/reports").Body.String()
		baraka, achieng := strings.Index(page, ">Baraka</a>"), strings.Index(page, ">Achieng</a>")
		if baraka < 0 || achieng < 0 || baraka > achieng {
			t.Errorf("per-nurse table: Baraka at %d, Achieng at %d; want both, Baraka (fewer lessons) first", baraka, achieng)
		}
		if strings.Contains(page, ">Chebet</a>") || strings.Contains(page, ">Dama</a>") {
			t.Errorf("per-nurse table lists Embakasi's nurse or a mentor")
		}
		if !strings.Contains(page, "&#43;25.0 points") {
			t.Errorf("per-nurse table lacks Achieng's change, 75%% to 100%%: %s", page[strings.Index(page, "id=\"nurses\""):strings.Index(page, "id=\"assessments\"")])
		}

		g, err := db.CreateGroup(context.Background(), store.Scope{Admin: true}, 0, "Baraka's group", barakaID(t, h))
		if err != nil {
			t.Fatal(err)
		}
		q := fmt.Sprintf("?group=%d", g.ID)
		page = b.get("/admin/reports" + q).Body.String()
		if strings.Contains(page, ">Achieng</a>") || !strings.Contains(page, ">Baraka</a>") {
			t.Errorf("GET /admin/reports%s: per-nurse table not narrowed to Baraka", q)
		}
		if !strings.Contains(page, `href="/admin/reports/nurses.csv`+q+`"`) || !strings.Contains(page, `href="/admin/reports/stock.csv`+q+`"`) {
			t.Errorf("GET /admin/reports%s: CSV links do not keep the filter", q)
		}
		if rows := records(t, b.get("/admin/reports/nurses.csv"+q).Body.String()); len(rows) != 2 || rows[1][0] != "Baraka" {
			t.Errorf("nurses.csv%s = %q, want Baraka alone", q, rows)
		}
		if rows := records(t, b.get("/admin/reports/stock.csv"+q).Body.String()); len(rows) != 1 {
			t.Errorf("stock.csv%s = %q, want none: Achieng calculated", q, rows)
		}

		page = b.get("/admin/reports?from=2025-04-01").Body.String()
		if !strings.Contains(page, "No checklist filled") || !strings.Contains(page, "No vaccine's latest calculation") {
			t.Errorf("GET /admin/reports?from=2025-04-01 still shows March's visits or stock: %s", page[strings.Index(page, "id=\"checklist\""):])
		}
		if rows := records(t, b.get("/admin/reports/checklist.csv?facility=F-Kibra&to=2025-03-31").Body.String()); len(rows) != 2 {
			t.Errorf("checklist.csv for F-Kibra to March = %q, want March's line", rows)
		}

		if rec := b.get("/admin/reports?from=2025-13-01"); rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "from must be a day") {
			t.Errorf("GET /admin/reports?from=2025-13-01 = %d, want 400 naming from", rec.Code)
		}
		if rec := b.get("/admin/evaluation?group=x"); rec.Code != http.StatusBadRequest {
			t.Errorf("GET /admin/evaluation?group=x = %d, want 400", rec.Code)
		}
		var ev struct {
			Evaluation []struct {
				Level string `json:"level"`
				Group string `json:"group"`
			} `json:"evaluation"`
		}
		getJSON(t, h, "/api/v1/reports/evaluation?facility=F-Embakasi", f.adminToken, &ev)
		facilities := 0
		for _, e := range ev.Evaluation {
			if e.Level == "facility" {
				facilities++
			}
			if e.Group == "Kibra" || e.Group == "Kibra Health Centre" {
				t.Errorf("evaluation for F-Embakasi has a line of %q", e.Group)
			}
		}
		if facilities == 0 {
			t.Errorf("evaluation for F-Embakasi has no facility line: %+v", ev.Evaluation)
		}
		rec := h.api(http.MethodGet, "/api/v1/reports/nurses?group=x", f.token, "")
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `"group"`) {
			t.Errorf("GET /api/v1/reports/nurses?group=x = %d %s, want 422 naming group", rec.Code, rec.Body)
		}
		var n struct {
			Nurses []nurseProgressJSON `json:"nurses"`
		}
		getJSON(t, h, "/api/v1/reports/nurses", f.token, &n)
		var names []string
		for _, r := range n.Nurses {
			names = append(names, fmt.Sprint(r.Name, " ", r.ChangePoints))
		}
		if fmt.Sprint(names) != "[Baraka <nil> Achieng 25]" {
			t.Errorf("GET /api/v1/reports/nurses = %q, want Baraka then Achieng (+25)", names)
		}
	})
}

// barakaID is the fixture's second Kibra nurse.
func barakaID(t *testing.T, h *harness) int64 {
	t.Helper()
	w, err := h.db.WorkerByPhone(t.Context(), "+254711000002")
	if err != nil || w.Name != "Baraka" {
		t.Fatalf("the fixture's Baraka = %+v, %v", w, err)
	}
	return w.ID
}

// TestEvaluationFilterForm: the evaluation page has the reports' filter
// form, showing the filter it was opened with (a group of the
// supervisor's to pick), and its CSV links keep the filter.
func TestEvaluationFilterForm(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		reportsFixture(h)
		g, err := db.CreateGroup(context.Background(), store.Scope{Admin: true}, 0, "Baraka's group", barakaID(t, h))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := h.loggedIn("wanjiru")
		q := fmt.Sprintf("?facility=F-Kibra&from=2025-03-01&group=%d", g.ID)
		page := b.get("/admin/evaluation" + q).Body.String()
		for _, want := range []string{`<form method="get" action="/admin/evaluation" class="filter">`,
			`name="facility" value="F-Kibra"`, fmt.Sprintf(`<option value="%d" selected>Baraka&#39;s group</option>`, g.ID),
			`name="from" value="2025-03-01"`, `name="to" value=""`} {
			if !strings.Contains(page, want) {
				t.Errorf("GET /admin/evaluation%s lacks %s", q, want)
			}
		}
		keep := html.EscapeString(fmt.Sprintf("?facility=F-Kibra&from=2025-03-01&group=%d", g.ID))
		for _, csv := range []string{"evaluation.csv", "evaluation-items.csv", "evaluation-stock.csv"} {
			if !strings.Contains(page, `href="/admin/reports/`+csv+keep+`"`) {
				t.Errorf("GET /admin/evaluation%s: the %s link does not keep the filter", q, csv)
			}
		}
	})
}
