package admin

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/lessons/stock"
)

var update = flag.Bool("update", false, "rewrite the responses in docs/calculators.md from the running API")

// recorder is a CalculationSaver that keeps what it is given.
type recorder struct {
	saved []Calculation
	err   error
}

func (r *recorder) SaveCalculation(_ context.Context, c Calculation) error {
	if r.err != nil {
		return r.err
	}
	r.saved = append(r.saved, c)
	return nil
}

func newRouter(saver CalculationSaver) *gin.Engine {
	gin.SetMode(gin.TestMode)
	r := gin.New()
	NewCalculatorHandler(saver, stock.NewSettings(stock.Policy{}, nil), slog.New(slog.DiscardHandler)).Register(r.Group("/api/v1"))
	return r
}

func post(r http.Handler, name, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/api/v1/calculators/"+name, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	r.ServeHTTP(w, req)
	return w
}

// errorBody is the JSON API's error shape.
type errorBody struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

func TestCalculatorRejects(t *testing.T) {
	tests := []struct {
		name, calc, body string
		status           int
		code             string
		fields           map[string]string
	}{
		{"unknown calculator", "crystal-ball", `{}`, 404, "not_found", nil},
		{"not an object", "months-of-stock", `[1, 2]`, 422, "invalid", nil},
		{"broken JSON", "months-of-stock", `{"amc": 12`, 422, "invalid", nil},
		{"trailing data", "months-of-stock", `{"amc": 1, "stock_on_hand": 2} {}`, 422, "invalid", nil},
		{"unknown and missing fields", "months-of-stock", `{"vaccine": "bcg", "amc": 120, "stock": 10}`, 422, "invalid",
			map[string]string{"stock": "unknown field", "stock_on_hand": "is required"}},
		{"number as a string", "months-of-stock", `{"vaccine": "bcg", "amc": "120", "stock_on_hand": null}`, 422, "invalid",
			map[string]string{"amc": "must be a number", "stock_on_hand": "must be a number"}},
		{"negative", "months-of-stock", `{"vaccine": "bcg", "amc": -1, "stock_on_hand": 10}`, 422, "invalid",
			map[string]string{"amc": "must not be negative"}},
		{"no vaccine", "months-of-stock", `{"amc": 120, "stock_on_hand": 10}`, 422, "invalid",
			map[string]string{"vaccine": "is required: one of bcg, bopv, penta, pcv10, rota, ipv, mr, yf, malaria, hpv, td"}},
		{"unknown vaccine", "stock-count", `{"vaccine": "polio", "opening": 10, "received": 5, "closing": 2, "administered": 0}`, 422, "invalid",
			map[string]string{"vaccine": "unknown vaccine: one of bcg, bopv, penta, pcv10, rota, ipv, mr, yf, malaria, hpv, td"}},
		{"closing above opening + received", "stock-count", `{"vaccine": "bcg", "opening": 10, "received": 5, "closing": 20, "administered": 0}`, 422, "invalid",
			map[string]string{"closing": "data error: more than opening + received, recount"}},
		{"a 6-hour vaccine gave more than consumed", "stock-count", `{"vaccine": "mr", "opening": 100, "received": 100, "closing": 120, "administered": 84, "carried_open_doses": 5}`, 422, "invalid",
			map[string]string{"administered": "data error: more than doses consumed (vials are discarded after the session), recount"}},
		{"wastage of 100%", "wastage-factor", `{"wastage_rate": 1}`, 422, "invalid",
			map[string]string{"wastage_rate": "must be at most 99%"}},
		{"implausible wastage", "need-target-population", `{"vaccine": "penta", "target_population": 480, "doses_in_schedule": 3, "coverage_target": 0.9, "wastage_rate": 0.999999}`, 422, "invalid",
			map[string]string{"wastage_rate": "must be at most 99%"}},
		{"need without the nurse's wastage", "need-target-population", `{"vaccine": "penta", "target_population": 480, "doses_in_schedule": 3, "coverage_target": 0.9}`, 422, "invalid",
			map[string]string{"wastage_rate": "is required"}},
		{"bad month", "open-vial-wastage", `{"vaccine": "penta", "months": [{"opened": 10, "administered": 5}, {"opened": "x", "given": 1}]}`, 422, "invalid",
			map[string]string{"months[1].opened": "must be a number", "months[1].administered": "must be a number", "months[1].given": "unknown field"}},
		{"months not a list", "open-vial-wastage", `{"vaccine": "penta", "months": 3}`, 422, "invalid", map[string]string{"months": "must be a list of objects"}},
		{"amc and months", "need-consumption", `{"vaccine": "penta", "amc": 10, "months": []}`, 422, "invalid", map[string]string{"amc": "give either amc or months"}},
		{"maximum and amc", "order-quantity", `{"vaccine": "penta", "amc": 10, "maximum_stock": 10, "stock_on_hand": 1, "doses_per_vial": 10}`, 422, "invalid",
			map[string]string{"maximum_stock": "give either maximum_stock or amc"}},
		{"fractional vial size", "session-vials", `{"vaccine": "penta", "expected_children": 10, "doses_per_vial": 2.5}`, 422, "invalid",
			map[string]string{"doses_per_vial": "must be a whole number from 0 to 1,000,000"}},
		{"bad policy", "stock-levels", `{"vaccine": "penta", "amc": 10, "lead_days": 45}`, 422, "invalid",
			map[string]string{"lead_days": "must not exceed the supply period"}},
		{"bad counts", "dropout", `{"first_dose": 10, "later_dose": 9, "target_population": 100, "counts": "week"}`, 422, "invalid",
			map[string]string{"counts": `must be "year_to_date" or "month"`}},
		{"bad phone", "months-of-stock", `{"vaccine": "bcg", "amc": 1, "stock_on_hand": 2, "phone": 712345678}`, 422, "invalid",
			map[string]string{"phone": "must be a Kenyan phone number as a string"}},
		{"too large", "months-of-stock", `{"amc": 1, "stock_on_hand": 2, "note": "` + strings.Repeat("x", MaxCalculatorBody) + `"}`, 413, "too_large", nil},
	}
	saver := &recorder{}
	r := newRouter(saver)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := post(r, tt.calc, tt.body)
			var got errorBody
			if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
				t.Fatalf("POST %s: body %q is not JSON: %v", tt.calc, w.Body, err)
			}
			if w.Code != tt.status || got.Error.Code != tt.code || got.Error.Message == "" {
				t.Errorf("POST %s = %d %+v, want %d %q with a message", tt.calc, w.Code, got.Error, tt.status, tt.code)
			}
			if diff := cmp.Diff(tt.fields, got.Error.Fields); diff != "" {
				t.Errorf("POST %s fields mismatch (-want +got):\n%s", tt.calc, diff)
			}
		})
	}
	if len(saver.saved) != 0 {
		t.Errorf("rejected requests stored %d calculations, want 0", len(saver.saved))
	}
}

func TestCalculatorStoresOnlyWithPhone(t *testing.T) {
	const body = `{"vaccine": "penta", "maximum_stock": 150, "order_point": 58, "stock_on_hand": 40, "doses_per_vial": 10%s}`
	saver := &recorder{}
	r := newRouter(saver)
	if w := post(r, "order-quantity", strings.Replace(body, "%s", "", 1)); w.Code != 200 || len(saver.saved) != 0 {
		t.Fatalf("POST without phone = %d, stored %d; want 200, 0", w.Code, len(saver.saved))
	}
	w := post(r, "order-quantity", strings.Replace(body, "%s", `, "phone": "0712 345 678"`, 1))
	if w.Code != 200 || len(saver.saved) != 1 {
		t.Fatalf("POST with phone = %d, stored %d; want 200, 1", w.Code, len(saver.saved))
	}
	got := saver.saved[0]
	if got.Phone != "+254712345678" || got.Calculator != "order-quantity" || got.Vaccine != "penta" || got.Status != stock.CodeBelowOrderPoint {
		t.Errorf("stored %s %s %s %s, want +254712345678 order-quantity penta below_order_point", got.Phone, got.Calculator, got.Vaccine, got.Status)
	}
	// The stored inputs are those the calculation used: the numbers given,
	// the defaults of the ones left out (the pack's policy, the vaccine's
	// vial size) and the vaccine, never the phone; a calculation made on a
	// phone stores the same.
	var inputs map[string]any
	if err := json.Unmarshal(got.Inputs, &inputs); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"vaccine": "penta", "maximum_stock": 150.0, "order_point": 58.0, "stock_on_hand": 40.0, "doses_per_vial": 10.0,
		"in_transit": 0.0, "supply_months": 1.0, "safety_fraction": 0.25, "lead_days": 7.0}
	if d := cmp.Diff(want, inputs); d != "" {
		t.Errorf("stored inputs (-want +got):\n%s", d)
	}
	if !bytes.Equal(got.Result, bytes.TrimSpace(w.Body.Bytes())) {
		t.Errorf("stored result %s, want the response %s", got.Result, w.Body)
	}

	for _, tt := range []struct {
		err    error
		status int
	}{
		{ErrUnknownWorker, 422},
		{errors.New("disk full"), 500},
	} {
		w := post(newRouter(&recorder{err: tt.err}), "order-quantity", strings.Replace(body, "%s", `, "phone": "+254712345678"`, 1))
		if w.Code != tt.status {
			t.Errorf("POST with saver error %v = %d, want %d", tt.err, w.Code, tt.status)
		}
	}
	if w := post(newRouter(nil), "order-quantity", strings.Replace(body, "%s", `, "phone": "+254712345678"`, 1)); w.Code != 200 {
		t.Errorf("POST with phone and no saver = %d, want 200", w.Code)
	}
}

// TestCalculatorPolicyGrades is must-show 2 through the API: stock 100 and
// 180 at AMC 120 (monthly supply) get the same grade from months-of-stock,
// stock-levels and order-quantity; BCG at 65% wastage is flagged; a
// negative month of dropout is not a data error; 0.95 is warned about.
func TestCalculatorPolicyGrades(t *testing.T) {
	r := newRouter(nil)
	code := func(name, body string) (string, answer) {
		t.Helper()
		w := post(r, name, body)
		var a answer
		if err := json.Unmarshal(w.Body.Bytes(), &a); w.Code != 200 || err != nil {
			t.Fatalf("POST %s %s = %d %s", name, body, w.Code, w.Body)
		}
		return string(a.Status.Code), a
	}
	for _, tt := range []struct{ stock, want string }{{"100", "within_policy"}, {"180", "above_maximum"}} {
		body := `{"vaccine": "penta", "amc": 120, "stock_on_hand": ` + tt.stock + `}`
		for _, name := range []string{"months-of-stock", "stock-levels", "order-quantity"} {
			if got, _ := code(name, body); got != tt.want {
				t.Errorf("POST %s %s = %s, want %s", name, body, got, tt.want)
			}
		}
	}
	if got, _ := code("stock-count", `{"vaccine": "bcg", "opening": 100, "received": 100, "closing": 80, "administered": 42}`); got != "high_wastage" {
		t.Errorf("POST stock-count (BCG 65%%) = %s, want high_wastage", got)
	}
	if got, _ := code("dropout", `{"first_dose": 35, "later_dose": 41, "target_population": 480, "counts": "month"}`); got != "ok" {
		t.Errorf("POST dropout (a month of -17.1%%) = %s, want ok", got)
	}
	got, a := code("need-target-population", `{"vaccine": "penta", "target_population": 480, "doses_in_schedule": 3, "coverage_target": 0.9, "wastage_rate": 0.95}`)
	if got != "high_wastage" || len(a.Warnings) != 1 || !strings.Contains(a.Warnings[0].In("en"), "95.0% is very high") {
		t.Errorf("POST need-target-population (0.95) = %s, warnings %v; want high_wastage and a warning", got, a.Warnings)
	}
	w := post(r, "months-of-stock", `{"vaccine": "penta", "amc": 120, "stock_on_hand": 100}`)
	if !strings.Contains(w.Body.String(), "120 x 7 / 30 + 30 = 58") {
		t.Errorf("POST months-of-stock = %s, want the order-point arithmetic with the numbers", w.Body)
	}
}

// docBlock matches a fenced example in docs/calculators.md:
// ```json request NAME  or  ```json response NAME STATUS
var docBlock = regexp.MustCompile("(?ms)^```json (request|response) ([a-z-]+)(?: (\\d{3}))?\\n(.*?)^```\\n")

func TestDocsExamples(t *testing.T) {
	const path = "../docs/calculators.md"
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r := newRouter(nil)
	documented := map[string]bool{}
	var request, name string
	out := docBlock.ReplaceAllStringFunc(string(doc), func(block string) string {
		m := docBlock.FindStringSubmatch(block)
		if m[1] == "request" {
			request, name = m[4], m[2]
			return block
		}
		if m[2] != name {
			t.Errorf("docs: response for %s follows the request for %s", m[2], name)
			return block
		}
		documented[name] = true
		w := post(r, name, request)
		var pretty bytes.Buffer
		if err := json.Indent(&pretty, w.Body.Bytes(), "", "  "); err != nil {
			t.Fatalf("POST %s: %v", name, err)
		}
		status := strconv.Itoa(w.Code)
		if *update {
			return "```json response " + name + " " + status + "\n" + pretty.String() + "\n```\n"
		}
		if m[3] != status || m[4] != pretty.String()+"\n" {
			t.Errorf("POST %s %s = %s\n%s\nwant as documented: %s\n%s", name, request, status, pretty.String(), m[3], m[4])
		}
		return block
	})
	for _, calc := range stock.Calculators {
		if !documented[calc.Name] {
			t.Errorf("docs: calculator %s has no example", calc.Name)
		}
	}
	if *update {
		if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func BenchmarkOrderQuantity(b *testing.B) {
	r := newRouter(nil)
	body := `{"vaccine": "penta", "amc": 120, "stock_on_hand": 40, "in_transit": 20}`
	for b.Loop() {
		if w := post(r, "order-quantity", body); w.Code != 200 {
			b.Fatal(w.Code, w.Body)
		}
	}
}

// TestCalculatorDefaultsFromThePack: the API's optional inputs default to
// the settings the phone's calculators use: a pack without a stock policy
// gets the default policy (the API got the zero policy and refused every
// stock-levels request left without supply_months), a pack's own policy is
// used where a request leaves it out.
func TestCalculatorDefaultsFromThePack(t *testing.T) {
	for _, tt := range []struct {
		settings lessons.Settings
		want     float64
	}{
		{lessons.Settings{}, 120},
		{lessons.Settings{StockPolicy: stock.Policy{SupplyMonths: 2, SafetyFraction: 0.5, LeadDays: 14}}, 240},
	} {
		r := gin.New()
		NewCalculatorHandler(nil, tt.settings.Stock(), slog.New(slog.DiscardHandler)).Register(r.Group("/api/v1"))
		w := post(r, "stock-levels", `{"vaccine": "penta", "amc": 120}`)
		var a answer
		if err := json.Unmarshal(w.Body.Bytes(), &a); w.Code != 200 || err != nil || a.Values["period_need"] != tt.want {
			t.Errorf("stock-levels under %+v = %d %s, want period_need %v", tt.settings.StockPolicy, w.Code, w.Body, tt.want)
		}
	}
}
