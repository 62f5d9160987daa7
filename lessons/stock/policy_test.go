package stock

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func mustVaccine(t *testing.T, id string) Vaccine {
	t.Helper()
	v, ok := FindVaccine(DefaultVaccines(), id)
	if !ok {
		t.Fatalf("FindVaccine(%q): not found", id)
	}
	return v
}

// TestPolicyGradesAgree is finding 1: months of stock, stock levels and the
// order quantity grade the same stock the same way, against the policy's
// safety stock, order point and maximum.
func TestPolicyGradesAgree(t *testing.T) {
	tests := []struct {
		onHand float64
		want   Code
		order  float64
	}{
		{100, CodeWithinPolicy, 50},
		{180, CodeAboveMaximum, 0},
		{58, CodeBelowOrderPoint, 92},
		{20, CodeBelowSafety, 130},
		{0, CodeStockOut, 150},
	}
	for _, tt := range tests {
		levels, err := StockLevels(120, DefaultPolicy())
		if err != nil {
			t.Fatal(err)
		}
		months, err := MonthsOfStock(tt.onHand, 0, 120, DefaultPolicy())
		if err != nil {
			t.Fatal(err)
		}
		order, err := OrderQuantity(levels.Order(tt.onHand, 0, 10))
		if err != nil {
			t.Fatal(err)
		}
		got := []Code{months.Status.Code, levels.Grade(tt.onHand, 0).Code, order.Status.Code}
		for i, name := range []string{"months-of-stock", "stock-levels", "order-quantity"} {
			if got[i] != tt.want {
				t.Errorf("%s(stock %v, AMC 120) = %s, want %s", name, tt.onHand, got[i], tt.want)
			}
		}
		if order.Doses != tt.order {
			t.Errorf("OrderQuantity(stock %v, AMC 120) = %v doses, want %v", tt.onHand, order.Doses, tt.order)
		}
		if !cmp.Equal(months.Status, order.Status) {
			t.Errorf("stock %v: months-of-stock says %q, order-quantity %q", tt.onHand, months.Status.Text["en"], order.Status.Text["en"])
		}
	}
}

// TestWorkedExampleA is docs/domain.md section 2, example A: BCG 65% wastage is
// flagged against its acceptable 50%.
func TestWorkedExampleA(t *testing.T) {
	r, err := StockCount(Count{Opening: 100, Received: 100, Closing: 80, Administered: 42, Vaccine: mustVaccine(t, "bcg")})
	if err != nil {
		t.Fatal(err)
	}
	got := []string{num(r.Consumed), r.UsageRate.Percent(), r.WastageRate.Percent(), fixed(r.WastageFactor.Value, 3), string(r.Status.Code)}
	want := []string{"120", "35.0%", "65.0%", "2.857", "high_wastage"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("StockCount(example A) = %v, want %v", got, want)
	}
	if !strings.Contains(r.Status.Text["en"], "never refuse a child") {
		t.Errorf("StockCount(example A) status = %q, want the advice", r.Status.Text["en"])
	}
	// The same count without a vaccine is not judged.
	r, _ = StockCount(Count{Opening: 100, Received: 100, Closing: 80, Administered: 42})
	if r.Status.Code != CodeOK {
		t.Errorf("StockCount(example A, no vaccine) = %s, want ok", r.Status.Code)
	}
}

// TestWorkedExampleB is docs/domain.md section 2, example B.
func TestWorkedExampleB(t *testing.T) {
	l, err := StockLevels(120, DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	if l.SafetyStock != 30 || l.OrderPoint != 58 || l.Maximum != 150 {
		t.Errorf("StockLevels(120) = safety %v, order point %v, maximum %v; want 30, 58, 150", l.SafetyStock, l.OrderPoint, l.Maximum)
	}
	if want := "order point = AMC x lead days / 30 + safety = 120 x 7 / 30 + 30 = 58"; l.Formula["en"] != want {
		t.Errorf("StockLevels(120) formula = %q, want %q", l.Formula["en"], want)
	}
	for _, tt := range []struct {
		onHand             float64
		mos                string
		code               Code
		order, vials, over float64
	}{
		{180, "1.50", CodeAboveMaximum, 0, 0, 30},
		{50, "0.42", CodeBelowOrderPoint, 100, 10, 0},
		{20, "0.17", CodeBelowSafety, 130, 13, 0},
	} {
		m, err := MonthsOfStock(tt.onHand, 0, 120, DefaultPolicy())
		if err != nil {
			t.Fatal(err)
		}
		o, err := OrderQuantity(l.Order(tt.onHand, 0, 10))
		if err != nil {
			t.Fatal(err)
		}
		got := []any{months(m.Months.Value), m.Status.Code, o.Doses, o.Vials, o.Excess}
		want := []any{tt.mos, tt.code, tt.order, tt.vials, tt.over}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("example B, stock %v: got %v, want %v", tt.onHand, got, want)
				break
			}
		}
	}
}

// TestWorkedExampleC is docs/domain.md section 2, example C: a Penta vial
// carried over makes month 2 negative, which is fine; for MR it is a data
// error.
func TestWorkedExampleC(t *testing.T) {
	penta, mr := mustVaccine(t, "penta"), mustVaccine(t, "mr")
	m1, err := StockCount(Count{Opening: 200, Closing: 100, Administered: 95, Vaccine: penta})
	if err != nil || m1.WastageRate.Percent() != "5.0%" {
		t.Fatalf("StockCount(example C, month 1) = %v, %v; want 5.0%%", m1.WastageRate.Percent(), err)
	}
	m2, err := StockCount(Count{Opening: 100, Received: 100, Closing: 120, Administered: 84, CarriedOpen: 5, Vaccine: penta})
	if err != nil {
		t.Fatal(err)
	}
	if m2.Consumed != 80 || m2.WastageRate.Percent() != "-5.0%" || m2.Status.Code != CodeOK || len(m2.Warnings) != 0 {
		t.Errorf("StockCount(example C, month 2) = %v consumed, %v, %s, warnings %v; want 80, -5.0%%, ok, none",
			m2.Consumed, m2.WastageRate.Percent(), m2.Status.Code, m2.Warnings)
	}
	if !strings.Contains(m2.Status.Text["en"], "a vial opened last month (MDVP)") {
		t.Errorf("StockCount(example C, month 2) status = %q, want the carried-over vial named", m2.Status.Text["en"])
	}
	if m2.WastageFactor.Valid {
		t.Errorf("StockCount(example C, month 2) wastage factor = %v, want N/A for a negative month", m2.WastageFactor.Value)
	}
	// Not carried over as entered: accepted, with a warning.
	m2, err = StockCount(Count{Opening: 100, Received: 100, Closing: 120, Administered: 84, Vaccine: penta})
	if err != nil || len(m2.Warnings) != 1 {
		t.Errorf("StockCount(example C, month 2, carried 0) = %v, %v; want one warning", m2.Warnings, err)
	}
	ytd, err := OpenVialWastage([]VialMonth{{Opened: 100, Administered: 95}, {Opened: 80, Administered: 84}}, penta)
	if err != nil || ytd.Cumulative.Percent() != "0.6%" || ytd.Status.Code != CodeOK {
		t.Errorf("OpenVialWastage(example C) = %v, %s, %v; want 0.6%%, ok", ytd.Cumulative.Percent(), ytd.Status.Code, err)
	}
	if _, err := StockCount(Count{Opening: 100, Received: 100, Closing: 120, Administered: 84, CarriedOpen: 5, Vaccine: mr}); fieldOf(err) != "administered" ||
		!strings.Contains(err.Error(), "data error") {
		t.Errorf("StockCount(example C, month 2, MR) error = %v, want a data error on administered", err)
	}
	ytd, _ = OpenVialWastage([]VialMonth{{Opened: 100, Administered: 95}, {Opened: 80, Administered: 84}}, mr)
	if ytd.Status.Code != CodeDataError {
		t.Errorf("OpenVialWastage(example C, MR) = %s, want data_error", ytd.Status.Code)
	}
}

// TestWorkedExampleD is docs/domain.md section 2, example D: the nurse's
// measured 8% against WHO's indicative maximum of 25%.
func TestWorkedExampleD(t *testing.T) {
	for _, tt := range []struct {
		rate           float64
		factor         string
		exact          string
		annual, period float64
		code           Code
	}{
		{0.08, "1.087", "1,408.7", 1409, 118, CodeOK},
		{0.25, "1.333", "1,728", 1728, 144, CodeHighWastage},
	} {
		r, err := NeedByTarget(TargetNeed{TargetPopulation: 480, DosesInSchedule: 3, CoverageTarget: 0.9, WastageRate: tt.rate,
			SupplyMonths: 1, Vaccine: mustVaccine(t, "penta")})
		if err != nil {
			t.Fatal(err)
		}
		got := []any{fixed(r.WastageFactor, 3), num(r.AnnualExact), r.AnnualNeed, r.PeriodNeed, r.Status.Code}
		want := []any{tt.factor, tt.exact, tt.annual, tt.period, tt.code}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("NeedByTarget(example D, %v) = %v, want %v", tt.rate, got, want)
				break
			}
		}
	}
}

// TestImplausibleWastage is finding 10: 95% is accepted with a warning,
// above 99% is refused.
func TestImplausibleWastage(t *testing.T) {
	in := TargetNeed{TargetPopulation: 480, DosesInSchedule: 3, CoverageTarget: 0.9, WastageRate: 0.95, SupplyMonths: 1}
	r, err := NeedByTarget(in)
	if err != nil || len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0]["en"], "95.0% is very high") {
		t.Errorf("NeedByTarget(0.95) = %v, %v; want one warning", r.Warnings, err)
	}
	in.WastageRate = 0.79
	if r, _ := NeedByTarget(in); len(r.Warnings) != 0 {
		t.Errorf("NeedByTarget(0.79) warnings = %v, want none", r.Warnings)
	}
	for _, rate := range []float64{0.995, 0.999999, 1} {
		in.WastageRate = rate
		if _, err := NeedByTarget(in); fieldOf(err) != "wastage_rate" {
			t.Errorf("NeedByTarget(%v) error = %v, want wastage_rate refused", rate, err)
		}
		if _, err := WastageFactor(rate); fieldOf(err) != "wastage_rate" {
			t.Errorf("WastageFactor(%v) error = %v, want wastage_rate refused", rate, err)
		}
	}
}
