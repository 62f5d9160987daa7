package stock

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMonthsOfStock(t *testing.T) {
	tests := []struct {
		name        string
		onHand, amc float64
		want        MonthsResult
	}{
		{"domain example: adequate", 180, 120, MonthsResult{Months: valid(1.5), Status: code(CodeAdequate)}},
		{"1 month is adequate", 120, 120, MonthsResult{Months: valid(1), Status: code(CodeAdequate)}},
		{"2 months is adequate", 240, 120, MonthsResult{Months: valid(2), Status: code(CodeAdequate)}},
		{"under 1 month", 60, 120, MonthsResult{Months: valid(0.5), Status: code(CodeUnderstock)}},
		{"stocked out", 0, 120, MonthsResult{Months: valid(0), Status: code(CodeUnderstock)}},
		{"over 2 months", 300, 120, MonthsResult{Months: valid(2.5), Status: code(CodeOverstock)}},
		{"zero consumption is N/A", 300, 0, MonthsResult{Status: code(CodeNA)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := MonthsOfStock(tt.onHand, tt.amc)
			if err != nil {
				t.Fatalf("MonthsOfStock(%v, %v) error: %v", tt.onHand, tt.amc, err)
			}
			if diff := cmp.Diff(tt.want, got, figures); diff != "" {
				t.Errorf("MonthsOfStock(%v, %v) mismatch (-want +got):\n%s", tt.onHand, tt.amc, diff)
			}
		})
	}
	if _, err := MonthsOfStock(10, -5); fieldOf(err) != "amc" {
		t.Errorf("MonthsOfStock(10, -5) error = %v, want field amc", err)
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
			LevelsResult{PeriodNeed: 120, SafetyStock: 30, LeadTimeNeed: 28, OrderPoint: 58, Maximum: 150, Status: code(CodeOK)}},
		{"levels rounded up", 130, DefaultPolicy(),
			LevelsResult{PeriodNeed: 130, SafetyStock: 32.5, LeadTimeNeed: 130 * 7 / 30.0, OrderPoint: 63, Maximum: 163, Status: code(CodeOK)}},
		{"quarterly supply, 14 days lead", 100, Policy{SupplyMonths: 3, SafetyFraction: 0.25, LeadDays: 14},
			LevelsResult{PeriodNeed: 300, SafetyStock: 75, LeadTimeNeed: 300 * 14 / 90.0, OrderPoint: 122, Maximum: 375, Status: code(CodeOK)}},
		{"zero consumption", 0, DefaultPolicy(), LevelsResult{Status: code(CodeOK)}},
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
	if got.Status.Text.EN != "above maximum: 120 doses excess, do not order" {
		t.Errorf("OrderQuantity(above maximum) status = %q", got.Status.Text.EN)
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
