package ussd

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/lessons/screen"
	"github.com/chanjo-health/chanjo/lessons/screen/screentest"
	"github.com/chanjo-health/chanjo/lessons/stock"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

func (s *countingStore) SaveCalculationFor(ctx context.Context, id int64, calc, vaccine string, inputs, result []byte, status string) error {
	if err := s.hit(); err != nil {
		return err
	}
	return s.Store.SaveCalculationFor(ctx, id, calc, vaccine, inputs, result, status)
}

// stockDial dials with a fresh session id and returns a function that
// sends the next input and returns the answer.
func stockDial(t *testing.T, e *testEnv, sid, phone string) func(in string) string {
	t.Helper()
	text := ""
	if code, body := e.post(sid, phone, ""); code != 200 || !strings.HasPrefix(body, "CON ") {
		t.Fatalf("dial %s = %d %q", phone, code, body)
	}
	return func(in string) string {
		text = joinText(text, in)
		_, body := e.post(sid, phone, text)
		return body
	}
}

// TestStockHopCost checks that typing the numbers costs no SQL: only the
// hop that completes the calculation writes it, once; its pages read nothing.
func TestStockHopCost(t *testing.T) {
	e := newTestEnv(t, false)
	h := &redisCounter{}
	e.kv.AddHook(h)
	const p = "+254700000021"
	e.post("warm-up", "+254700000022", "")
	e.post("S", p, "")
	hops := []struct {
		name, text string
		sql        int64
	}{
		{"stock menu", "3", 0},
		{"order quantity", "3*2", 0},
		{"vaccine", "3*2*2", 0},
		{"AMC", "3*2*2*400", 0},
		{"refused stock on hand", "3*2*2*400*99999999", 0},
		{"stock on hand", "3*2*2*400*99999999*150", 0},
		{"in transit completes and stores", "3*2*2*400*99999999*150*50", 1},
		{"next page of the result", "3*2*2*400*99999999*150*50*98", 0},
		{"back to the stock menu", "3*2*2*400*99999999*150*50*98*0*0", 0},
	}
	for _, hop := range hops {
		got, body := e.measure(h, "S", p, hop.text)
		if got.sql != hop.sql || got.trips != 2 {
			t.Errorf("%s: hop(%q) cost = %+v, want %d SQL statements and 2 Redis round trips (answer %q)", hop.name, hop.text, got, hop.sql, body)
		}
	}
}

// storedCalc is a row of stock_calculations as a test reads it.
type storedCalc struct {
	Worker     int64
	Facility   string
	Calculator string
	Vaccine    string
	Inputs     string
	Result     string
	Status     string
}

// storedCalcs returns the calculations stored with a facility.
func storedCalcs(t *testing.T, db *store.DB) []storedCalc {
	t.Helper()
	var rows []storedCalc
	for _, c := range storetest.Calculations(t, db) {
		if c.FacilityID.Valid {
			rows = append(rows, storedCalc{c.WorkerID, c.FacilityCode, c.Calculator, c.Vaccine, c.Inputs, c.Result, c.Status})
		}
	}
	return rows
}

// TestStockStored checks what a completed calculation leaves for
// supervisors: the worker, her facility, the inputs and the answer in the
// JSON API's shape, stored once even when the gateway replays the session.
func TestStockStored(t *testing.T) {
	e := newTestEnv(t, false)
	const p = "+254700000023"
	w, err := e.db.WorkerByPhone(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	hop := stockDial(t, e, "T", p)
	for _, in := range []string{"3", "2", "2", "400", "150"} { // the stock menu, order quantity, bOPV, AMC, on hand
		hop(in)
		if n := len(storedCalcs(t, e.db)); n != 0 {
			t.Fatalf("after %q: %d calculations stored, want none before the last number", in, n)
		}
	}
	hop("50")
	// The same text in another session of the gateway is replayed from the
	// first screen: the calculation must not be stored twice.
	e.post("T2", p, "3*2*2*400*150*50")
	rows := storedCalcs(t, e.db)
	if len(rows) != 1 {
		t.Fatalf("stored calculations = %d, want 1: %+v", len(rows), rows)
	}
	got := rows[0]
	if got.Worker != w.ID || got.Facility != store.DemoFacilityCode || got.Calculator != "order-quantity" || got.Vaccine != "bopv" || got.Status != "within_policy" {
		t.Errorf("stored calculation = worker %d, facility %s, %s, %s, status %s; want worker %d, facility %s, order-quantity, bopv, within_policy",
			got.Worker, got.Facility, got.Calculator, got.Vaccine, got.Status, w.ID, store.DemoFacilityCode)
	}
	var inputs map[string]any
	if err := json.Unmarshal([]byte(got.Inputs), &inputs); err != nil {
		t.Fatalf("inputs %q: %v", got.Inputs, err)
	}
	wantInputs := map[string]any{"amc": 400.0, "stock_on_hand": 150.0, "in_transit": 50.0, "doses_per_vial": 20.0,
		"supply_months": 1.0, "safety_fraction": 0.25, "lead_days": 7.0, "vaccine": "bopv"}
	if d := cmp.Diff(wantInputs, inputs); d != "" {
		t.Errorf("stored inputs (-want +got):\n%s", d)
	}
	var ans stock.Answer
	if err := json.Unmarshal([]byte(got.Result), &ans); err != nil {
		t.Fatalf("result %q: %v", got.Result, err)
	}
	if ans.Calculator != "order-quantity" || ans.Values["order_doses"] != 300.0 || ans.Values["order_vials"] != 15.0 ||
		ans.Values["maximum_stock"] != 500.0 || ans.Status.Text.In("en") == "" || ans.Status.Text.In("sw") == "" || len(ans.Formula) != 4 {
		t.Errorf("stored result = %s, want the API's answer: 300 doses, 15 vials, maximum 500, status and the four formulas", got.Result)
	}
}

// TestStockEntryNavigation checks the entry screens' rules: 00 goes back
// and is never a number, 0 is a number, and anything but digits is asked
// again; spaces around a number are ignored.
func TestStockEntryNavigation(t *testing.T) {
	e := newTestEnv(t, false)
	hop := stockDial(t, e, "N", "+254700000024")
	hop("3")
	hop("1")
	hop("3")
	steps := []struct{ in, want string }{
		{"00", "Months of stock: choose the vaccine"},
		{"3", "Months of stock, Penta 1/2"},
		{"0", "Months of stock, Penta 2/2"},
		{"00", "Months of stock, Penta 1/2"},
		{"12.5", "Enter a whole number."},
		{"-3", "Enter a whole number."},
		{"", "Enter a whole number."},
		{"1 000", "Enter a whole number."},
		{" 90 ", "Months of stock, Penta 2/2"}, // spaces around a number are not refused
		{"9.5", "Enter a whole number."},
		{"0", "Penta: months of stock N/A"},
	}
	for _, s := range steps {
		if got := hop(s.in); !strings.Contains(got, s.want) {
			t.Errorf("Step(%q) = %q, want it to show %q", s.in, got, s.want)
		}
	}
}

// extremes are tried in turn on every question: the first is refused by
// every calculator, the others are the largest numbers some accept.
var extremes = []string{"99999999999", "10000000", "8000000", "100", "12", "10"}

// TestStockScreensFit runs every calculator in both languages with the
// longest vaccine name and the largest numbers it accepts, and refused
// numbers on every question: each answer fits one screen of the USSD
// character set, no question or notice is cut, and the result's pages hold
// its status and formulas whole.
func TestStockScreensFit(t *testing.T) {
	pack, err := lessons.Default()
	if err != nil {
		t.Fatal(err)
	}
	longest := 0
	for i, v := range pack.Settings.Vaccines {
		if len(v.Name) > len(pack.Settings.Vaccines[longest].Name) {
			longest = i
		}
	}
	e := newTestEnv(t, false)
	for ci, calc := range onPhone() {
		for li, lang := range []string{"en", "sw"} {
			phone := store.DemoNursePhone(30 + 2*ci + li)
			w, err := e.db.WorkerByPhone(context.Background(), phone)
			if err == nil {
				err = e.db.SetLanguage(context.Background(), w.ID, lang)
			}
			if err != nil {
				t.Fatal(err)
			}
			t.Run(calc.Name+"/"+lang, func(t *testing.T) {
				runExtremes(t, e, calc, lang, phone, strconv.Itoa(longest+1))
			})
		}
	}
}

// menuPath is what a nurse types from the stock menu to open calc: its
// item, or its group's and its own.
func menuPath(calc stock.Calculator) []string {
	var top []string
	seen := map[string]bool{}
	var group []string
	for _, c := range onPhone() {
		switch {
		case c.Group == "":
			top = append(top, c.Name)
		case !seen[c.Group]:
			seen[c.Group] = true
			top = append(top, "group:"+c.Group)
		}
		if c.Group == calc.Group && c.Group != "" {
			group = append(group, c.Name)
		}
	}
	want := calc.Name
	if calc.Group != "" {
		want = "group:" + calc.Group
	}
	path := []string{strconv.Itoa(slices.Index(top, want) + 1)}
	if calc.Group != "" {
		path = append(path, strconv.Itoa(slices.Index(group, calc.Name)+1))
	}
	return path
}

func runExtremes(t *testing.T, e *testEnv, calc stock.Calculator, lang, phone, vaccine string) {
	hop := stockDial(t, e, "X"+phone, phone)
	var path []string
	check := func(in, body string) string {
		t.Helper()
		text := strings.TrimPrefix(strings.TrimPrefix(body, "CON "), "END ")
		if len(text) > screen.MaxLen || screentest.Check(text) != nil {
			t.Fatalf("after %q: screen of %d characters (%v): %q", strings.Join(path, "*"), len(text), screentest.Check(text), text)
		}
		return text
	}
	open := append([]string{"3"}, menuPath(calc)...)
	if calc.Vaccine {
		open = append(open, vaccine)
	}
	for _, in := range open {
		path = append(path, in)
		check(in, hop(in))
	}
	settings := stockSettings(&Ctx{m: e.svc.m})
	n, _ := strconv.Atoi(vaccine)
	v := stock.NewValues(settings)
	if calc.Vaccine {
		v.Vaccine = settings.Vaccines[n-1]
	}
	var body string
	for i, in := range calc.Inputs {
		if !in.Asked() {
			continue
		}
		prompt := e.svc.m.pack.Say(lang, in.Prompt)
		for _, x := range extremes {
			path = append(path, x)
			body = check(x, hop(x))
			if strings.HasPrefix(body, "Not accepted") || strings.HasPrefix(body, "Haikubaliki") {
				if !strings.Contains(body, prompt) {
					t.Fatalf("question %d after %q: the prompt %q is cut: %q", i+1, x, prompt, body)
				}
				continue
			}
			f, _ := in.Typed(x)
			v.Set(in.Key, f)
			break
		}
	}
	pages := body
	for strings.Contains(body, navLabels(lang).More) && len(path) < 40 {
		path = append(path, "98")
		body = check("98", hop("98"))
		pages += "\n" + body
	}
	flat := strings.Join(strings.Fields(pages), " ")
	res, err := calc.Calculate(v)
	if err != nil {
		t.Fatalf("%s with %v: %v", calc.Name, path, err)
	}
	for _, want := range append([]lessons.Text{res.Headline, res.Status.Text}, res.Shown...) {
		for _, line := range strings.Split(want.In(lang), "\n") {
			if !strings.Contains(flat, strings.Join(strings.Fields(line), " ")) {
				t.Errorf("%s result pages %q: missing %q", calc.Name, pages, line)
			}
		}
	}
}

// TestStockOlderSession checks a session saved on a calculator this
// release does not have, or whose calculation it no longer holds: its
// screens behave as the stock menu.
func TestStockOlderSession(t *testing.T) {
	e := newTestEnv(t, false)
	held := &Calc{Name: "months-of-stock"} // no values: not this release's shape
	for _, tt := range []struct {
		f    Frame
		calc *Calc
	}{
		{Frame{State: StStockAsk, Key: "gone"}, nil},
		{Frame{State: StStockVaccine, Key: "gone"}, nil},
		{Frame{State: StStockResult, Key: "gone"}, nil},
		{Frame{State: StStockAsk, Key: "months-of-stock"}, nil},
		{Frame{State: StStockResult, Key: "months-of-stock"}, held},
	} {
		f := tt.f
		s := Session{Frames: []Frame{{State: StHome}, {State: StStock}, f}, Nurse: Nurse{ID: 1, Lang: "en"}, Work: Work{Calc: tt.calc}}
		s.Shape = Shape{Kind: screen.Menu, Items: make([]Frame, 6)} // the stock menu it was shown as
		next, reply, err := e.svc.m.Step(context.Background(), "+254700000025", s, "1")
		if err != nil || next.Top().State != StStockVaccine || !strings.Contains(reply, "Months of stock: choose the vaccine") {
			t.Errorf("Step(%v, 1) = %q, %v, want months of stock's vaccine", f, reply, err)
		}
	}
}
