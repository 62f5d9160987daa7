package stock

import (
	"fmt"

	"github.com/chanjo-health/chanjo/lessons/i18n"
)

// Calculators is the calculator table, in the order of the phone's stock
// menu; calculators without a Title are the API's only.
var Calculators = []Calculator{
	{Name: "months-of-stock", Title: "calc.months.title", Vaccine: true,
		Inputs: append([]Input{askOnHand, optInTransit, askAMC}, policyInputs...), run: runMonths},
	{Name: "order-quantity", Title: "calc.order.title", Vaccine: true,
		Inputs: append([]Input{optAMC, askOnHand, askInTransit,
			{Key: "maximum_stock", Unit: Doses, Optional: true},
			{Key: "order_point", Unit: Doses, Optional: true},
			dosesPerVial}, policyInputs...), run: runOrder},
	{Name: "stock-count", Title: "calc.count.title", Vaccine: true,
		Inputs: []Input{
			{Key: "opening", Unit: Doses, Prompt: "calc.ask.opening"},
			{Key: "received", Unit: Doses, Prompt: "calc.ask.received"},
			{Key: "closing", Unit: Doses, Prompt: "calc.ask.closing"},
			{Key: "administered", Unit: Doses, Prompt: "calc.ask.administered"},
			{Key: "unopened_lost", Unit: Doses, Optional: true, Default: zero},
			{Key: "carried_open_doses", Unit: Doses, Optional: true, Default: zero},
		}, run: runStockCount},
	{Name: "need-target-population", Title: "calc.need_target.title",
		Group: needGroup, Item: "calc.need_target.item", Vaccine: true,
		Inputs: []Input{askTarget,
			{Key: "doses_in_schedule", Unit: Doses, Prompt: "calc.ask.doses_in_schedule"},
			{Key: "coverage_target", Unit: Percent, Prompt: "calc.ask.coverage_target"},
			{Key: "wastage_rate", Unit: Percent, Prompt: "calc.ask.wastage_rate", Hint: true, Confirm: true},
			supplyMonths,
		}, run: runNeedTarget},
	{Name: "need-consumption", Title: "calc.need_amc.title",
		Group: needGroup, Item: "calc.need_amc.item", Vaccine: true,
		Inputs: []Input{optAMC,
			{Key: "months", Kind: List, Optional: true, Fields: []string{"consumed", "stock_out_days"}},
			{Key: "growth", Unit: Percent, Optional: true, Default: zero,
				Prompt: "calc.ask.growth"},
			supplyMonths,
		}, run: runNeedConsumption},
	{Name: "need-session-size", Vaccine: true,
		Inputs: []Input{
			{Key: "posts", Unit: Sessions}, {Key: "weeks", Unit: Sessions},
			{Key: "sessions_per_week", Unit: Sessions}, {Key: "vials_per_session", Unit: Sessions},
			dosesPerVial, supplyMonths,
		}, run: runNeedSession},
	{Name: "session-vials", Title: "calc.vials.title", Vaccine: true,
		Inputs: []Input{{Key: "expected_children", Unit: People,
			Prompt: "calc.ask.expected_children"},
			dosesPerVial}, run: runVials},
	{Name: "dropout", Title: "calc.dropout.title",
		Inputs: []Input{
			{Key: "counts", Kind: Choice, Optional: true, Options: []string{"year_to_date", "month"}},
			{Key: "first_dose", Unit: People, Prompt: "calc.ask.first_dose"},
			{Key: "later_dose", Unit: People, Prompt: "calc.ask.later_dose"},
			askTarget,
			{Key: "months", Unit: Months, Optional: true, Default: countedMonths,
				Prompt: "calc.ask.months"},
		}, run: runDropout},
	{Name: "open-vial-wastage", Vaccine: true,
		Inputs: []Input{{Key: "months", Kind: List, Fields: []string{"opened", "administered"}}}, run: runOpenVial},
	{Name: "wastage-factor", Inputs: []Input{{Key: "wastage_rate", Unit: Percent}}, run: runWastageFactor},
	{Name: "stock-levels", Vaccine: true,
		Inputs: append([]Input{{Key: "amc", Unit: Doses}, {Key: "stock_on_hand", Unit: Doses, Optional: true}, optInTransit},
			policyInputs...), run: runLevels},
	{Name: "coverage",
		Inputs: []Input{{Key: "doses_this_month", Unit: Doses}, {Key: "doses_to_date", Unit: Doses},
			{Key: "target_population", Unit: People}, {Key: "months_so_far", Unit: Months},
			{Key: "coverage_target", Unit: Percent, Optional: true, Default: zero}}, run: runCoverage},
}

// needGroup is the phone's menu item of the two monthly need methods.
const needGroup = "calc.need.group"

// The inputs several calculators share.
var (
	askAMC = Input{Key: "amc", Unit: Doses, Prompt: "calc.ask.amc"}
	// optAMC is the AMC where the API may give another figure instead.
	optAMC       = Input{Key: "amc", Unit: Doses, Optional: true, Prompt: askAMC.Prompt}
	askOnHand    = Input{Key: "stock_on_hand", Unit: Doses, Prompt: "calc.ask.stock_on_hand"}
	askInTransit = Input{Key: "in_transit", Unit: Doses, Optional: true, Default: zero,
		Prompt: "calc.ask.in_transit"}
	optInTransit = Input{Key: "in_transit", Unit: Doses, Optional: true, Default: zero}
	askTarget    = Input{Key: "target_population", Unit: People, Prompt: "calc.ask.target_population"}
	dosesPerVial = Input{Key: "doses_per_vial", Unit: Doses, Optional: true, Whole: true,
		Default: func(v Values) float64 { return float64(v.Vaccine.DosesPerVial) }}
	supplyMonths = Input{Key: "supply_months", Unit: Months, Optional: true,
		Default: func(v Values) float64 { return v.Settings.Policy.SupplyMonths }}
	// policyInputs are the stock policy's figures, the pack's unless a
	// request gives its own.
	policyInputs = []Input{supplyMonths,
		{Key: "safety_fraction", Unit: Percent, Optional: true, Default: func(v Values) float64 { return v.Settings.Policy.SafetyFraction }},
		{Key: "lead_days", Unit: Days, Optional: true, Whole: true, Default: func(v Values) float64 { return float64(v.Settings.Policy.LeadDays) }},
	}
)

func zero(Values) float64 { return 0 }

// countedMonths is a dropout's months by default: a whole year of
// year-to-date counts, or the one month of a month's counts.
func countedMonths(v Values) float64 {
	if v.Choice("counts") == "month" {
		return 1
	}
	return 12
}

// either refuses values that give both or neither of a and b.
func either(v Values, a, b string) error {
	if v.Has(a) == v.Has(b) {
		return &InputError{Field: b, Reason: tx("give either "+b+" or "+a, "weka "+b+" au "+a+", kimoja tu")}
	}
	return nil
}

// runMonths grades months of stock against the stock policy, as the order
// quantity does.
func runMonths(v Values) (Result, error) {
	r, err := MonthsOfStock(v.Num("stock_on_hand"), v.Num("in_transit"), v.Num("amc"), v.policy())
	if err != nil {
		return Result{}, err
	}
	m, name := r.Months.Months(), v.Vaccine.Name
	return Result{
		Answer:   NewAnswer("", r.Values(), r.Status, append([]i18n.Text{r.Formula}, r.Levels.Steps()...)...),
		Headline: tx(name+": months of stock "+m, name+": miezi ya akiba "+m),
		Shown:    []i18n.Text{r.Formula, r.Levels.Formula},
	}, nil
}

// runOrder orders up to the maximum stock: the policy's, from the AMC, or
// the maximum and order point given.
func runOrder(v Values) (Result, error) {
	if err := either(v, "amc", "maximum_stock"); err != nil {
		return Result{}, err
	}
	onHand, inTransit, dpv := v.Num("stock_on_hand"), v.Num("in_transit"), int(v.Num("doses_per_vial"))
	o := Order{OnHand: onHand, InTransit: inTransit, DosesPerVial: dpv, Maximum: v.Num("maximum_stock"), OrderPoint: v.Num("order_point")}
	var levels map[string]any
	var steps, shown []i18n.Text
	var l LevelsResult
	if v.Has("amc") {
		var err error
		if l, err = StockLevels(v.Num("amc"), v.policy()); err != nil {
			return Result{}, err
		}
		o, levels, steps, shown = l.Order(onHand, inTransit, dpv), l.Values(), l.Steps(), []i18n.Text{l.Formula}
	}
	r, err := OrderQuantity(o)
	if err != nil {
		return Result{}, err
	}
	name, d, vials, per := v.Vaccine.Name, num(r.Doses), num(r.Vials), num(float64(dpv))
	head := tx(name+": order "+d+" doses = "+vials+" vials of "+per, name+": agiza dozi "+d+" = chupa "+vials+" za dozi "+per)
	if levels != nil {
		lv := []any{num(l.SafetyStock), num(l.OrderPoint), num(l.Maximum)}
		head["en"] += fmt.Sprintf("\nSafety stock %s, order point %s, maximum stock %s doses", lv...)
		head["sw"] += fmt.Sprintf("\nAkiba ya usalama %s, kiwango cha kuagiza %s, kiwango cha juu %s", lv...)
	}
	return Result{Answer: NewAnswer("", r.Values(levels), r.Status, append(steps, r.Formula)...),
		Headline: head, Shown: append(shown, r.Formula)}, nil
}

// runStockCount judges a period's wastage against the vaccine's acceptable
// rate and its open-vial rule. A phone does not ask the doses carried over
// (0), so a 28-day vaccine's month above its consumption is accepted with
// the warning the API gives.
func runStockCount(v Values) (Result, error) {
	in := Count{Vaccine: v.Vaccine, Opening: v.Num("opening"), Received: v.Num("received"), Closing: v.Num("closing"),
		Administered: v.Num("administered"), UnopenedLost: v.Num("unopened_lost"), CarriedOpen: v.Num("carried_open_doses")}
	r, err := StockCount(in)
	if err != nil {
		return Result{}, err
	}
	a := NewAnswer("", r.Values(), r.Status, r.Formula)
	a.Warnings = r.Warnings
	factor := "N/A"
	if r.WastageFactor.Valid {
		factor = fixed(r.WastageFactor.Value, 3)
	}
	args := []any{num(r.Consumed), num(in.Administered), r.WastageRate.Percent(), factor}
	return Result{Answer: a, Headline: tx(
		fmt.Sprintf("Consumed %s doses, administered %s\nWastage %s, wastage factor %s", args...),
		fmt.Sprintf("Zilizotumika dozi %s, walizopewa %s\nUpotevu %s, kizidishi cha upotevu %s", args...))}, nil
}

// runNeedTarget is the need from the target population, with the nurse's
// own measured wastage, flagged when it is above the vaccine's acceptable
// rate.
func runNeedTarget(v Values) (Result, error) {
	in := TargetNeed{TargetPopulation: v.Num("target_population"), DosesInSchedule: v.Num("doses_in_schedule"),
		CoverageTarget: v.Num("coverage_target"), WastageRate: v.Num("wastage_rate"), SupplyMonths: v.Num("supply_months"), Vaccine: v.Vaccine}
	r, err := NeedByTarget(in)
	if err != nil {
		return Result{}, err
	}
	a := NewAnswer("", r.TargetValues(), r.Status, r.Formula)
	a.Warnings = r.Warnings
	w := pct(in.WastageRate)
	head := needHeadline(r, in.SupplyMonths)
	head["en"] = v.Vaccine.Name + ", wastage " + w + ": " + head["en"]
	head["sw"] = v.Vaccine.Name + ", upotevu " + w + ": " + head["sw"]
	return Result{Answer: a, Headline: head}, nil
}

// needHeadline is the need for the supply period and the year.
func needHeadline(r NeedResult, months float64) i18n.Text {
	if months == 1 {
		return tx("monthly need "+num(r.PeriodNeed)+" doses, annual "+num(r.AnnualNeed),
			"mahitaji ya mwezi dozi "+num(r.PeriodNeed)+", mwaka "+num(r.AnnualNeed))
	}
	return tx("need for "+monthsEN(months)+" "+num(r.PeriodNeed)+" doses, annual "+num(r.AnnualNeed),
		"mahitaji ya "+monthsSW(months)+" dozi "+num(r.PeriodNeed)+", mwaka "+num(r.AnnualNeed))
}

// runNeedConsumption is the need from an AMC, given or averaged from
// months adjusted for their stock-out days.
func runNeedConsumption(v Values) (Result, error) {
	if err := either(v, "months", "amc"); err != nil {
		return Result{}, err
	}
	in := ConsumptionNeed{AMC: v.Num("amc"), Growth: v.Num("growth"), SupplyMonths: v.Num("supply_months")}
	var formulas []i18n.Text
	var adjusted []float64
	if v.Has("months") {
		var months []MonthConsumption
		for _, m := range v.List("months") {
			months = append(months, MonthConsumption{Consumed: m["consumed"], StockOutDays: m["stock_out_days"]})
		}
		amc, err := AverageMonthlyConsumption(months)
		if err != nil {
			return Result{}, err
		}
		in.AMC, adjusted, formulas = amc.AMC, amc.Adjusted, append(formulas, amc.Formula)
	}
	r, err := NeedByConsumption(in)
	if err != nil {
		return Result{}, err
	}
	vals := r.Values()
	vals["amc"] = Round(in.AMC, 1)
	if adjusted != nil {
		vals["adjusted_consumption"] = adjusted
	}
	head := needHeadline(r, in.SupplyMonths)
	head["en"] = capital(head["en"])
	head["sw"] = capital(head["sw"])
	return Result{Answer: NewAnswer("", vals, r.Status, append(formulas, r.Formula)...), Headline: head}, nil
}

// capital starts s with a capital letter (ASCII, as every headline is).
func capital(s string) string {
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		return string(s[0]-'a'+'A') + s[1:]
	}
	return s
}

func runNeedSession(v Values) (Result, error) {
	in := SessionNeed{Posts: v.Num("posts"), Weeks: v.Num("weeks"), SessionsPerWeek: v.Num("sessions_per_week"),
		VialsPerSession: v.Num("vials_per_session"), DosesPerVial: int(v.Num("doses_per_vial")), SupplyMonths: v.Num("supply_months")}
	r, err := NeedBySession(in)
	if err != nil {
		return Result{}, err
	}
	return Result{Answer: NewAnswer("", map[string]any{"annual_vials": r.AnnualVials, "annual_need": r.AnnualNeed,
		"period_need": r.PeriodNeed, "period_vials": r.PeriodVials}, r.Status, r.Formula)}, nil
}

func runVials(v Values) (Result, error) {
	expected := v.Num("expected_children")
	r, err := SessionVials(expected, int(v.Num("doses_per_vial")))
	if err != nil {
		return Result{}, err
	}
	args := []any{v.Vaccine.Name, num(r.Vials), num(r.Doses), num(expected)}
	return Result{Answer: NewAnswer("", r.Values(), r.Status, r.Formula), Headline: tx(
		fmt.Sprintf("%s: %s vials (%s doses) for %s children", args...),
		fmt.Sprintf("%s: chupa %s (dozi %s) kwa watoto %s", args...))}, nil
}

// runDropout takes year-to-date counts unless counts is "month".
func runDropout(v Values) (Result, error) {
	counts := v.Choice("counts")
	if counts != "year_to_date" && counts != "month" {
		return Result{}, &InputError{Field: "counts", Reason: tx(`must be "year_to_date" or "month"`, `lazima iwe "year_to_date" au "month"`)}
	}
	in := DropoutInput{FirstDose: v.Num("first_dose"), LaterDose: v.Num("later_dose"),
		TargetPopulation: v.Num("target_population"), Months: v.Num("months"), Monthly: counts == "month"}
	r, err := Dropout(in)
	if err != nil {
		return Result{}, err
	}
	args := []any{r.Dropout.Percent(), r.FirstDoseCoverage.Percent()}
	return Result{Answer: NewAnswer("", r.Values(), r.Status, r.Formula), Headline: tx(
		fmt.Sprintf("Dropout this year so far %s, first-dose coverage %s", args...),
		fmt.Sprintf("Walioacha mwaka huu %s, kiwango cha uchanjaji dozi ya kwanza %s", args...))}, nil
}

func runOpenVial(v Values) (Result, error) {
	var months []VialMonth
	for _, m := range v.List("months") {
		months = append(months, VialMonth{Opened: m["opened"], Administered: m["administered"]})
	}
	r, err := OpenVialWastage(months, v.Vaccine)
	if err != nil {
		return Result{}, err
	}
	perMonth := make([]any, len(r.Months))
	for i, m := range r.Months {
		perMonth[i] = PercentValue(m)
	}
	return Result{Answer: NewAnswer("", map[string]any{
		"months_pct": perMonth, "total_opened": r.TotalOpened, "total_administered": r.TotalAdministered,
		"cumulative_pct": PercentValue(r.Cumulative),
	}, r.Status, r.Formula)}, nil
}

func runWastageFactor(v Values) (Result, error) {
	r, err := WastageFactor(v.Num("wastage_rate"))
	if err != nil {
		return Result{}, err
	}
	a := NewAnswer("", map[string]any{"wastage_rate_pct": Round(r.WastageRate*100, 1), "wastage_factor": Round(r.Factor, 3)},
		r.Status, r.Formula)
	a.Warnings = r.Warnings
	return Result{Answer: a}, nil
}

// runLevels computes the policy's levels and, given the stock on hand,
// grades it as months-of-stock and order-quantity do.
func runLevels(v Values) (Result, error) {
	amc, p := v.Num("amc"), v.policy()
	graded := v.Has("stock_on_hand")
	onHand, inTransit := v.Num("stock_on_hand"), v.Num("in_transit")
	if graded {
		if _, err := MonthsOfStock(onHand, inTransit, amc, p); err != nil {
			return Result{}, err
		}
	}
	r, err := StockLevels(amc, p)
	if err != nil {
		return Result{}, err
	}
	s := r.Status
	if graded {
		s = r.Grade(onHand, inTransit)
	}
	return Result{Answer: NewAnswer("", r.Values(), s, r.Steps()...)}, nil
}

func runCoverage(v Values) (Result, error) {
	r, err := Coverage(CoverageInput{DosesThisMonth: v.Num("doses_this_month"), DosesToDate: v.Num("doses_to_date"),
		TargetPopulation: v.Num("target_population"), MonthsSoFar: v.Num("months_so_far"), CoverageTarget: v.Num("coverage_target")})
	if err != nil {
		return Result{}, err
	}
	return Result{Answer: NewAnswer("", map[string]any{"monthly_target": Round(r.MonthlyTarget, 1),
		"monthly_coverage_pct": PercentValue(r.Monthly), "coverage_to_date_pct": PercentValue(r.ToDate)}, r.Status, r.Formula)}, nil
}
