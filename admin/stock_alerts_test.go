package admin

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/lessons/stock"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// calculate stores worker's order-quantity calculation of vaccine as the
// USSD menu does: the answer the stock package gives for the numbers.
func (h *harness) calculate(worker int64, vaccine string, maximum, orderPoint, onHand float64) {
	h.t.Helper()
	r, err := stock.OrderQuantity(stock.Order{Maximum: maximum, OrderPoint: orderPoint, OnHand: onHand, DosesPerVial: 10})
	if err != nil {
		h.t.Fatal(err)
	}
	ans := stock.NewAnswer("order-quantity", map[string]any{"doses": r.Doses}, r.Status, r.Formula)
	result, err := json.Marshal(ans)
	if err != nil {
		h.t.Fatal(err)
	}
	inputs := []byte(fmt.Sprintf(`{"on_hand":%g}`, onHand))
	if err := h.db.SaveCalculationFor(context.Background(), worker, "order-quantity", vaccine, inputs, result, string(r.Status.Code)); err != nil {
		h.t.Fatal(err)
	}
}

// TestPentaAlertSurvivesBCG is issue 16's finding 2 turned around: a
// Penta calculation (order 470 doses now) stays an alert after a later BCG
// calculation (adequate) at the same facility, on the console, in the CSV
// and in the API, naming the vaccine, the numbers, the action and the
// trend.
func TestPentaAlertSurvivesBCG(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		h.user("wanjiru", store.RoleSupervisor, "Kibra")
		token := h.token(h.user("root", store.RoleAdmin))
		n1 := h.worker("Achieng", "+254711000001", "Kibra", store.StatusActive)
		at := time.Date(2025, 3, 3, 7, 0, 0, 0, time.UTC)
		for i, c := range []struct {
			vaccine                     string
			maximum, orderPoint, onHand float64
		}{
			{"penta", 600, 300, 400}, // above the order point: no alert
			{"penta", 600, 300, 130}, // order 470 doses now
			{"bcg", 400, 200, 350},   // within: no alert, and no cover for Penta
		} {
			db.Now = func() time.Time { return at.Add(time.Duration(i) * 24 * time.Hour) }
			h.calculate(n1, c.vaccine, c.maximum, c.orderPoint, c.onHand)
		}
		b, _ := h.loggedIn("wanjiru")
		rec := b.get("/admin/reports")
		page := rec.Body.String()
		for _, want := range []string{"Penta", "order 470 doses (47 vials) now", "maximum - (on hand", "= 470",
			"3 Mar ok → 4 Mar below order point"} {
			if !strings.Contains(page, want) {
				t.Errorf("GET /admin/reports = %d, lacks %q", rec.Code, want)
			}
		}
		if strings.Contains(page, ">BCG<") {
			t.Errorf("GET /admin/reports lists BCG, whose stock is within the policy")
		}
		csv := records(t, b.get("/admin/reports/stock.csv").Body.String())
		if len(csv) != 2 || csv[1][3] != "penta" || !strings.Contains(csv[1][7], "470") {
			t.Errorf("stock.csv = %q, want one penta line ordering 470", csv)
		}
		var s struct {
			Facilities []stockJSON `json:"facilities"`
		}
		getJSON(t, h, "/api/v1/reports/stock", token, &s)
		if len(s.Facilities) != 1 || s.Facilities[0].Vaccine != "penta" || len(s.Facilities[0].Trend) != 2 {
			t.Errorf("GET /api/v1/reports/stock = %+v, want the penta alert with two calculations in its trend", s.Facilities)
		}
		if rec := h.api(http.MethodGet, "/api/v1/reports/stock", token, ""); !strings.Contains(rec.Body.String(), `"numbers":"order = maximum`) {
			t.Errorf("API stock lacks the numbers: %s", rec.Body)
		}
	})
}
