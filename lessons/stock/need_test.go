package stock

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNeedByTarget(t *testing.T) {
	tests := []struct {
		name string
		in   TargetNeed
		want NeedResult
	}{
		// Catchment 12,000 x 4% infants = 480.
		{"domain example: never round early", TargetNeed{TargetPopulation: 12000 * 0.04, DosesInSchedule: 3, CoverageTarget: 0.9, WastageRate: 0.05, SupplyMonths: 1},
			NeedResult{WastageFactor: 1 / 0.95, AnnualExact: 1296 / 0.95, AnnualNeed: 1365, PeriodNeed: 114, Status: code(CodeOK)}},
		{"0% wastage, quarterly supply", TargetNeed{TargetPopulation: 1200, DosesInSchedule: 1, CoverageTarget: 1, SupplyMonths: 3},
			NeedResult{WastageFactor: 1, AnnualExact: 1200, AnnualNeed: 1200, PeriodNeed: 300, Status: code(CodeOK)}},
		{"no target population", TargetNeed{DosesInSchedule: 2, CoverageTarget: 0.8, WastageRate: 0.25, SupplyMonths: 1},
			NeedResult{WastageFactor: 4.0 / 3, Status: code(CodeOK)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NeedByTarget(tt.in)
			if err != nil {
				t.Fatalf("NeedByTarget(%+v) error: %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got, figures); diff != "" {
				t.Errorf("NeedByTarget(%+v) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
	ok := TargetNeed{TargetPopulation: 480, DosesInSchedule: 3, CoverageTarget: 0.9, WastageRate: 0.05, SupplyMonths: 1}
	for _, bad := range []struct {
		edit  func(*TargetNeed)
		field string
	}{
		{func(n *TargetNeed) { n.TargetPopulation = -1 }, "target_population"},
		{func(n *TargetNeed) { n.DosesInSchedule = 0 }, "doses_in_schedule"},
		{func(n *TargetNeed) { n.CoverageTarget = 1.1 }, "coverage_target"},
		{func(n *TargetNeed) { n.WastageRate = 1 }, "wastage_rate"},
		{func(n *TargetNeed) { n.SupplyMonths = 0 }, "supply_months"},
	} {
		in := ok
		bad.edit(&in)
		if _, err := NeedByTarget(in); fieldOf(err) != bad.field {
			t.Errorf("NeedByTarget(%+v) error = %v, want field %q", in, err, bad.field)
		}
	}
}

func TestNeedBySession(t *testing.T) {
	in := SessionNeed{Posts: 2, Weeks: 48, SessionsPerWeek: 2, VialsPerSession: 1, DosesPerVial: 10, SupplyMonths: 1}
	got, err := NeedBySession(in)
	if err != nil {
		t.Fatalf("NeedBySession(%+v) error: %v", in, err)
	}
	want := SessionResult{AnnualVials: 192, AnnualNeed: 1920, PeriodNeed: 160, PeriodVials: 16, Status: code(CodeOK)}
	if diff := cmp.Diff(want, got, figures); diff != "" {
		t.Errorf("NeedBySession(%+v) mismatch (-want +got):\n%s", in, diff)
	}
	in.SupplyMonths = 0.5 // 80 doses = 8 vials; an uneven period rounds up
	in.Weeks = 50
	if got, _ := NeedBySession(in); got.PeriodNeed != 84 || got.PeriodVials != 9 {
		t.Errorf("NeedBySession(%+v) = %v doses, %v vials, want 84, 9", in, got.PeriodNeed, got.PeriodVials)
	}
	in.DosesPerVial = 0
	if _, err := NeedBySession(in); fieldOf(err) != "doses_per_vial" {
		t.Errorf("NeedBySession(%+v) error = %v, want field doses_per_vial", in, err)
	}
}

func TestSessionVials(t *testing.T) {
	tests := []struct {
		expected     float64
		dpv          int
		vials, doses float64
	}{
		{expected: 12, dpv: 10, vials: 2, doses: 20},
		{expected: 10, dpv: 10, vials: 1, doses: 10},
		{expected: 0, dpv: 20, vials: 0, doses: 0},
		{expected: 3, dpv: 1, vials: 3, doses: 3},
	}
	for _, tt := range tests {
		got, err := SessionVials(tt.expected, tt.dpv)
		if err != nil || got.Vials != tt.vials || got.Doses != tt.doses {
			t.Errorf("SessionVials(%v, %d) = %v vials, %v doses, %v; want %v, %v", tt.expected, tt.dpv, got.Vials, got.Doses, err, tt.vials, tt.doses)
		}
	}
	if _, err := SessionVials(-1, 10); fieldOf(err) != "expected_children" {
		t.Errorf("SessionVials(-1, 10) error = %v, want field expected_children", err)
	}
}

func TestAdjustForStockOut(t *testing.T) {
	tests := []struct {
		name                   string
		consumed, days, months float64
		want                   float64
	}{
		{"no stock-out", 90, 0, 1, 90},
		{"10 days out", 90, 10, 1, 135},
		{"rounded up where computed", 100, 7, 1, 131}, // 130.43
		{"whole period out", 90, 30, 1, 90},
		{"no consumption", 0, 12, 1, 0},
		{"three months, 20 days out", 100, 20, 3, 129}, // 128.6
	}
	for _, tt := range tests {
		if got := AdjustForStockOut(tt.consumed, tt.days, tt.months); got != tt.want {
			t.Errorf("AdjustForStockOut(%v, %v, %v) = %v, want %v (%s)", tt.consumed, tt.days, tt.months, got, tt.want, tt.name)
		}
	}
}

func TestAverageMonthlyConsumption(t *testing.T) {
	months := []MonthConsumption{{Consumed: 120}, {Consumed: 90, StockOutDays: 10}, {Consumed: 100, StockOutDays: 30}}
	got, err := AverageMonthlyConsumption(months)
	if err != nil {
		t.Fatalf("AverageMonthlyConsumption(%+v) error: %v", months, err)
	}
	want := AMCResult{Adjusted: []float64{120, 135, 100}, AMC: 355.0 / 3, Status: code(CodeOK)}
	if diff := cmp.Diff(want, got, figures); diff != "" {
		t.Errorf("AverageMonthlyConsumption(%+v) mismatch (-want +got):\n%s", months, diff)
	}
	for _, bad := range []struct {
		months []MonthConsumption
		field  string
	}{
		{nil, "months"},
		{[]MonthConsumption{{Consumed: 10, StockOutDays: 31}}, "months[0].stock_out_days"},
		{[]MonthConsumption{{Consumed: 10}, {Consumed: -4}}, "months[1].consumed"},
	} {
		if _, err := AverageMonthlyConsumption(bad.months); fieldOf(err) != bad.field {
			t.Errorf("AverageMonthlyConsumption(%+v) error = %v, want field %q", bad.months, err, bad.field)
		}
	}
}

func TestNeedByConsumption(t *testing.T) {
	tests := []struct {
		in   ConsumptionNeed
		want NeedResult
	}{
		{ConsumptionNeed{AMC: 120, Growth: 0.03, SupplyMonths: 1},
			NeedResult{WastageFactor: 1, AnnualExact: 1483.2, AnnualNeed: 1484, PeriodNeed: 120, Status: code(CodeOK)}},
		{ConsumptionNeed{AMC: 355.0 / 3, SupplyMonths: 3},
			NeedResult{WastageFactor: 1, AnnualExact: 1420, AnnualNeed: 1420, PeriodNeed: 355, Status: code(CodeOK)}},
		{ConsumptionNeed{AMC: 0, Growth: 0.1, SupplyMonths: 1},
			NeedResult{WastageFactor: 1, Status: code(CodeOK)}},
	}
	for _, tt := range tests {
		got, err := NeedByConsumption(tt.in)
		if err != nil {
			t.Fatalf("NeedByConsumption(%+v) error: %v", tt.in, err)
		}
		if diff := cmp.Diff(tt.want, got, figures); diff != "" {
			t.Errorf("NeedByConsumption(%+v) mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
	if _, err := NeedByConsumption(ConsumptionNeed{AMC: 10, Growth: -0.02, SupplyMonths: 1}); fieldOf(err) != "growth" {
		t.Errorf("NeedByConsumption(growth -2%%) error = %v, want field growth", err)
	}
}
