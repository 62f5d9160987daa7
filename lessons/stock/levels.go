package stock

import (
	"fmt"

	"github.com/chanjo-health/chanjo/lessons/i18n"
)

// LevelsResult is the stock policy applied to one vaccine's consumption.
// The two levels a nurse acts on are rounded up to whole doses. Months of
// stock, stock levels and the order quantity all grade stock with Grade, so
// the three never disagree.
type LevelsResult struct {
	AMC          float64 // average monthly consumption, doses
	PeriodNeed   float64 // AMC x supply months
	SafetyStock  float64 // safety fraction x period need
	LeadTimeNeed float64 // period need x lead days / days in the period
	OrderPoint   float64 // lead-time need + safety stock, rounded up
	Maximum      float64 // period need + safety stock, rounded up
	Status       Status
	Formula      i18n.Text // the order-point arithmetic with the nurse's numbers
	Safety       i18n.Text // the safety-stock arithmetic
	Top          i18n.Text // the maximum-stock arithmetic
}

// StockLevels computes safety stock, order point and maximum stock from the
// average monthly consumption and the stock policy.
func StockLevels(amc float64, p Policy) (LevelsResult, error) {
	var c checker
	c.amount("amc", amc)
	if err := c.result(); err != nil {
		return LevelsResult{}, fmt.Errorf("stock: stock levels: %w", err)
	}
	if err := p.Validate(); err != nil {
		return LevelsResult{}, fmt.Errorf("stock: stock levels: %w", err)
	}
	need := amc * p.SupplyMonths
	r := LevelsResult{
		AMC:          amc,
		PeriodNeed:   need,
		SafetyStock:  p.SafetyFraction * need,
		LeadTimeNeed: need * float64(p.LeadDays) / (30 * p.SupplyMonths),
	}
	r.OrderPoint = ceilDoses(r.LeadTimeNeed + r.SafetyStock)
	r.Maximum = ceilDoses(need + r.SafetyStock)
	op, top := num(r.OrderPoint), num(r.Maximum)
	r.Status = status(CodeOK, "order when stock falls to the order point "+op+" or below; fill up to "+top,
		"agiza akiba ikifika kiwango cha kuagiza "+op+" au chini; jaza hadi "+top)
	if amc == 0 {
		r.Status = amcZero()
	}
	needText := num(amc)
	if p.SupplyMonths != 1 {
		needText = "(" + num(amc) + " x " + num(p.SupplyMonths) + ")"
	}
	s := num(r.SafetyStock)
	r.Safety = i18n.Text{
		"en": fmt.Sprintf("safety stock = %s x %s = %s", pct(p.SafetyFraction), needText, s),
		"sw": fmt.Sprintf("akiba ya usalama = %s x %s = %s", pct(p.SafetyFraction), needText, s),
	}
	opArgs := []any{num(amc), p.LeadDays, s, op}
	r.Formula = i18n.Text{
		"en": fmt.Sprintf("order point = AMC x lead days / 30 + safety = %s x %d / 30 + %s = %s", opArgs...),
		"sw": fmt.Sprintf("kiwango cha kuagiza = %s x siku %d / 30 + %s = %s", opArgs...),
	}
	r.Top = i18n.Text{
		"en": fmt.Sprintf("maximum stock = need + safety = %s + %s = %s", needText, s, top),
		"sw": fmt.Sprintf("kiwango cha juu = mahitaji + usalama = %s + %s = %s", needText, s, top),
	}
	return r, nil
}

// Steps are the safety-stock, order-point and maximum arithmetic, in the
// order a nurse works them out.
func (l LevelsResult) Steps() []i18n.Text { return []i18n.Text{l.Safety, l.Formula, l.Top} }

func amcZero() Status {
	return status(CodeNA, "N/A: no consumption (AMC 0): check sessions, stock-outs and data",
		"N/A: hakuna matumizi (wastani 0): kagua vikao, akiba kuisha na takwimu")
}

// Grade places stock against the policy's levels, first match winning
// (docs/domain.md section 2): with AMC 0 nothing can be graded (N/A); stock-out, below safety stock (usable stock on
// hand, not the position, is what children can be given), at or below the
// order point, within policy, above the maximum. The position counts stock
// in transit. The order it names fills up to the maximum.
func (l LevelsResult) Grade(onHand, inTransit float64) Status {
	pos := onHand + inTransit
	order := num(ceilDoses(max(0, l.Maximum-pos)))
	op, top, safe := num(l.OrderPoint), num(l.Maximum), num(l.SafetyStock)
	switch {
	case l.AMC == 0:
		return amcZero()
	case onHand == 0:
		return status(CodeStockOut, "stock-out: emergency order of "+order+" doses today; recall missed children",
			"akiba kuisha: agiza dozi "+order+" kwa dharura leo; waite watoto waliokosa")
	case onHand < l.SafetyStock:
		return status(CodeBelowSafety, "below safety stock "+safe+": emergency order of "+order+" doses; tell the sub-county",
			"chini ya akiba ya usalama "+safe+": agiza dozi "+order+" kwa dharura; ijulishe kaunti ndogo")
	case pos <= l.OrderPoint:
		return status(CodeBelowOrderPoint, "at or below the order point "+op+": order "+order+" doses now",
			"imefika kiwango cha kuagiza "+op+" au chini: agiza dozi "+order+" sasa")
	case pos <= l.Maximum:
		return status(CodeWithinPolicy, "within policy ("+op+" to "+top+"): order "+order+" doses at the next collection",
			"ndani ya sera ("+op+" hadi "+top+"): agiza dozi "+order+" wakati ujao wa kuchukua")
	}
	excess := num(pos - l.Maximum)
	return status(CodeAboveMaximum, "above maximum "+top+": "+excess+" doses overstock; order 0, report the excess",
		"juu ya kiwango cha juu "+top+": dozi "+excess+" akiba ya ziada; usiagize, ripoti ziada")
}

// MonthsResult is months of stock graded by the stock policy.
type MonthsResult struct {
	Months  Ratio // usable stock on hand / AMC; N/A when AMC is 0
	Levels  LevelsResult
	Status  Status
	Formula i18n.Text
}

// MonthsOfStock divides usable stock on hand by the average monthly
// consumption and grades the stock (with what is in transit) against the
// policy's safety stock, order point and maximum.
func MonthsOfStock(onHand, inTransit, amc float64, p Policy) (MonthsResult, error) {
	var c checker
	c.count("stock_on_hand", onHand)
	c.count("in_transit", inTransit)
	c.amount("amc", amc)
	if err := c.result(); err != nil {
		return MonthsResult{}, fmt.Errorf("stock: months of stock: %w", err)
	}
	l, err := StockLevels(amc, p)
	if err != nil {
		return MonthsResult{}, fmt.Errorf("stock: months of stock: %w", err)
	}
	r := MonthsResult{Months: ratio(onHand, amc), Levels: l, Status: l.Grade(onHand, inTransit)}
	m := "N/A"
	if r.Months.Valid {
		m = months(r.Months.Value)
	}
	r.Formula = i18n.Text{
		"en": fmt.Sprintf("months of stock = stock on hand / AMC = %s / %s = %s", num(onHand), num(amc), m),
		"sw": fmt.Sprintf("miezi ya akiba = akiba iliyopo / wastani wa matumizi = %s / %s = %s", num(onHand), num(amc), m),
	}
	return r, nil
}

// Order is the input of OrderQuantity. LevelsResult.Order fills it from the
// stock policy.
type Order struct {
	Maximum      float64 // maximum stock, doses
	OrderPoint   float64 // order point, doses; 0 if unknown
	OnHand       float64 // usable stock on hand
	InTransit    float64 // ordered or shipped, not yet received
	DosesPerVial int
	Levels       *LevelsResult // the policy's levels the maximum came from; nil when it was given
}

// Order returns the order input for this policy's levels.
func (l LevelsResult) Order(onHand, inTransit float64, dosesPerVial int) Order {
	return Order{Maximum: l.Maximum, OrderPoint: l.OrderPoint, OnHand: onHand, InTransit: inTransit,
		DosesPerVial: dosesPerVial, Levels: &l}
}

// OrderResult is an order in doses and vials.
type OrderResult struct {
	Position float64 // stock on hand + stock in transit
	Doses    float64 // max(0, maximum - position), rounded up
	Vials    float64 // doses / doses per vial, rounded up
	Excess   float64 // position above the maximum, 0 otherwise
	Status   Status
	Formula  i18n.Text
}

// OrderQuantity fills stock up to the maximum: max(0, maximum - (on hand +
// in transit)). Above the maximum it orders nothing and reports the excess.
// With the policy's levels it grades stock as MonthsOfStock does; with a
// maximum given, against that maximum and order point only. With AMC 0
// nothing is ordered: the need is unknown.
func OrderQuantity(in Order) (OrderResult, error) {
	var c checker
	c.count("maximum_stock", in.Maximum)
	c.count("order_point", in.OrderPoint)
	c.that(in.OrderPoint <= in.Maximum, "order_point", "must not exceed maximum", "isizidi kiwango cha juu")
	c.count("stock_on_hand", in.OnHand)
	c.count("in_transit", in.InTransit)
	c.positiveInt("doses_per_vial", float64(in.DosesPerVial), 100)
	if err := c.result(); err != nil {
		return OrderResult{}, fmt.Errorf("stock: order quantity: %w", err)
	}
	r := OrderResult{Position: in.OnHand + in.InTransit}
	if r.Position > in.Maximum {
		r.Excess = r.Position - in.Maximum
	} else {
		r.Doses = ceilDoses(in.Maximum - r.Position)
	}
	if in.Levels != nil && in.Levels.AMC == 0 {
		r.Excess = 0
	}
	r.Vials = ceilDoses(r.Doses / float64(in.DosesPerVial))
	r.Status = orderStatus(in, r)
	if in.Levels != nil {
		r.Status = in.Levels.Grade(in.OnHand, in.InTransit)
	}
	args := []any{num(in.Maximum), num(in.OnHand), num(in.InTransit), num(r.Doses)}
	r.Formula = i18n.Text{
		"en": fmt.Sprintf("order = maximum - (on hand + in transit) = %s - (%s + %s) = %s", args...),
		"sw": fmt.Sprintf("agizo = kiwango cha juu - (iliyopo + njiani) = %s - (%s + %s) = %s", args...),
	}
	return r, nil
}

// orderStatus grades an order whose maximum was given, without the policy.
func orderStatus(in Order, r OrderResult) Status {
	d, v := num(r.Doses), num(r.Vials)
	switch {
	case r.Excess > 0:
		e := num(r.Excess)
		return status(CodeAboveMaximum, "above maximum: "+e+" doses overstock, do not order",
			"juu ya kiwango cha juu: dozi "+e+" akiba ya ziada, usiagize")
	case r.Position <= in.OrderPoint:
		return status(CodeBelowOrderPoint, "at or below the order point: order "+d+" doses ("+v+" vials) now",
			"imefika kiwango cha kuagiza au chini: agiza dozi "+d+" (chupa "+v+") sasa")
	case r.Doses == 0:
		return status(CodeOK, "at maximum stock: no order", "akiba iko kiwango cha juu: usiagize")
	}
	return status(CodeOK, "order "+d+" doses ("+v+" vials) to reach maximum stock",
		"agiza dozi "+d+" (chupa "+v+") kufikia kiwango cha juu")
}
