package ussd

import (
	"fmt"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/lessons/stock"
)

// calculator is one stock calculator of the USSD menu: the numbers it asks
// for, one per screen, and how it runs them through package stock.
type calculator struct {
	key     string       // the JSON API's name, stored with the calculation
	title   lessons.Text // menu label and heading of its screens
	vaccine bool         // the vaccine is chosen first (stored; its vial size, acceptable wastage, open-vial rule)
	fields  []field      // in the order the calculator checks them
	run     func(e entries) (calculation, error)
}

// field is one number a calculator asks for.
type field struct {
	key     string       // the JSON API's field, as stock.InputError names it
	prompt  lessons.Text // the question with its unit
	percent bool         // typed as a whole percentage, used as a fraction
	hint    bool         // the vaccine's acceptable wastage is shown under the question
	confirm bool         // a rate of stock.ConfirmWastage or more is confirmed before it is used
}

// entries are the numbers typed so far, under the API's field names, with
// the chosen vaccine and the stock policy of the content pack.
type entries struct {
	nums    map[string]float64
	vaccine stock.Vaccine
	policy  stock.Policy
}

// calculation is a completed calculation: what is stored (inputs and answer
// in the JSON API's shape) and what the result screen shows.
type calculation struct {
	vaccine  string // the chosen vaccine's id, "" for a calculator without one
	inputs   map[string]any
	answer   stock.Answer
	headline lessons.Text   // the result, above the status line
	formulas []lessons.Text // shown below the status line
}

// with adds what the result screen shows and the vaccine e names to c: the
// vaccine goes into the stored inputs too, as the API takes it.
func (c calculation) with(e entries, headline lessons.Text, formulas ...lessons.Text) calculation {
	c.vaccine = e.vaccine.ID
	if c.vaccine != "" {
		c.inputs["vaccine"] = c.vaccine
	}
	c.headline, c.formulas = headline, formulas
	if len(formulas) == 0 {
		c.formulas = c.answer.Formula
	}
	return c
}

func txt(en, sw string) lessons.Text { return lessons.Text{"en": en, "sw": sw} }

// q formats a quantity as the calculators' texts do (1,365 or 1.5).
func q(x float64) string { return stock.Quantity(x) }

// The questions several calculators share.
var (
	askAMC      = field{key: "amc", prompt: txt("Average monthly consumption, AMC (doses):", "Wastani wa matumizi ya mwezi (dozi):")}
	askOnHand   = field{key: "stock_on_hand", prompt: txt("Usable stock on hand (doses):", "Akiba inayotumika iliyopo (dozi):")}
	askInTrans  = field{key: "in_transit", prompt: txt("Stock in transit, ordered but not received (doses):", "Akiba iliyo njiani, imeagizwa bado haijafika (dozi):")}
	askTarget   = field{key: "target_population", prompt: txt("Target population per year (children):", "Walengwa kwa mwaka (watoto):")}
	askExpected = field{key: "expected_children", prompt: txt("Children expected at the session (children):", "Watoto wanaotarajiwa kwenye kikao (watoto):")}
)

// The calculators of the menu. Their keys are the JSON API's names, so a
// calculation stored from USSD reads like one from the API. Every stock
// calculator asks the vaccine first, so that supervisors see stock per
// vaccine.
var (
	calcMonths = calculator{key: "months-of-stock", title: txt("Months of stock", "Miezi ya akiba"), vaccine: true,
		fields: []field{askOnHand, askAMC}, run: runMonths}
	calcOrder = calculator{key: "order-quantity", title: txt("Order quantity", "Kiasi cha kuagiza"), vaccine: true,
		fields: []field{askAMC, askOnHand, askInTrans}, run: runOrder}
	calcWastage = calculator{key: "stock-count", title: txt("Wastage", "Upotevu"), vaccine: true,
		fields: []field{
			{key: "opening", prompt: txt("Opening balance (doses):", "Salio la mwanzo (dozi):")},
			{key: "received", prompt: txt("Received in the month (doses):", "Zilizopokelewa mwezi huu (dozi):")},
			{key: "closing", prompt: txt("Closing balance counted (doses):", "Salio la mwisho lililohesabiwa (dozi):")},
			{key: "administered", prompt: txt("Administered, from the tally sheet (doses):", "Walizopewa, kutoka fomu ya alama (dozi):")},
		}, run: runWastage}
	calcNeedTarget = calculator{key: "need-target-population", title: txt("Need from target population", "Mahitaji kwa walengwa"), vaccine: true,
		fields: []field{askTarget,
			{key: "doses_in_schedule", prompt: txt("Doses each child gets in the schedule (doses):", "Dozi kwa kila mtoto kwenye ratiba (dozi):")},
			{key: "coverage_target", prompt: txt("Coverage target (%):", "Lengo la uchanjaji (%):"), percent: true},
			{key: "wastage_rate", prompt: txt("Your wastage this year (%):", "Upotevu wako mwaka huu (%):"),
				percent: true, hint: true, confirm: true},
		}, run: runNeedTarget}
	calcNeedAMC = calculator{key: "need-consumption", title: txt("Need from AMC", "Mahitaji kwa wastani"), vaccine: true,
		fields: []field{askAMC,
			{key: "growth", prompt: txt("Expected population growth in a year (%):", "Ongezeko la watu linalotarajiwa kwa mwaka (%):"), percent: true},
		}, run: runNeedAMC}
	calcVials = calculator{key: "session-vials", title: txt("Vials for a session", "Chupa kwa kikao"), vaccine: true,
		fields: []field{askExpected}, run: runVials}
	calcDropout = calculator{key: "dropout", title: txt("Dropout", "Kiwango cha walioacha"),
		fields: []field{
			{key: "first_dose", prompt: txt("First doses this year so far, e.g. Penta1 (children):", "Dozi za kwanza mwaka huu hadi sasa, mf. Penta1 (watoto):")},
			{key: "later_dose", prompt: txt("Later doses this year so far, e.g. Penta3 or MR1 (children):", "Dozi za baadaye mwaka huu hadi sasa, mf. Penta3 au MR1 (watoto):")},
			askTarget,
			{key: "months", prompt: txt("Months of this year so far, 1 to 12 (months):", "Miezi ya mwaka huu hadi sasa, 1 hadi 12 (miezi):")},
		}, run: runDropout}
)

// calculators lists every calculator of the menu, monthly need's two
// methods included.
var calculators = []calculator{calcMonths, calcOrder, calcWastage, calcNeedTarget, calcNeedAMC, calcVials, calcDropout}

// calcByKey finds a calculator by its API name, the argument of its screens.
func calcByKey(key string) (calculator, bool) {
	for _, c := range calculators {
		if c.key == key {
			return c, true
		}
	}
	return calculator{}, false
}

// runMonths grades months of stock against the pack's stock policy, as the
// order quantity does.
func runMonths(e entries) (calculation, error) {
	onHand, amc := e.nums["stock_on_hand"], e.nums["amc"]
	r, err := stock.MonthsOfStock(onHand, 0, amc, e.policy)
	if err != nil {
		return calculation{}, err
	}
	c := calculation{inputs: map[string]any{"stock_on_hand": onHand, "amc": amc,
		"supply_months": e.policy.SupplyMonths, "safety_fraction": e.policy.SafetyFraction, "lead_days": e.policy.LeadDays},
		answer: stock.NewAnswer("months-of-stock", r.Values(), r.Status, append([]lessons.Text{r.Formula}, r.Levels.Steps()...)...)}
	m := r.Months.Months()
	return c.with(e, txt(e.vaccine.Name+": months of stock "+m, e.vaccine.Name+": miezi ya akiba "+m),
		r.Formula, r.Levels.Formula), nil
}

// runOrder applies the pack's stock policy to the AMC (safety stock, order
// point, maximum stock) and orders up to the maximum.
func runOrder(e entries) (calculation, error) {
	amc, onHand, inTransit := e.nums["amc"], e.nums["stock_on_hand"], e.nums["in_transit"]
	l, err := stock.StockLevels(amc, e.policy)
	if err != nil {
		return calculation{}, err
	}
	dpv := e.vaccine.DosesPerVial
	r, err := stock.OrderQuantity(l.Order(onHand, inTransit, dpv))
	if err != nil {
		return calculation{}, err
	}
	c := calculation{
		inputs: map[string]any{"amc": amc, "stock_on_hand": onHand, "in_transit": inTransit, "doses_per_vial": dpv,
			"supply_months": e.policy.SupplyMonths, "safety_fraction": e.policy.SafetyFraction, "lead_days": e.policy.LeadDays},
		answer: stock.NewAnswer("order-quantity", r.Values(l.Values()), r.Status, append(l.Steps(), r.Formula)...),
	}
	name, d, v, per := e.vaccine.Name, q(r.Doses), q(r.Vials), q(float64(dpv))
	levels := []any{q(l.SafetyStock), q(l.OrderPoint), q(l.Maximum)}
	return c.with(e, lessons.Text{
		"en": name + ": order " + d + " doses = " + v + " vials of " + per + "\n" +
			fmt.Sprintf("Safety stock %s, order point %s, maximum stock %s doses", levels...),
		"sw": name + ": agiza dozi " + d + " = chupa " + v + " za dozi " + per + "\n" +
			fmt.Sprintf("Akiba ya usalama %s, kiwango cha kuagiza %s, kiwango cha juu %s", levels...),
	}, l.Formula, r.Formula), nil
}

// runWastage judges the month's wastage against the vaccine's acceptable
// rate and its open-vial rule; USSD does not ask the doses carried over
// (0), so a 28-day vaccine's month above its consumption is accepted with
// the warning the API gives.
func runWastage(e entries) (calculation, error) {
	in := stock.Count{Opening: e.nums["opening"], Received: e.nums["received"], Closing: e.nums["closing"],
		Administered: e.nums["administered"], Vaccine: e.vaccine}
	r, err := stock.StockCount(in)
	if err != nil {
		return calculation{}, err
	}
	c := calculation{
		inputs: map[string]any{"opening": in.Opening, "received": in.Received, "closing": in.Closing, "administered": in.Administered},
		answer: stock.NewAnswer("stock-count", r.Values(), r.Status, r.Formula),
	}
	c.answer.Warnings = r.Warnings
	factor := "N/A"
	if r.WastageFactor.Valid {
		factor = fmt.Sprintf("%.3f", r.WastageFactor.Value)
	}
	args := []any{q(r.Consumed), q(in.Administered), r.WastageRate.Percent(), factor}
	return c.with(e, lessons.Text{
		"en": fmt.Sprintf("Consumed %s doses, administered %s\nWastage %s, wastage factor %s", args...),
		"sw": fmt.Sprintf("Zilizotumika dozi %s, walizopewa %s\nUpotevu %s, kizidishi cha upotevu %s", args...),
	}), nil
}

// runNeedTarget is the monthly need (a supply period of one month) from the
// target population, with the nurse's own measured wastage, flagged when it
// is above the vaccine's acceptable rate.
func runNeedTarget(e entries) (calculation, error) {
	in := stock.TargetNeed{TargetPopulation: e.nums["target_population"], DosesInSchedule: e.nums["doses_in_schedule"],
		CoverageTarget: e.nums["coverage_target"], WastageRate: e.nums["wastage_rate"], SupplyMonths: 1, Vaccine: e.vaccine}
	r, err := stock.NeedByTarget(in)
	if err != nil {
		return calculation{}, err
	}
	c := calculation{
		inputs: map[string]any{"target_population": in.TargetPopulation, "doses_in_schedule": in.DosesInSchedule,
			"coverage_target": in.CoverageTarget, "wastage_rate": in.WastageRate, "supply_months": in.SupplyMonths},
		answer: stock.NewAnswer("need-target-population", r.TargetValues(), r.Status, r.Formula),
	}
	c.answer.Warnings = r.Warnings
	args := []any{e.vaccine.Name, stock.Ratio{Value: in.WastageRate, Valid: true}.Percent(), q(r.PeriodNeed), q(r.AnnualNeed)}
	return c.with(e, lessons.Text{
		"en": fmt.Sprintf("%s, wastage %s: monthly need %s doses, annual %s", args...),
		"sw": fmt.Sprintf("%s, upotevu %s: mahitaji ya mwezi dozi %s, mwaka %s", args...),
	}), nil
}

func runNeedAMC(e entries) (calculation, error) {
	in := stock.ConsumptionNeed{AMC: e.nums["amc"], Growth: e.nums["growth"], SupplyMonths: 1}
	r, err := stock.NeedByConsumption(in)
	if err != nil {
		return calculation{}, err
	}
	v := r.Values()
	v["amc"] = stock.Round(in.AMC, 1)
	c := calculation{inputs: map[string]any{"amc": in.AMC, "growth": in.Growth, "supply_months": in.SupplyMonths},
		answer: stock.NewAnswer("need-consumption", v, r.Status, r.Formula)}
	args := []any{q(r.PeriodNeed), q(r.AnnualNeed)}
	return c.with(e, lessons.Text{
		"en": fmt.Sprintf("Monthly need %s doses, annual %s", args...),
		"sw": fmt.Sprintf("Mahitaji ya mwezi dozi %s, mwaka %s", args...),
	}), nil
}

func runVials(e entries) (calculation, error) {
	expected, dpv := e.nums["expected_children"], e.vaccine.DosesPerVial
	r, err := stock.SessionVials(expected, dpv)
	if err != nil {
		return calculation{}, err
	}
	c := calculation{inputs: map[string]any{"expected_children": expected, "doses_per_vial": dpv},
		answer: stock.NewAnswer("session-vials", r.Values(), r.Status, r.Formula)}
	args := []any{e.vaccine.Name, q(r.Vials), q(r.Doses), q(expected)}
	return c.with(e, lessons.Text{
		"en": fmt.Sprintf("%s: %s vials (%s doses) for %s children", args...),
		"sw": fmt.Sprintf("%s: chupa %s (dozi %s) kwa watoto %s", args...),
	}), nil
}

func runDropout(e entries) (calculation, error) {
	in := stock.DropoutInput{FirstDose: e.nums["first_dose"], LaterDose: e.nums["later_dose"],
		TargetPopulation: e.nums["target_population"], Months: e.nums["months"]}
	r, err := stock.Dropout(in)
	if err != nil {
		return calculation{}, err
	}
	c := calculation{
		inputs: map[string]any{"first_dose": in.FirstDose, "later_dose": in.LaterDose,
			"target_population": in.TargetPopulation, "months": in.Months},
		answer: stock.NewAnswer("dropout", r.Values(), r.Status, r.Formula),
	}
	args := []any{r.Dropout.Percent(), r.FirstDoseCoverage.Percent()}
	return c.with(e, lessons.Text{
		"en": fmt.Sprintf("Dropout this year so far %s, first-dose coverage %s", args...),
		"sw": fmt.Sprintf("Walioacha mwaka huu %s, kiwango cha uchanjaji dozi ya kwanza %s", args...),
	}), nil
}
