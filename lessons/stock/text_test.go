package stock

import (
	"strings"
	"testing"

	"github.com/chanjo-health/chanjo/lessons/i18n"
)

// ussdSafe is the USSD character set of the project rules.
func ussdSafe(s string) bool {
	for _, c := range s {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			strings.ContainsRune(" \n.,:;!?'\"()-+*/#%&=<>@_$", c)
		if !ok {
			return false
		}
	}
	return true
}

const maxText = 100

// everyText runs every calculator on ordinary and extreme input, bad input
// included, and returns all the texts a nurse could read.
func everyText(t *testing.T) []i18n.Text {
	t.Helper()
	var texts []i18n.Text
	add := func(status Status, formula i18n.Text, err error) {
		if err != nil {
			if ie, ok := err.(interface{ Unwrap() error }); ok {
				if e, ok := ie.Unwrap().(*InputError); ok {
					texts = append(texts, e.Reason)
					return
				}
			}
			t.Fatalf("unexpected error %v", err)
		}
		texts = append(texts, status.Text, formula)
	}
	big := float64(MaxQuantity)
	for _, x := range []float64{0, 1, 45, 1234.5, big - 1, big} {
		w := whole(x)
		cr, err := StockCount(Count{Opening: w, Received: w, Closing: 0, Administered: w, UnopenedLost: w / 2})
		add(cr.Status, cr.Formula, err)
		cr, err = StockCount(Count{Opening: w, Received: w, Closing: w + 1})
		add(cr.Status, cr.Formula, err)
		ov, err := OpenVialWastage([]VialMonth{{Opened: w, Administered: w}, {Opened: 1, Administered: w}, {Opened: w}}, DefaultVaccines()[0])
		add(ov.Status, ov.Formula, err)
		nt, err := NeedByTarget(TargetNeed{TargetPopulation: x, DosesInSchedule: 10, CoverageTarget: 0.955, WastageRate: 0.5, SupplyMonths: 2.5})
		add(nt.Status, nt.Formula, err)
		ns, err := NeedBySession(SessionNeed{Posts: 1000, Weeks: 53, SessionsPerWeek: 14, VialsPerSession: 1000, DosesPerVial: 100, SupplyMonths: 24})
		add(ns.Status, ns.Formula, err)
		sv, err := SessionVials(w, 20)
		add(sv.Status, sv.Formula, err)
		months := make([]MonthConsumption, MaxMonths)
		for i := range months {
			months[i] = MonthConsumption{Consumed: w, StockOutDays: 29}
		}
		amc, err := AverageMonthlyConsumption(months)
		add(amc.Status, amc.Formula, err)
		nc, err := NeedByConsumption(ConsumptionNeed{AMC: x, Growth: 0.125, SupplyMonths: 1.5})
		add(nc.Status, nc.Formula, err)
		for _, amc := range []float64{0, 1, x} {
			ms, err := MonthsOfStock(w, whole(w/3), amc, Policy{SupplyMonths: 2.5, SafetyFraction: 0.335, LeadDays: 14})
			add(ms.Status, ms.Formula, err)
			lv, err := StockLevels(amc, Policy{SupplyMonths: 2.5, SafetyFraction: 0.335, LeadDays: 14})
			add(lv.Status, lv.Formula, err)
			texts = append(texts, lv.Safety, lv.Top)
			for _, onHand := range []float64{0, 1, w, big} {
				texts = append(texts, lv.Grade(onHand, w).Text, lv.Grade(onHand, 0).Text)
			}
		}
		for _, max := range []float64{0, 1, w} {
			oq, err := OrderQuantity(Order{Maximum: max, OrderPoint: max, OnHand: w / 3, InTransit: whole(w / 3), DosesPerVial: 1})
			add(oq.Status, oq.Formula, err)
		}
		for _, later := range []float64{0, w / 2, w, w + 1} {
			for _, target := range []float64{0, x, big} {
				d, err := Dropout(DropoutInput{FirstDose: w, LaterDose: whole(later), TargetPopulation: target, Months: 11})
				add(d.Status, d.Formula, err)
				d, err = Dropout(DropoutInput{FirstDose: w, LaterDose: whole(later), TargetPopulation: target, Months: 1, Monthly: true})
				add(d.Status, d.Formula, err)
				d, err = Dropout(DropoutInput{FirstDose: w, LaterDose: whole(later), TargetPopulation: target, Months: 2})
				add(d.Status, d.Formula, err)
				c, err := Coverage(CoverageInput{DosesThisMonth: whole(later), DosesToDate: w + 1, TargetPopulation: target, MonthsSoFar: 11, CoverageTarget: 0.875})
				add(c.Status, c.Formula, err)
			}
		}
		wf, err := WastageFactor(x / big * 0.99)
		add(wf.Status, wf.Formula, err)
		texts = append(texts, wf.Warnings...)
		for _, v := range DefaultVaccines() {
			cr, err := StockCount(Count{Opening: w, Received: w, Closing: 0, Administered: whole(w * 2.2), CarriedOpen: whole(w / 10), Vaccine: v})
			add(cr.Status, cr.Formula, err)
			texts = append(texts, cr.Warnings...)
			cr, err = StockCount(Count{Opening: w, Received: w, Administered: whole(w / 10), Vaccine: v})
			add(cr.Status, cr.Formula, err)
			ov, err := OpenVialWastage([]VialMonth{{Opened: w, Administered: whole(w / 2)}, {Opened: 1, Administered: 2}}, v)
			add(ov.Status, ov.Formula, err)
			nt, err := NeedByTarget(TargetNeed{TargetPopulation: x, DosesInSchedule: 3, CoverageTarget: 0.9, WastageRate: 0.99, SupplyMonths: 1, Vaccine: v})
			add(nt.Status, nt.Formula, err)
			texts = append(texts, nt.Warnings...)
		}
	}
	return texts
}

func whole(x float64) float64 { return float64(int64(x)) }

func TestTexts(t *testing.T) {
	for _, text := range everyText(t) {
		for lang, s := range map[string]string{"en": text["en"], "sw": text["sw"]} {
			if s == "" {
				t.Errorf("text %+v: %s is empty", text, lang)
			}
			if len(s) > maxText {
				t.Errorf("text %q is %d characters, want at most %d", s, len(s), maxText)
			}
			if !ussdSafe(s) {
				t.Errorf("text %q has a character outside the USSD set", s)
			}
			if strings.Contains(strings.ToLower(s), "minimum") {
				t.Errorf("text %q says minimum: say safety stock or order point", s)
			}
		}
	}
}

// avoidInKiswahili are the variants docs/domain.md section 9 lists as ones to
// avoid in Kiswahili text (glossary v2): English words nurses say, and
// Kiswahili words that mean something else.
var avoidInKiswahili = []string{"vial", "coverage", "dropout", "outreach", "tally", "teach-back", "kigezo",
	"haitoshi", "imezidi", "upatikanaji", "zilizotolewa", "jaribio"}

// TestKiswahiliGlossary checks every Kiswahili text a calculator can give
// against the glossary's variants to avoid.
func TestKiswahiliGlossary(t *testing.T) {
	for _, text := range everyText(t) {
		sw := strings.ToLower(text["sw"])
		for _, bad := range avoidInKiswahili {
			if strings.Contains(sw, bad) {
				t.Errorf("Kiswahili text %q says %q (glossary: docs/domain.md section 9)", text["sw"], bad)
			}
		}
		if strings.Contains(text["sw"], "AMC") && !strings.Contains(text["sw"], "(AMC") {
			t.Errorf("Kiswahili text %q says AMC: say wastani wa matumizi ya mwezi (AMC in brackets at most)", text["sw"])
		}
	}
}

func TestFormatting(t *testing.T) {
	tests := []struct {
		got, want string
	}{
		{num(1365), "1,365"},
		{num(1364.2105), "1,364.2"},
		{num(10000000), "10,000,000"},
		{num(-120), "-120"},
		{num(0.5), "0.5"},
		{pct(0.1), "10.0%"},
		{pct(-0.00001), "0.0%"},
		{pct(-0.25), "-25.0%"},
		{Ratio{}.Percent(), "N/A"},
		{fixed(1/0.9, 3), "1.111"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("formatted %q, want %q", tt.got, tt.want)
		}
	}
}

func TestDefaults(t *testing.T) {
	if err := DefaultPolicy().Validate(); err != nil {
		t.Errorf("DefaultPolicy().Validate() = %v, want nil", err)
	}
	seen := map[string]bool{}
	for _, v := range DefaultVaccines() {
		if err := v.Validate(); err != nil {
			t.Errorf("DefaultVaccines() %s: Validate() = %v", v.ID, err)
		}
		if seen[v.ID] {
			t.Errorf("DefaultVaccines() repeats id %q", v.ID)
		}
		seen[v.ID] = true
	}
	penta, ok := FindVaccine(DefaultVaccines(), "penta")
	if !ok || penta.DosesPerVial != 10 || penta.Wastage != 0.25 {
		t.Errorf("FindVaccine(penta) = %+v, %v; want 10 doses per vial, 25%% wastage", penta, ok)
	}
	if _, ok := FindVaccine(DefaultVaccines(), "smallpox"); ok {
		t.Errorf("FindVaccine(smallpox) found a vaccine, want none")
	}
	bad := Vaccine{ID: "x", DosesPerVial: 10, Wastage: 1}
	if err := bad.Validate(); fieldOf(err) != "wastage" {
		t.Errorf("Vaccine%+v.Validate() = %v, want field wastage", bad, err)
	}
}
