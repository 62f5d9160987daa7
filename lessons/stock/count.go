package stock

import "fmt"

// Count is one period's stock count of one vaccine, in doses, as on the
// stock ledger and the MOH 710.
type Count struct {
	Opening      float64 // opening balance
	Received     float64 // received during the period
	Closing      float64 // counted closing balance
	Administered float64 // doses given (tally sheet)
	UnopenedLost float64 // doses lost in unopened vials: expired, frozen, broken, VVM at discard point
}

// CountResult is what one stock count tells. The closed-vial wastage is over
// doses opened, DHIS2's denominator.
type CountResult struct {
	Consumed          float64 // opening + received - closing: every dose that left stock
	Opened            float64 // consumed - unopened lost
	UsageRate         Ratio   // administered / consumed
	WastageRate       Ratio   // (consumed - administered) / consumed
	OpenVialWastage   Ratio   // (opened - administered) / opened; negative when a vial was carried over
	ClosedVialWastage Ratio   // unopened lost / opened
	WastageFactor     Ratio   // 1 / (1 - wastage rate); N/A when nothing was used
	Status            Status
	Formula           Text
}

// StockCount computes consumption, usage and wastage from one period's count.
// A closing balance above opening + received, more doses lost unopened than
// consumed, or more doses administered than consumed is a data error: the
// nurse must recount.
func StockCount(in Count) (CountResult, error) {
	var c checker
	c.count("opening", in.Opening)
	c.count("received", in.Received)
	c.count("closing", in.Closing)
	c.count("administered", in.Administered)
	c.count("unopened_lost", in.UnopenedLost)
	c.that(in.Closing <= in.Opening+in.Received, "closing",
		"data error: more than opening + received, recount", "kosa la takwimu: zaidi ya mwanzo + zilizopokelewa, hesabu upya")
	consumed := in.Opening + in.Received - in.Closing
	c.that(in.UnopenedLost <= consumed, "unopened_lost",
		"data error: more than doses consumed, recount", "kosa la takwimu: zaidi ya dozi zilizotumika, hesabu upya")
	c.that(in.Administered <= consumed, "administered",
		"data error: more than doses consumed, recount", "kosa la takwimu: zaidi ya dozi zilizotumika, hesabu upya")
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
	if r.UsageRate.Valid && r.UsageRate.Value > 0 {
		r.WastageFactor = ratio(1, r.UsageRate.Value)
	}
	r.Status = countStatus(r)
	r.Formula = Text{
		EN: fmt.Sprintf("wastage = (consumed - administered) / consumed = (%s - %s) / %s",
			num(consumed), num(in.Administered), num(consumed)),
		SW: fmt.Sprintf("upotevu = (zilizotumika - zilizotolewa) / zilizotumika = (%s - %s) / %s",
			num(consumed), num(in.Administered), num(consumed)),
	}
	return r, nil
}

func countStatus(r CountResult) Status {
	switch {
	case !r.UsageRate.Valid:
		return status(CodeNA, "no doses consumed: rates are N/A", "hakuna dozi zilizotumika: viwango N/A")
	case r.OpenVialWastage.Valid && r.OpenVialWastage.Value < 0:
		return status(CodeOK,
			"open-vial wastage "+r.OpenVialWastage.Percent()+": vial from last month? use year-to-date",
			"upotevu wa vial wazi "+r.OpenVialWastage.Percent()+": vial ya mwezi uliopita? tumia ya mwaka")
	}
	return status(CodeOK,
		fmt.Sprintf("usage %s, wastage %s; closed-vial %s of opened",
			r.UsageRate.Percent(), r.WastageRate.Percent(), r.ClosedVialWastage.Percent()),
		fmt.Sprintf("matumizi %s, upotevu %s; vial zilizofungwa %s ya zilizofunguliwa",
			r.UsageRate.Percent(), r.WastageRate.Percent(), r.ClosedVialWastage.Percent()))
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
	Formula           Text
}

// MaxMonths is the most months a calculator takes in one list.
const MaxMonths = 24

// OpenVialWastage computes open-vial wastage for one or several months and
// the cumulative figure.
func OpenVialWastage(months []VialMonth) (OpenVialResult, error) {
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
	r.Status = openVialStatus(r)
	r.Formula = Text{
		EN: fmt.Sprintf("cumulative = (sum opened - sum administered) / sum opened = (%s - %s) / %s",
			num(r.TotalOpened), num(r.TotalAdministered), num(r.TotalOpened)),
		SW: fmt.Sprintf("jumla = (zilizofunguliwa - zilizotolewa) / zilizofunguliwa = (%s - %s) / %s",
			num(r.TotalOpened), num(r.TotalAdministered), num(r.TotalOpened)),
	}
	return r, nil
}

func openVialStatus(r OpenVialResult) Status {
	cum := r.Cumulative.Percent()
	switch {
	case !r.Cumulative.Valid:
		return status(CodeNA, "no vials opened: wastage is N/A", "hakuna vial zilizofunguliwa: upotevu N/A")
	case r.Cumulative.Value < 0:
		return status(CodeDataError, "data error: more doses given than opened, recount",
			"kosa la takwimu: zilizotolewa ni zaidi ya zilizofunguliwa, hesabu upya")
	}
	for i, m := range r.Months {
		if m.Valid && m.Value < 0 {
			return status(CodeOK,
				fmt.Sprintf("month %d negative (vial carried over): report cumulative %s", i+1, cum),
				fmt.Sprintf("mwezi %d ni hasi (vial ya mwezi uliopita): ripoti jumla %s", i+1, cum))
		}
	}
	return status(CodeOK, "cumulative open-vial wastage "+cum, "upotevu wa jumla wa vial wazi "+cum)
}

// FactorResult is a wastage factor: how many doses to supply for each dose
// given.
type FactorResult struct {
	WastageRate float64 // the rate it was computed from, a fraction
	Factor      float64 // 1 / (1 - wastage rate)
	Status      Status
	Formula     Text
}

// WastageFactor converts a wastage rate (a fraction below 1) into the
// wastage factor: 1.00 at 0%, undefined at 100% (rejected).
func WastageFactor(rate float64) (FactorResult, error) {
	var c checker
	c.fraction("wastage_rate", rate, false)
	if err := c.result(); err != nil {
		return FactorResult{}, fmt.Errorf("stock: wastage factor: %w", err)
	}
	f := 1 / (1 - rate)
	per100 := num(100 * f)
	return FactorResult{
		WastageRate: rate,
		Factor:      f,
		Status: status(CodeOK, "supply "+per100+" doses for every 100 given",
			"toa dozi "+per100+" kwa kila dozi 100 zinazotolewa"),
		Formula: Text{
			EN: fmt.Sprintf("factor = 100 / (100 - wastage %%) = 100 / (100 - %s) = %s", fixed(rate*100, 1), fixed(f, 3)),
			SW: fmt.Sprintf("kizidishi = 100 / (100 - upotevu %%) = 100 / (100 - %s) = %s", fixed(rate*100, 1), fixed(f, 3)),
		},
	}, nil
}
