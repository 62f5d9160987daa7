package stock

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/lessons/i18n"
)

func TestStockCount(t *testing.T) {
	tests := []struct {
		name string
		in   Count
		want CountResult
	}{
		{"domain example: Penta", Count{Opening: 150, Received: 300, Closing: 90, Administered: 324},
			CountResult{Consumed: 360, Opened: 360, UsageRate: valid(0.9), WastageRate: valid(0.1),
				OpenVialWastage: valid(0.1), ClosedVialWastage: valid(0), WastageFactor: valid(1 / 0.9), Status: code(CodeOK)}},
		{"closed-vial over doses opened", Count{Opening: 100, Received: 100, Closing: 0, Administered: 150, UnopenedLost: 40},
			CountResult{Consumed: 200, Opened: 160, UsageRate: valid(0.75), WastageRate: valid(0.25),
				OpenVialWastage: valid(10.0 / 160), ClosedVialWastage: valid(40.0 / 160), WastageFactor: valid(4.0 / 3), Status: code(CodeOK)}},
		{"0% wastage", Count{Opening: 50, Received: 0, Closing: 10, Administered: 40},
			CountResult{Consumed: 40, Opened: 40, UsageRate: valid(1), WastageRate: valid(0),
				OpenVialWastage: valid(0), ClosedVialWastage: valid(0), WastageFactor: valid(1), Status: code(CodeOK)}},
		{"zero consumption is N/A", Count{Opening: 80, Received: 20, Closing: 100},
			CountResult{Status: code(CodeNA)}},
		{"carried-over vial: negative open-vial wastage", Count{Opening: 100, Closing: 20, Administered: 70, UnopenedLost: 20},
			CountResult{Consumed: 80, Opened: 60, UsageRate: valid(0.875), WastageRate: valid(0.125),
				OpenVialWastage: valid(-10.0 / 60), ClosedVialWastage: valid(20.0 / 60), WastageFactor: valid(8.0 / 7), Status: code(CodeOK)}},
		{"all expired: 100% wastage, factor N/A", Count{Opening: 20, Closing: 0, UnopenedLost: 20},
			CountResult{Consumed: 20, Opened: 0, UsageRate: valid(0), WastageRate: valid(1), Status: code(CodeOK), Warnings: []i18n.Text{{}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := StockCount(tt.in)
			if err != nil {
				t.Fatalf("StockCount(%+v) error: %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got, figures); diff != "" {
				t.Errorf("StockCount(%+v) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestStockCountRejects(t *testing.T) {
	tests := []struct {
		name  string
		in    Count
		field string
	}{
		{"negative opening", Count{Opening: -1}, "opening"},
		{"fractional doses", Count{Opening: 10, Received: 2.5}, "received"},
		{"closing above opening + received", Count{Opening: 10, Received: 5, Closing: 16}, "closing"},
		{"administered above consumed", Count{Opening: 10, Closing: 5, Administered: 6}, "administered"},
		{"unopened loss above consumed", Count{Opening: 10, Closing: 5, UnopenedLost: 6}, "unopened_lost"},
		{"too large", Count{Opening: 2e7}, "opening"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := StockCount(tt.in)
			if got := fieldOf(err); got != tt.field {
				t.Errorf("StockCount(%+v) error field = %q (%v), want %q", tt.in, got, err, tt.field)
			}
		})
	}
}

// penta is a 28-day vaccine: an opened vial may be finished next month.
var penta, _ = FindVaccine(DefaultVaccines(), "penta")

func TestOpenVialWastage(t *testing.T) {
	tests := []struct {
		name   string
		months []VialMonth
		want   OpenVialResult
	}{
		{"one month", []VialMonth{{Opened: 100, Administered: 80}},
			OpenVialResult{Months: []Ratio{valid(0.2)}, TotalOpened: 100, TotalAdministered: 80, Cumulative: valid(0.2), Status: code(CodeOK)}},
		{"negative month, cumulative reported", []VialMonth{{Opened: 100, Administered: 70}, {Opened: 40, Administered: 50}, {Opened: 60, Administered: 50}},
			OpenVialResult{Months: []Ratio{valid(0.3), valid(-0.25), valid(10.0 / 60)}, TotalOpened: 200, TotalAdministered: 170,
				Cumulative: valid(0.15), Status: code(CodeOK)}},
		{"month without opened vials", []VialMonth{{Opened: 0, Administered: 0}, {Opened: 50, Administered: 45}},
			OpenVialResult{Months: []Ratio{{}, valid(0.1)}, TotalOpened: 50, TotalAdministered: 45, Cumulative: valid(0.1), Status: code(CodeOK)}},
		{"nothing opened is N/A", []VialMonth{{}},
			OpenVialResult{Months: []Ratio{{}}, Status: code(CodeNA)}},
		{"more given than opened overall", []VialMonth{{Opened: 10, Administered: 20}},
			OpenVialResult{Months: []Ratio{valid(-1)}, TotalOpened: 10, TotalAdministered: 20, Cumulative: valid(-1), Status: code(CodeDataError)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := OpenVialWastage(tt.months, penta)
			if err != nil {
				t.Fatalf("OpenVialWastage(%+v) error: %v", tt.months, err)
			}
			if diff := cmp.Diff(tt.want, got, figures); diff != "" {
				t.Errorf("OpenVialWastage(%+v) mismatch (-want +got):\n%s", tt.months, diff)
			}
		})
	}
	for _, bad := range []struct {
		months []VialMonth
		field  string
	}{
		{nil, "months"},
		{make([]VialMonth, 25), "months"},
		{[]VialMonth{{Opened: 10}, {Opened: -1}}, "months[1].opened"},
	} {
		_, err := OpenVialWastage(bad.months, penta)
		if got := fieldOf(err); got != bad.field {
			t.Errorf("OpenVialWastage(%+v) error field = %q, want %q", bad.months, got, bad.field)
		}
	}
}

func TestWastageFactor(t *testing.T) {
	tests := []struct {
		rate, want float64
		field      string
	}{
		{rate: 0, want: 1},
		{rate: 0.1, want: 1.0 / 0.9},
		{rate: 0.5, want: 2},
		{rate: 0.05, want: 1 / 0.95},
		{rate: 1, field: "wastage_rate"},
		{rate: 1.2, field: "wastage_rate"},
		{rate: -0.1, field: "wastage_rate"},
	}
	for _, tt := range tests {
		got, err := WastageFactor(tt.rate)
		if f := fieldOf(err); f != tt.field {
			t.Errorf("WastageFactor(%v) error field = %q, want %q", tt.rate, f, tt.field)
		}
		if err == nil && !cmp.Equal(got.Factor, tt.want, figures) {
			t.Errorf("WastageFactor(%v) = %v, want %v", tt.rate, got.Factor, tt.want)
		}
	}
	if got, _ := WastageFactor(0.1); fixed(got.Factor, 3) != "1.111" {
		t.Errorf("WastageFactor(0.1) shown as %s, want 1.111", fixed(got.Factor, 3))
	}
}
