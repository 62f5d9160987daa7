package stock

import (
	"fmt"

	"github.com/chanjo-health/chanjo/lessons/i18n"
)

// Thresholds of the decision rules (RED): first-dose coverage of 80% or more
// is good access, dropout under 10% is good use.
const (
	GoodAccess  = 0.80
	GoodDropout = 0.10
)

// DropoutInput counts first and later doses (Penta1 and Penta3, or Penta1
// and MR1) over the same months: year-to-date cumulative counts, as on
// WHO's monitoring chart, unless Monthly.
type DropoutInput struct {
	FirstDose        float64 // e.g. Penta1 given
	LaterDose        float64 // e.g. Penta3 or MR1 given
	TargetPopulation float64 // annual target population (surviving infants)
	Months           float64 // months the counts cover, 1 to 12 (1 when Monthly)
	Monthly          bool    // one month's counts: different children, so it can be negative
}

// earlyMonths is how long a negative year-to-date dropout is expected:
// January's Penta3 children had their Penta1 last year.
const earlyMonths = 3

// DropoutResult is dropout with first-dose coverage; the status code is the
// access/utilisation category.
type DropoutResult struct {
	Dropout           Ratio // (first - later) / first; may be negative (see Dropout)
	PeriodTarget      float64
	FirstDoseCoverage Ratio // first / (target / 12 x months)
	Status            Status
	Formula           i18n.Text
}

// Dropout computes dropout and first-dose coverage and names the category:
// good, utilisation problem, access problem, or both. A negative month is
// shown and explained, never a data error (its later doses went to children
// whose first dose was earlier); a negative year-to-date dropout after
// March is a data error to check.
func Dropout(in DropoutInput) (DropoutResult, error) {
	var c checker
	c.count("first_dose", in.FirstDose)
	c.count("later_dose", in.LaterDose)
	c.amount("target_population", in.TargetPopulation)
	c.positiveInt("months", in.Months, 12)
	c.that(!in.Monthly || in.Months == 1, "months", "must be 1 for one month's counts", "lazima iwe 1 kwa hesabu za mwezi mmoja")
	if err := c.result(); err != nil {
		return DropoutResult{}, fmt.Errorf("stock: dropout: %w", err)
	}
	target := in.TargetPopulation / 12 * in.Months
	r := DropoutResult{
		Dropout:           ratio(in.FirstDose-in.LaterDose, in.FirstDose),
		PeriodTarget:      target,
		FirstDoseCoverage: ratio(in.FirstDose, target),
	}
	r.Status = dropoutStatus(r, in)
	args := []any{num(in.FirstDose), num(in.LaterDose), num(in.FirstDose)}
	r.Formula = i18n.Text{
		"en": fmt.Sprintf("dropout = (first dose - later dose) / first dose = (%s - %s) / %s", args...),
		"sw": fmt.Sprintf("walioacha = (dozi ya kwanza - ya baadaye) / ya kwanza = (%s - %s) / %s", args...),
	}
	return r, nil
}

func dropoutStatus(r DropoutResult, in DropoutInput) Status {
	d, cov := r.Dropout.Percent(), r.FirstDoseCoverage.Percent()
	switch {
	case !r.Dropout.Valid:
		return status(CodeNA, "no first doses: dropout is N/A", "hakuna dozi za kwanza: kiwango cha walioacha N/A")
	case r.Dropout.Value < 0 && in.Monthly:
		return status(CodeOK, "dropout "+d+" this month: later doses of children vaccinated earlier; judge year to date",
			"walioacha "+d+" mwezi huu: watoto wa miezi iliyopita; pima kwa mwaka hadi sasa")
	case r.Dropout.Value < 0 && in.Months <= earlyMonths:
		return status(CodeOK, "dropout "+d+" early in the year: children first vaccinated last year; check again after March",
			"walioacha "+d+" mwanzo wa mwaka: watoto wa mwaka jana; kagua tena baada ya Machi")
	case r.Dropout.Value < 0:
		return status(CodeDataError, "data error: year-to-date dropout "+d+": check tallies, dose numbers, out-of-area children",
			"kosa la takwimu: walioacha "+d+" mwaka huu: kagua fomu ya alama, namba za dozi, watoto wa nje")
	case !r.FirstDoseCoverage.Valid:
		return status(CodeNA, "dropout "+d+"; no target population, access is N/A",
			"walioacha "+d+"; hakuna walengwa, ufikiaji N/A")
	case r.FirstDoseCoverage.Value > 1:
		return status(CodeDataError, "data error: coverage "+cov+" above 100%, check target population",
			"kosa la takwimu: kiwango cha uchanjaji "+cov+" zaidi ya 100%, kagua walengwa")
	}
	access := r.FirstDoseCoverage.Value >= GoodAccess
	use := r.Dropout.Value < GoodDropout
	switch {
	case access && use:
		return status(CodeGood, "good access ("+cov+") and good use (dropout "+d+")",
			"ufikiaji mzuri ("+cov+") na matumizi mazuri (walioacha "+d+")")
	case access:
		return status(CodeUtilisation, "utilisation problem (dropout "+d+"): trace defaulters, remind",
			"tatizo la matumizi (walioacha "+d+"): fuatilia walioacha, kumbusha")
	case use:
		return status(CodeAccess, "access problem (coverage "+cov+"): plan outreach",
			"tatizo la ufikiaji ("+cov+"): panga huduma ya kufikia jamii")
	}
	return status(CodeAccessAndUse, "access and use problems ("+cov+", dropout "+d+"): outreach, trace",
		"matatizo ya ufikiaji na matumizi ("+cov+", walioacha "+d+"): kufikia jamii, fuatilia")
}

// CoverageInput counts doses to the target age against the target
// population.
type CoverageInput struct {
	DosesThisMonth   float64
	DosesToDate      float64 // this year so far, this month included
	TargetPopulation float64 // annual
	MonthsSoFar      float64 // 1 to 12, this month included
	CoverageTarget   float64 // fraction to compare with; 0 for none
}

// CoverageResult is monthly and to-date coverage.
type CoverageResult struct {
	MonthlyTarget float64 // target population / 12
	Monthly       Ratio   // doses this month / monthly target
	ToDate        Ratio   // doses to date / (monthly target x months so far)
	Status        Status
	Formula       i18n.Text
}

// Coverage computes monthly coverage and coverage to date. Coverage above
// 100% is a data error to check before acting.
func Coverage(in CoverageInput) (CoverageResult, error) {
	var c checker
	c.count("doses_this_month", in.DosesThisMonth)
	c.count("doses_to_date", in.DosesToDate)
	c.that(in.DosesToDate >= in.DosesThisMonth, "doses_to_date",
		"must not be less than doses this month", "isiwe chini ya dozi za mwezi huu")
	c.amount("target_population", in.TargetPopulation)
	c.positiveInt("months_so_far", in.MonthsSoFar, 12)
	c.fraction("coverage_target", in.CoverageTarget, true)
	if err := c.result(); err != nil {
		return CoverageResult{}, fmt.Errorf("stock: coverage: %w", err)
	}
	monthly := in.TargetPopulation / 12
	r := CoverageResult{
		MonthlyTarget: monthly,
		Monthly:       ratio(in.DosesThisMonth, monthly),
		ToDate:        ratio(in.DosesToDate, monthly*in.MonthsSoFar),
	}
	r.Status = coverageStatus(r, in.CoverageTarget)
	args := []any{num(in.DosesToDate), num(monthly), num(in.MonthsSoFar)}
	r.Formula = i18n.Text{
		"en": fmt.Sprintf("to date = doses so far / (target / 12 x months) = %s / (%s x %s)", args...),
		"sw": fmt.Sprintf("hadi sasa = dozi / (walengwa / 12 x miezi) = %s / (%s x %s)", args...),
	}
	return r, nil
}

func coverageStatus(r CoverageResult, target float64) Status {
	td, m := r.ToDate.Percent(), r.Monthly.Percent()
	switch {
	case !r.ToDate.Valid:
		return status(CodeNA, "no target population: coverage is N/A", "hakuna walengwa: kiwango cha uchanjaji N/A")
	case r.ToDate.Value > 1 || r.Monthly.Value > 1:
		return status(CodeDataError, "data error: coverage above 100% ("+m+" month, "+td+" to date), check target",
			"kosa la takwimu: zaidi ya 100% ("+m+" mwezi, "+td+" hadi sasa), kagua walengwa")
	case target > 0 && r.ToDate.Value < target:
		return status(CodeBelowTarget, "coverage to date "+td+", below target "+pct(target)+"; month "+m,
			"uchanjaji hadi sasa "+td+", chini ya lengo "+pct(target)+"; mwezi "+m)
	case target > 0:
		return status(CodeOnTarget, "coverage to date "+td+", on target "+pct(target)+"; month "+m,
			"uchanjaji hadi sasa "+td+", imefikia lengo "+pct(target)+"; mwezi "+m)
	}
	return status(CodeOK, "coverage to date "+td+"; this month "+m, "uchanjaji hadi sasa "+td+"; mwezi huu "+m)
}
