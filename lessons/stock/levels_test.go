package stock

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMonthsOfStock(t *testing.T) {
	tests := []struct {
		name                   string
		onHand, inTransit, amc float64
		months                 Ratio
		code                   Code
		text                   string // the status line, when it matters
	}{
		{"0.995 months is not shown as 1.0", 199, 0, 200, valid(0.995), CodeWithinPolicy, ""},
		{"order point itself: falls to it", 58, 0, 120, valid(58.0 / 120), CodeBelowOrderPoint, "at or below the order point 58: order 92 doses now"},
		{"one dose above the order point", 59, 0, 120, valid(59.0 / 120), CodeWithinPolicy, ""},
		{"maximum itself is within policy", 150, 0, 120, valid(1.25), CodeWithinPolicy, ""},
		{"in transit counts in the position", 50, 110, 120, valid(50.0 / 120), CodeAboveMaximum, ""},
		{"stocked out", 0, 0, 120, valid(0), CodeStockOut, "stock-out: emergency order of 150 doses today; recall missed children"},
		{"AMC 0 is N/A, never excess", 300, 0, 0, Ratio{}, CodeNA, "N/A: no consumption (AMC 0): check sessions, stock-outs and data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := MonthsOfStock(tt.onHand, tt.inTransit, tt.amc, DefaultPolicy())
			if err != nil {
				t.Fatalf("MonthsOfStock(%v, %v, %v) error: %v", tt.onHand, tt.inTransit, tt.amc, err)
			}
			if diff := cmp.Diff(tt.months, got.Months, figures); diff != "" || got.Status.Code != tt.code {
				t.Errorf("MonthsOfStock(%v, %v, %v) = %v, %s; want %v, %s", tt.onHand, tt.inTransit, tt.amc, got.Months, got.Status.Code, tt.months, tt.code)
			}
			if tt.text != "" && got.Status.Text["en"] != tt.text {
				t.Errorf("MonthsOfStock(%v, %v, %v) status = %q, want %q", tt.onHand, tt.inTransit, tt.amc, got.Status.Text["en"], tt.text)
			}
		})
	}
	got, _ := MonthsOfStock(199, 0, 200, DefaultPolicy())
	if want := "months of stock = stock on hand / AMC = 199 / 200 = 0.99"; got.Formula["en"] != want {
		t.Errorf("MonthsOfStock(199, 0, 200) formula = %q, want %q", got.Formula["en"], want)
	}
	if _, err := MonthsOfStock(10, 0, -5, DefaultPolicy()); fieldOf(err) != "amc" {
		t.Errorf("MonthsOfStock(10, 0, -5) error = %v, want field amc", err)
	}
}

func TestStockLevels(t *testing.T) {
	tests := []struct {
		name string
		amc  float64
		p    Policy
		want LevelsResult
	}{
		{"default policy", 120, DefaultPolicy(),
			LevelsResult{AMC: 120, PeriodNeed: 120, SafetyStock: 30, LeadTimeNeed: 28, OrderPoint: 58, Maximum: 150, Status: code(CodeOK)}},
		{"levels rounded up", 130, DefaultPolicy(),
			LevelsResult{AMC: 130, PeriodNeed: 130, SafetyStock: 32.5, LeadTimeNeed: 130 * 7 / 30.0, OrderPoint: 63, Maximum: 163, Status: code(CodeOK)}},
		{"quarterly supply, 14 days lead", 100, Policy{SupplyMonths: 3, SafetyFraction: 0.25, LeadDays: 14},
			LevelsResult{AMC: 100, PeriodNeed: 300, SafetyStock: 75, LeadTimeNeed: 300 * 14 / 90.0, OrderPoint: 122, Maximum: 375, Status: code(CodeOK)}},
		{"zero consumption", 0, DefaultPolicy(), LevelsResult{Status: code(CodeNA)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := StockLevels(tt.amc, tt.p)
			if err != nil {
				t.Fatalf("StockLevels(%v, %+v) error: %v", tt.amc, tt.p, err)
			}
			if diff := cmp.Diff(tt.want, got, figures); diff != "" {
				t.Errorf("StockLevels(%v, %+v) mismatch (-want +got):\n%s", tt.amc, tt.p, diff)
			}
		})
	}
	for _, bad := range []struct {
		p     Policy
		field string
	}{
		{Policy{SupplyMonths: 0, SafetyFraction: 0.25, LeadDays: 7}, "supply_months"},
		{Policy{SupplyMonths: 1, SafetyFraction: 1.5, LeadDays: 7}, "safety_fraction"},
		{Policy{SupplyMonths: 1, SafetyFraction: 0.25, LeadDays: -1}, "lead_days"},
		{Policy{SupplyMonths: 1, SafetyFraction: 0.25, LeadDays: 31}, "lead_days"},
	} {
		if _, err := StockLevels(100, bad.p); fieldOf(err) != bad.field {
			t.Errorf("StockLevels(100, %+v) error = %v, want field %q", bad.p, err, bad.field)
		}
	}
}

func TestOrderQuantity(t *testing.T) {
	tests := []struct {
		name string
		in   Order
		want OrderResult
	}{
		{"domain example", Order{Maximum: 500, OnHand: 150, InTransit: 50, DosesPerVial: 20},
			OrderResult{Position: 200, Doses: 300, Vials: 15, Status: code(CodeOK)}},
		{"below order point", Order{Maximum: 150, OrderPoint: 58, OnHand: 40, DosesPerVial: 10},
			OrderResult{Position: 40, Doses: 110, Vials: 11, Status: code(CodeBelowOrderPoint)}},
		{"at the order point", Order{Maximum: 150, OrderPoint: 58, OnHand: 58, DosesPerVial: 10},
			OrderResult{Position: 58, Doses: 92, Vials: 10, Status: code(CodeBelowOrderPoint)}},
		{"in transit lifts the position above the order point", Order{Maximum: 150, OrderPoint: 58, OnHand: 40, InTransit: 20, DosesPerVial: 10},
			OrderResult{Position: 60, Doses: 90, Vials: 9, Status: code(CodeOK)}},
		{"vials rounded up", Order{Maximum: 163, OnHand: 100, DosesPerVial: 10},
			OrderResult{Position: 100, Doses: 63, Vials: 7, Status: code(CodeOK)}},
		{"at maximum", Order{Maximum: 150, OnHand: 150, DosesPerVial: 10},
			OrderResult{Position: 150, Status: code(CodeOK)}},
		{"above maximum: excess", Order{Maximum: 500, OnHand: 580, InTransit: 40, DosesPerVial: 20},
			OrderResult{Position: 620, Excess: 120, Status: code(CodeAboveMaximum)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := OrderQuantity(tt.in)
			if err != nil {
				t.Fatalf("OrderQuantity(%+v) error: %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got, figures); diff != "" {
				t.Errorf("OrderQuantity(%+v) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
	got, _ := OrderQuantity(Order{Maximum: 500, OnHand: 580, InTransit: 40, DosesPerVial: 20})
	if got.Status.Text["en"] != "above maximum: 120 doses overstock, do not order" {
		t.Errorf("OrderQuantity(above maximum) status = %q", got.Status.Text["en"])
	}
	for _, bad := range []struct {
		in    Order
		field string
	}{
		{Order{Maximum: 100, OnHand: -1, DosesPerVial: 10}, "stock_on_hand"},
		{Order{Maximum: 100, InTransit: -5, DosesPerVial: 10}, "in_transit"},
		{Order{Maximum: 100, OrderPoint: 120, DosesPerVial: 10}, "order_point"},
		{Order{Maximum: 100, DosesPerVial: 0}, "doses_per_vial"},
	} {
		if _, err := OrderQuantity(bad.in); fieldOf(err) != bad.field {
			t.Errorf("OrderQuantity(%+v) error = %v, want field %q", bad.in, err, bad.field)
		}
	}
}

func TestLevelsOrder(t *testing.T) {
	levels, err := StockLevels(120, DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	got, err := OrderQuantity(levels.Order(50, 0, 10))
	if err != nil {
		t.Fatal(err)
	}
	if got.Doses != 100 || got.Status.Code != CodeBelowOrderPoint {
		t.Errorf("OrderQuantity(levels(120).Order(50, 0, 10)) = %v doses, %s; want 100, %s", got.Doses, got.Status.Code, CodeBelowOrderPoint)
	}
}
