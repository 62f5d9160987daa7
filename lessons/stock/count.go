package stock

import (
	"fmt"

	"github.com/chanjo-health/chanjo/lessons/i18n"
)

// Count is one period's stock count of one vaccine, in doses, as on the
// stock ledger and the MOH 710.
type Count struct {
	Opening      float64 // opening balance
	Received     float64 // received during the period
	Closing      float64 // counted closing balance
	Administered float64 // doses given (tally sheet)
	UnopenedLost float64 // doses lost in unopened vials: expired, frozen, broken, VVM at discard point
	CarriedOpen  float64 // doses left in vials opened last period and kept under the MDVP
	Vaccine      Vaccine // its acceptable rate and open-vial rule; the zero Vaccine is judged as a 6-hour vaccine, never flagged
}

// CountResult is what one stock count tells. The closed-vial wastage is over
// doses opened, DHIS2's denominator.
type CountResult struct {
	Consumed          float64 // opening + received - closing: every dose that left stock
	Opened            float64 // consumed - unopened lost
	UsageRate         Ratio   // administered / consumed
	WastageRate       Ratio   // (consumed - administered) / consumed; negative when a vial was carried over
	OpenVialWastage   Ratio   // (opened - administered) / opened; negative when a vial was carried over
	ClosedVialWastage Ratio   // unopened lost / opened
	WastageFactor     Ratio   // 1 / (1 - wastage rate); N/A when nothing was used or a vial was carried over
	Status            Status
	Formula           i18n.Text
	Warnings          []i18n.Text // more doses given than consumed and carried over
}

// StockCount computes consumption, usage and wastage from one period's count
// and judges the wastage against the vaccine's acceptable rate. A closing
// balance above opening + received, or more doses lost unopened than
// consumed, is a data error: the nurse must recount. More doses
// administered than consumed is a data error for a vaccine discarded at the
// session's end; for one kept up to 28 days (the multi-dose vial policy) a
// vial opened last month explains it, so the count is accepted and says so,
// with a warning when the carried-over doses do not cover the difference.
func StockCount(in Count) (CountResult, error) {
	var c checker
	c.count("opening", in.Opening)
	c.count("received", in.Received)
	c.count("closing", in.Closing)
	c.count("administered", in.Administered)
	c.count("unopened_lost", in.UnopenedLost)
	c.count("carried_open_doses", in.CarriedOpen)
	c.that(in.Closing <= in.Opening+in.Received, "closing",
		"data error: more than opening + received, recount", "kosa la takwimu: zaidi ya mwanzo + zilizopokelewa, hesabu upya")
	consumed := in.Opening + in.Received - in.Closing
	c.that(in.UnopenedLost <= consumed, "unopened_lost",
		"data error: more than doses consumed, recount", "kosa la takwimu: zaidi ya dozi zilizotumika, hesabu upya")
	c.that(in.Administered <= consumed || in.Vaccine.CarriesOver(), "administered",
		"data error: more than doses consumed (vials are discarded after the session), recount",
		"kosa la takwimu: zaidi ya zilizotumika (chupa hutupwa baada ya kikao), hesabu upya")
	if err := c.result(); err != nil {
		return CountResult{}, fmt.Errorf("stock: stock count: %w", err)
	}
	opened := consumed - in.UnopenedLost
	r := CountResult{
		Consumed:          consumed,
		Opened:            opened,
		UsageRate:         ratio(in.Administered, consumed),
		WastageRate:       ratio(consumed-in.Administered, consumed),
		OpenVialWastage:   ratio(opened-in.Administered, opened),
		ClosedVialWastage: ratio(in.UnopenedLost, opened),
	}
	if r.UsageRate.Valid && r.UsageRate.Value > 0 && r.WastageRate.Value >= 0 {
		r.WastageFactor = ratio(1, r.UsageRate.Value)
	}
	r.Status = countStatus(r, in)
	if extra := in.Administered - consumed - in.CarriedOpen; extra > 0 {
		e := num(extra)
		r.Warnings = append(r.Warnings, i18n.Text{
			"en": e + " doses given beyond consumed and carried over: check the tally and the count",
			"sw": "dozi " + e + " zaidi ya zilizotumika na zilizobaki: kagua fomu ya alama na hesabu",
		})
	}
	if r.WastageRate.Valid {
		if w, ok := WastageWarning(r.WastageRate.Value); ok {
			r.Warnings = append(r.Warnings, w)
		}
	}
	r.Formula = i18n.Text{
		"en": fmt.Sprintf("wastage = (consumed - administered) / consumed = (%s - %s) / %s",
			num(consumed), num(in.Administered), num(consumed)),
		"sw": fmt.Sprintf("upotevu = (zilizotumika - walizopewa) / zilizotumika = (%s - %s) / %s",
			num(consumed), num(in.Administered), num(consumed)),
	}
	return r, nil
}

func countStatus(r CountResult, in Count) Status {
	w := r.WastageRate.Percent()
	if !r.UsageRate.Valid {
		return status(CodeNA, "no doses consumed: rates are N/A", "hakuna dozi zilizotumika: viwango N/A")
	}
	if r.WastageRate.Value < 0 {
		return status(CodeOK, "wastage "+w+" this month: a vial opened last month (MDVP); judge year-to-date wastage",
			"upotevu "+w+" mwezi huu: chupa iliyofunguliwa mwezi uliopita (MDVP); pima upotevu wa mwaka")
	}
	if high, ok := highWastage(r.WastageRate.Value, in.Vaccine); ok {
		return high
	}
	return status(CodeOK,
		fmt.Sprintf("usage %s, wastage %s; closed-vial %s of opened", r.UsageRate.Percent(), w, r.ClosedVialWastage.Percent()),
		fmt.Sprintf("matumizi %s, upotevu %s; chupa zilizofungwa %s ya zilizofunguliwa", r.UsageRate.Percent(), w, r.ClosedVialWastage.Percent()))
}

// VialMonth is one month's open-vial use.
type VialMonth struct {
	Opened       float64 // doses in the vials opened
	Administered float64 // doses given
}

// OpenVialResult holds each month's open-vial wastage and the cumulative
// figure, the one to report: under the multi-dose vial policy a vial opened
// in one month can be finished in the next, so one month can be negative.
type OpenVialResult struct {
	Months            []Ratio // (opened - administered) / opened, per month
	TotalOpened       float64
	TotalAdministered float64
	Cumulative        Ratio // sum(opened - administered) / sum(opened)
	Status            Status
	Formula           i18n.Text
}

// MaxMonths is the most months a calculator takes in one list.
const MaxMonths = 24

// OpenVialWastage computes open-vial wastage for one or several months and
// the cumulative figure. A negative month is a vial carried over for a
// vaccine kept up to 28 days, and a data error for one discarded after the
// session (v's open-vial rule).
func OpenVialWastage(months []VialMonth, v Vaccine) (OpenVialResult, error) {
	var c checker
	c.that(len(months) >= 1, "months", "must list at least 1 month", "weka angalau mwezi 1")
	c.that(len(months) <= MaxMonths, "months", "must list at most 24 months", "isizidi miezi 24")
	var r OpenVialResult
	for i, m := range months {
		c.count(fmt.Sprintf("months[%d].opened", i), m.Opened)
		c.count(fmt.Sprintf("months[%d].administered", i), m.Administered)
		r.Months = append(r.Months, ratio(m.Opened-m.Administered, m.Opened))
		r.TotalOpened += m.Opened
		r.TotalAdministered += m.Administered
	}
	if err := c.result(); err != nil {
		return OpenVialResult{}, fmt.Errorf("stock: open-vial wastage: %w", err)
	}
	r.Cumulative = ratio(r.TotalOpened-r.TotalAdministered, r.TotalOpened)
	r.Status = openVialStatus(r, v)
	r.Formula = i18n.Text{
		"en": fmt.Sprintf("cumulative = (sum opened - sum administered) / sum opened = (%s - %s) / %s",
			num(r.TotalOpened), num(r.TotalAdministered), num(r.TotalOpened)),
		"sw": fmt.Sprintf("jumla = (zilizofunguliwa - walizopewa) / zilizofunguliwa = (%s - %s) / %s",
			num(r.TotalOpened), num(r.TotalAdministered), num(r.TotalOpened)),
	}
	return r, nil
}

func openVialStatus(r OpenVialResult, v Vaccine) Status {
	cum := r.Cumulative.Percent()
	switch {
	case !r.Cumulative.Valid:
		return status(CodeNA, "no vials opened: wastage is N/A", "hakuna chupa zilizofunguliwa: upotevu N/A")
	case r.Cumulative.Value < 0:
		return status(CodeDataError, "data error: more doses given than opened, recount",
			"kosa la takwimu: walizopewa ni zaidi ya zilizofunguliwa, hesabu upya")
	}
	for i, m := range r.Months {
		switch {
		case !m.Valid || m.Value >= 0:
		case v.CarriesOver():
			return status(CodeOK,
				fmt.Sprintf("month %d negative (vial carried over, MDVP): report cumulative %s", i+1, cum),
				fmt.Sprintf("mwezi %d ni hasi (chupa ya mwezi uliopita, MDVP): ripoti jumla %s", i+1, cum))
		default:
			return status(CodeDataError,
				fmt.Sprintf("data error: month %d gave more than opened; vials are discarded after the session", i+1),
				fmt.Sprintf("kosa la takwimu: mwezi %d walizopewa zaidi ya zilizofunguliwa; chupa hutupwa baada ya kikao", i+1))
		}
	}
	return status(CodeOK, "cumulative open-vial wastage "+cum, "upotevu wa jumla wa chupa wazi "+cum)
}

// FactorResult is a wastage factor: how many doses to supply for each dose
// given.
type FactorResult struct {
	WastageRate float64 // the rate it was computed from, a fraction
	Factor      float64 // 1 / (1 - wastage rate)
	Status      Status
	Formula     i18n.Text
	Warnings    []i18n.Text // a rate of ConfirmWastage or more
}

// WastageFactor converts a wastage rate (a fraction below 1) into the
// wastage factor: 1.00 at 0%, undefined at 100% (rejected).
func WastageFactor(rate float64) (FactorResult, error) {
	var c checker
	c.wastage("wastage_rate", rate)
	if err := c.result(); err != nil {
		return FactorResult{}, fmt.Errorf("stock: wastage factor: %w", err)
	}
	f := 1 / (1 - rate)
	per100 := num(100 * f)
	var warnings []i18n.Text
	if w, ok := WastageWarning(rate); ok {
		warnings = append(warnings, w)
	}
	return FactorResult{
		Warnings:    warnings,
		WastageRate: rate,
		Factor:      f,
		Status: status(CodeOK, "supply "+per100+" doses for every 100 given",
			"toa dozi "+per100+" kwa kila dozi 100 zinazotolewa"),
		Formula: i18n.Text{
			"en": fmt.Sprintf("factor = 100 / (100 - wastage %%) = 100 / (100 - %s) = %s", fixed(rate*100, 1), fixed(f, 3)),
			"sw": fmt.Sprintf("kizidishi = 100 / (100 - upotevu %%) = 100 / (100 - %s) = %s", fixed(rate*100, 1), fixed(f, 3)),
		},
	}, nil
}
