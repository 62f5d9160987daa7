package stock

import (
	"fmt"
	"strings"

	"github.com/chanjo-health/chanjo/lessons/i18n"
)

// TargetNeed is the input of the target-population method.
type TargetNeed struct {
	TargetPopulation float64 // people in the target group in a year (e.g. surviving infants)
	DosesInSchedule  float64 // doses each person gets (3 for Penta)
	CoverageTarget   float64 // fraction (0.9 = 90%)
	WastageRate      float64 // the nurse's measured rate, a fraction up to MaxWastage
	SupplyMonths     float64 // months in the supply period
	Vaccine          Vaccine // its acceptable rate flags a high wastage; the zero Vaccine flags nothing
}

// NeedResult is a need in doses. Only the final quantities are rounded up.
type NeedResult struct {
	WastageFactor float64 // 1 / (1 - wastage rate), full precision
	AnnualExact   float64 // annual need before rounding
	AnnualNeed    float64 // rounded up
	PeriodNeed    float64 // annual exact / 12 x supply months, rounded up
	Status        Status
	Formula       i18n.Text
	Warnings      []i18n.Text // a rate of ConfirmWastage or more
}

// NeedByTarget computes the annual and supply-period need from the target
// population: target x doses x coverage x wastage factor.
func NeedByTarget(in TargetNeed) (NeedResult, error) {
	var c checker
	c.amount("target_population", in.TargetPopulation)
	c.positiveInt("doses_in_schedule", in.DosesInSchedule, 10)
	c.fraction("coverage_target", in.CoverageTarget, true)
	c.wastage("wastage_rate", in.WastageRate)
	c.supplyMonths(in.SupplyMonths)
	if err := c.result(); err != nil {
		return NeedResult{}, fmt.Errorf("stock: need by target population: %w", err)
	}
	factor := 1 / (1 - in.WastageRate)
	annual := in.TargetPopulation * in.DosesInSchedule * in.CoverageTarget * factor
	r := NeedResult{
		WastageFactor: factor,
		AnnualExact:   annual,
		AnnualNeed:    ceilDoses(annual),
		PeriodNeed:    ceilDoses(annual / 12 * in.SupplyMonths),
	}
	r.Status = needStatus(r.AnnualNeed, r.PeriodNeed, in.SupplyMonths)
	if high, ok := highWastage(in.WastageRate, in.Vaccine); ok {
		r.Status = high
	}
	if w, ok := WastageWarning(in.WastageRate); ok {
		r.Warnings = append(r.Warnings, w)
	}
	args := []any{num(in.TargetPopulation), num(in.DosesInSchedule), pct(in.CoverageTarget), fixed(factor, 3)}
	r.Formula = i18n.Text{
		"en": fmt.Sprintf("annual = target x doses x coverage x wastage factor = %s x %s x %s x %s", args...),
		"sw": fmt.Sprintf("mwaka = walengwa x dozi x lengo x kizidishi cha upotevu = %s x %s x %s x %s", args...),
	}
	return r, nil
}

// highWastage flags a rate above the vaccine's acceptable rate (docs/domain.md
// section 2); a vaccine without one is never flagged.
func highWastage(rate float64, v Vaccine) (Status, bool) {
	if v.Acceptable == 0 || rate <= v.Acceptable {
		return Status{}, false
	}
	r, a := pct(rate), pct(v.Acceptable)
	return status(CodeHighWastage,
		"wastage "+r+" above the acceptable "+a+": review sessions, MDVP, cold chain; never refuse a child",
		"upotevu "+r+" juu ya "+a+" inayokubalika: kagua vikao, MDVP, mnyororo wa baridi; usimkatae mtoto"), true
}

func (c *checker) supplyMonths(v float64) {
	c.amount("supply_months", v)
	c.that(v > 0, "supply_months", "must be above 0", "lazima iwe zaidi ya 0")
	c.that(v <= 24, "supply_months", "must be at most 24", "isizidi 24")
}

func needStatus(annual, period, months float64) Status {
	return status(CodeOK,
		fmt.Sprintf("need %s doses a year, %s doses for %s", num(annual), num(period), monthsEN(months)),
		fmt.Sprintf("mahitaji: dozi %s kwa mwaka, dozi %s kwa %s", num(annual), num(period), monthsSW(months)))
}

func monthsEN(m float64) string {
	if m == 1 {
		return "1 month"
	}
	return num(m) + " months"
}

func monthsSW(m float64) string {
	if m == 1 {
		return "mwezi 1"
	}
	return "miezi " + num(m)
}

// SessionNeed is the input of the session-size method.
type SessionNeed struct {
	Posts           float64 // fixed and outreach posts
	Weeks           float64 // weeks a year the sessions run
	SessionsPerWeek float64
	VialsPerSession float64 // vials opened in a session
	DosesPerVial    int
	SupplyMonths    float64
}

// SessionResult is a need from session size, in doses and vials.
type SessionResult struct {
	AnnualVials float64 // posts x weeks x sessions/week x vials/session
	AnnualNeed  float64 // annual vials x doses/vial
	PeriodNeed  float64 // annual need / 12 x supply months, rounded up
	PeriodVials float64 // period need / doses per vial, rounded up
	Status      Status
	Formula     i18n.Text
}

// NeedBySession computes the need from the number and size of sessions:
// posts x weeks x sessions/week x vials/session x doses/vial.
func NeedBySession(in SessionNeed) (SessionResult, error) {
	var c checker
	c.positiveInt("posts", in.Posts, 1000)
	c.positiveInt("weeks", in.Weeks, 53)
	c.positiveInt("sessions_per_week", in.SessionsPerWeek, 14)
	c.positiveInt("vials_per_session", in.VialsPerSession, 1000)
	c.positiveInt("doses_per_vial", float64(in.DosesPerVial), 100)
	c.supplyMonths(in.SupplyMonths)
	if err := c.result(); err != nil {
		return SessionResult{}, fmt.Errorf("stock: need by session size: %w", err)
	}
	dpv := float64(in.DosesPerVial)
	vials := in.Posts * in.Weeks * in.SessionsPerWeek * in.VialsPerSession
	r := SessionResult{AnnualVials: vials, AnnualNeed: vials * dpv}
	r.PeriodNeed = ceilDoses(r.AnnualNeed / 12 * in.SupplyMonths)
	r.PeriodVials = ceilDoses(r.PeriodNeed / dpv)
	r.Status = needStatus(r.AnnualNeed, r.PeriodNeed, in.SupplyMonths)
	args := []any{num(in.Posts), num(in.Weeks), num(in.SessionsPerWeek), num(in.VialsPerSession), in.DosesPerVial}
	r.Formula = i18n.Text{
		"en": fmt.Sprintf("annual = posts x weeks x sessions x vials x doses/vial = %s x %s x %s x %s x %d", args...),
		"sw": fmt.Sprintf("mwaka = vituo x wiki x vikao x chupa x dozi/chupa = %s x %s x %s x %s x %d", args...),
	}
	return r, nil
}

// MonthConsumption is one month's consumption and the days it was out of
// stock.
type MonthConsumption struct {
	Consumed     float64 // doses consumed in the month
	StockOutDays float64 // days with no stock, 0 to 30
}

// AMCResult is an average monthly consumption.
type AMCResult struct {
	Adjusted []float64 // each month adjusted for stock-out days, rounded up
	AMC      float64   // mean of the adjusted months, full precision
	Status   Status
	Formula  i18n.Text
}

// AverageMonthlyConsumption averages the last months' consumption (Kenyan
// analytics use 3), each adjusted for stock-out days as OpenLMIS does:
// ceil(C x 30 / (30 - X)); no stock-out days, a whole month out of stock or
// no consumption leave C unchanged.
func AverageMonthlyConsumption(months []MonthConsumption) (AMCResult, error) {
	var c checker
	c.that(len(months) >= 1, "months", "must list at least 1 month", "weka angalau mwezi 1")
	c.that(len(months) <= MaxMonths, "months", "must list at most 24 months", "isizidi miezi 24")
	var r AMCResult
	sum, adjusted := 0.0, 0
	for i, m := range months {
		c.count(fmt.Sprintf("months[%d].consumed", i), m.Consumed)
		field := fmt.Sprintf("months[%d].stock_out_days", i)
		c.count(field, m.StockOutDays)
		c.that(m.StockOutDays <= 30, field, "must be at most 30 (a month counts 30 days)", "isizidi 30 (mwezi ni siku 30)")
		a := AdjustForStockOut(m.Consumed, m.StockOutDays, 1)
		if a != m.Consumed {
			adjusted++
		}
		r.Adjusted = append(r.Adjusted, a)
		sum += a
	}
	if err := c.result(); err != nil {
		return AMCResult{}, fmt.Errorf("stock: average monthly consumption: %w", err)
	}
	n := float64(len(months))
	r.AMC = sum / n
	r.Status = status(CodeOK,
		fmt.Sprintf("AMC %s doses over %s; %d adjusted for stock-outs", num(r.AMC), monthsEN(n), adjusted),
		fmt.Sprintf("wastani %s dozi kwa %s; %d imerekebishwa kwa ukosefu", num(r.AMC), monthsSW(n), adjusted))
	r.Formula = i18n.Text{
		"en": fmt.Sprintf("AMC = sum / months = %s / %d; month = ceil(C x 30 / (30 - days out))", num(sum), len(months)),
		"sw": fmt.Sprintf("wastani = jumla / miezi = %s / %d; mwezi = ceil(C x 30 / (30 - siku bila))", num(sum), len(months)),
	}
	return r, nil
}

// AdjustForStockOut is ceil(C x 30M / (30M - X)) for consumption C over M
// months with X stock-out days; X = 0, C = 0 or a whole period out of stock
// give C. It takes validated input.
func AdjustForStockOut(consumed, stockOutDays, months float64) float64 {
	days := 30 * months
	if stockOutDays <= 0 || consumed == 0 || stockOutDays >= days {
		return consumed
	}
	return ceilDoses(consumed * days / (days - stockOutDays))
}

// ConsumptionNeed is the input of the consumption method.
type ConsumptionNeed struct {
	AMC          float64 // average monthly consumption, doses
	Growth       float64 // expected population growth, a fraction (0.03 = 3%)
	SupplyMonths float64
}

// NeedByConsumption computes the annual need AMC x 12 x (1 + growth) and
// the supply-period need AMC x months, both rounded up.
func NeedByConsumption(in ConsumptionNeed) (NeedResult, error) {
	var c checker
	c.amount("amc", in.AMC)
	c.fraction("growth", in.Growth, true)
	c.supplyMonths(in.SupplyMonths)
	if err := c.result(); err != nil {
		return NeedResult{}, fmt.Errorf("stock: need by consumption: %w", err)
	}
	annual := in.AMC * 12 * (1 + in.Growth)
	r := NeedResult{
		WastageFactor: 1,
		AnnualExact:   annual,
		AnnualNeed:    ceilDoses(annual),
		PeriodNeed:    ceilDoses(in.AMC * in.SupplyMonths),
	}
	r.Status = needStatus(r.AnnualNeed, r.PeriodNeed, in.SupplyMonths)
	g := strings.TrimSuffix(pct(in.Growth), "%")
	r.Formula = i18n.Text{
		"en": fmt.Sprintf("annual = AMC x 12 x (1 + growth) = %s x 12 x (1 + %s%%); period = AMC x months", num(in.AMC), g),
		"sw": fmt.Sprintf("mwaka = wastani x 12 x (1 + ongezeko) = %s x 12 x (1 + %s%%); kipindi = wastani x miezi", num(in.AMC), g),
	}
	return r, nil
}

// VialsResult is how many vials to take to one session.
type VialsResult struct {
	Vials   float64 // expected children / doses per vial, rounded up
	Doses   float64 // doses in those vials
	Status  Status
	Formula i18n.Text
}

// SessionVials is the number of vials to take to a session for the children
// expected there.
func SessionVials(expected float64, dosesPerVial int) (VialsResult, error) {
	var c checker
	c.count("expected_children", expected)
	c.positiveInt("doses_per_vial", float64(dosesPerVial), 100)
	if err := c.result(); err != nil {
		return VialsResult{}, fmt.Errorf("stock: session vials: %w", err)
	}
	vials := ceilDoses(expected / float64(dosesPerVial))
	v := num(vials)
	return VialsResult{
		Vials: vials,
		Doses: vials * float64(dosesPerVial),
		Status: status(CodeOK, "take "+v+" vials; never send a child away to save a vial",
			"chukua chupa "+v+"; usimrudishe mtoto ili kuokoa chupa"),
		Formula: i18n.Text{
			"en": fmt.Sprintf("vials = ceil(children / doses per vial) = ceil(%s / %d)", num(expected), dosesPerVial),
			"sw": fmt.Sprintf("chupa = ceil(watoto / dozi kwa chupa) = ceil(%s / %d)", num(expected), dosesPerVial),
		},
	}, nil
}
