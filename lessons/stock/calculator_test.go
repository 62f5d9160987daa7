package stock

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSettingsDefaults: a pack without a stock policy or vaccines gets the
// defaults, for the phone and the API alike (the API used to get the
// pack's policy as it was, zero included, where the phone fell back).
func TestSettingsDefaults(t *testing.T) {
	s := NewSettings(Policy{}, nil)
	if s.Policy != DefaultPolicy() || len(s.Vaccines) != len(DefaultVaccines()) {
		t.Errorf("NewSettings(zero) = %+v, want the default policy and vaccines", s)
	}
	own := Policy{SupplyMonths: 3, SafetyFraction: 0.5, LeadDays: 14}
	if got := NewSettings(own, DefaultVaccines()[:1]); got.Policy != own || len(got.Vaccines) != 1 {
		t.Errorf("NewSettings(own) = %+v, want the pack's own", got)
	}
}

// TestDefaultsFromThePolicy: an input left out takes its default from the
// settings, and the stored inputs say which were used.
func TestDefaultsFromThePolicy(t *testing.T) {
	calc, _ := Find("stock-levels")
	v := NewValues(NewSettings(Policy{SupplyMonths: 2, SafetyFraction: 0.5, LeadDays: 14}, nil))
	v.Vaccine, _ = FindVaccine(v.Settings.Vaccines, "penta")
	v.Set("amc", 120)
	r, err := calc.Calculate(v)
	if err != nil {
		t.Fatal(err)
	}
	if r.Values["period_need"] != 240.0 || r.Values["safety_stock"] != 120.0 || r.Calculator != "stock-levels" {
		t.Errorf("stock-levels at AMC 120 = %v, want the pack's two months and 50%% safety stock", r.Answer)
	}
	want := map[string]any{"amc": 120.0, "in_transit": 0.0, "supply_months": 2.0, "safety_fraction": 0.5, "lead_days": 14.0, "vaccine": "penta"}
	if d := cmp.Diff(want, v.Stored()); d != "" {
		t.Errorf("stored inputs (-want +got):\n%s", d)
	}
}

// TestTypedPercent: a nurse types a rate as a percentage, decimals
// allowed, spaces around ignored; counts stay whole numbers.
func TestTypedPercent(t *testing.T) {
	pctIn := Input{Key: "growth", Unit: Percent}
	doses := Input{Key: "amc", Unit: Doses}
	tests := []struct {
		in    Input
		typed string
		want  float64
		ok    bool
	}{
		{pctIn, "2.5", 0.025, true},
		{pctIn, " 90 ", 0.9, true},
		{pctIn, "2,5", 0, false},
		{pctIn, "2.", 0, false},
		{pctIn, "-3", 0, false},
		{doses, " 180 ", 180, true},
		{doses, "12.5", 0, false},
		{doses, "1 000", 0, false},
		{doses, "", 0, false},
	}
	for _, tt := range tests {
		got, ok := tt.in.Typed(tt.typed)
		if ok != tt.ok || (ok && (got-tt.want > 1e-12 || tt.want-got > 1e-12)) {
			t.Errorf("%s Typed(%q) = %v, %v; want %v, %v", tt.in.Unit, tt.typed, got, ok, tt.want, tt.ok)
		}
	}
}

// TestRefusalsInPercent: a rate above its bound is refused in the unit the
// nurse typed it in, never as a fraction ("must be at most 1 (100%)").
func TestRefusalsInPercent(t *testing.T) {
	calc, _ := Find("need-target-population")
	v := NewValues(NewSettings(Policy{}, nil))
	v.Vaccine, _ = FindVaccine(v.Settings.Vaccines, "penta")
	for k, x := range map[string]float64{"target_population": 480, "doses_in_schedule": 3, "coverage_target": 1.5, "wastage_rate": 0.08} {
		v.Set(k, x)
	}
	_, err := calc.Calculate(v)
	var ie *InputError
	if !errors.As(err, &ie) || ie.Field != "coverage_target" || ie.Reason.In("en") != "must be at most 100%" || ie.Reason.In("sw") != "isizidi 100%" {
		t.Errorf("coverage 150%% = %v, want coverage_target: must be at most 100%%", err)
	}
}

// TestTableIsWhole: every calculator of the table has a name once, a
// phone's calculators a question for every input they need, and a group's
// calculators an item label. (lessons TestCatalogueKeysInCode checks that
// every key is in the catalogue.)
func TestTableIsWhole(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range Calculators {
		if seen[c.Name] || c.run == nil {
			t.Errorf("calculator %q repeated or without a formula", c.Name)
		}
		seen[c.Name] = true
		if c.Title == "" {
			continue
		}
		if c.Group != "" && c.Item == "" {
			t.Errorf("%s: in a group without an item label", c.Name)
		}
		for _, in := range c.Inputs {
			if !in.Asked() && !in.Optional {
				t.Errorf("%s: %s is required and never asked on a phone", c.Name, in.Key)
			}
		}
	}
}
