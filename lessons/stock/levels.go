package stock

import "fmt"

// MonthsResult is months of stock with the Kenyan analytics grading: under 1
// month understock, 1 to 2 adequate, over 2 overstock.
type MonthsResult struct {
	Months  Ratio // usable stock on hand / AMC; N/A when AMC is 0
	Status  Status
	Formula Text
}

// MonthsOfStock divides usable stock on hand by the average monthly
// consumption and grades the result.
func MonthsOfStock(onHand, amc float64) (MonthsResult, error) {
	var c checker
	c.count("stock_on_hand", onHand)
	c.amount("amc", amc)
	if err := c.result(); err != nil {
		return MonthsResult{}, fmt.Errorf("stock: months of stock: %w", err)
	}
	r := MonthsResult{Months: ratio(onHand, amc)}
	m := num(r.Months.Value)
	switch {
	case !r.Months.Valid:
		r.Status = status(CodeNA, "N/A: no consumption (AMC 0), months of stock cannot be computed",
			"N/A: hakuna matumizi (wastani 0), miezi ya akiba haihesabiki")
	case r.Months.Value < 1:
		r.Status = status(CodeUnderstock, m+" months: understock (under 1 month), order now",
			"miezi "+m+": akiba haitoshi (chini ya mwezi 1), agiza sasa")
	case r.Months.Value <= 2:
		r.Status = status(CodeAdequate, m+" months: adequate (1 to 2 months)", "miezi "+m+": akiba inatosha (miezi 1 hadi 2)")
	default:
		r.Status = status(CodeOverstock, m+" months: overstock (over 2 months), do not order",
			"miezi "+m+": akiba imezidi (zaidi ya miezi 2), usiagize")
	}
	r.Formula = Text{
		EN: fmt.Sprintf("months of stock = stock on hand / AMC = %s / %s", num(onHand), num(amc)),
		SW: fmt.Sprintf("miezi ya akiba = akiba iliyopo / wastani wa matumizi = %s / %s", num(onHand), num(amc)),
	}
	return r, nil
}

// LevelsResult is the stock policy applied to one vaccine's consumption.
// The two levels a nurse acts on are rounded up to whole doses.
type LevelsResult struct {
	PeriodNeed   float64 // AMC x supply months
	SafetyStock  float64 // safety fraction x period need
	LeadTimeNeed float64 // period need x lead days / days in the period
	OrderPoint   float64 // lead-time need + safety stock, rounded up
	Maximum      float64 // period need + safety stock, rounded up
	Status       Status
	Formula      Text
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
		PeriodNeed:   need,
		SafetyStock:  p.SafetyFraction * need,
		LeadTimeNeed: need * float64(p.LeadDays) / (30 * p.SupplyMonths),
	}
	r.OrderPoint = ceilDoses(r.LeadTimeNeed + r.SafetyStock)
	r.Maximum = ceilDoses(need + r.SafetyStock)
	op, top := num(r.OrderPoint), num(r.Maximum)
	r.Status = status(CodeOK, "order when stock falls to the order point "+op+"; fill up to "+top,
		"agiza akiba ikifika kiwango cha kuagiza "+op+"; jaza hadi "+top)
	r.Formula = Text{
		EN: fmt.Sprintf("safety stock = %s x %s = %s; maximum stock = need + safety stock",
			pct(p.SafetyFraction), num(need), num(r.SafetyStock)),
		SW: fmt.Sprintf("akiba ya usalama = %s x %s = %s; kiwango cha juu = mahitaji + akiba ya usalama",
			pct(p.SafetyFraction), num(need), num(r.SafetyStock)),
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
}

// Order returns the order input for this policy's levels.
func (l LevelsResult) Order(onHand, inTransit float64, dosesPerVial int) Order {
	return Order{Maximum: l.Maximum, OrderPoint: l.OrderPoint, OnHand: onHand, InTransit: inTransit, DosesPerVial: dosesPerVial}
}

// OrderResult is an order in doses and vials.
type OrderResult struct {
	Position float64 // stock on hand + stock in transit
	Doses    float64 // max(0, maximum - position), rounded up
	Vials    float64 // doses / doses per vial, rounded up
	Excess   float64 // position above the maximum, 0 otherwise
	Status   Status
	Formula  Text
}

// OrderQuantity fills stock up to the maximum: max(0, maximum - (on hand +
// in transit)). Above the maximum it orders nothing and reports the excess.
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
	r.Vials = ceilDoses(r.Doses / float64(in.DosesPerVial))
	r.Status = orderStatus(in, r)
	args := []any{num(in.Maximum), num(in.OnHand), num(in.InTransit)}
	r.Formula = Text{
		EN: fmt.Sprintf("order = maximum stock - (on hand + in transit) = %s - (%s + %s)", args...),
		SW: fmt.Sprintf("agizo = kiwango cha juu - (iliyopo + njiani) = %s - (%s + %s)", args...),
	}
	return r, nil
}

func orderStatus(in Order, r OrderResult) Status {
	d, v := num(r.Doses), num(r.Vials)
	switch {
	case r.Excess > 0:
		e := num(r.Excess)
		return status(CodeAboveMaximum, "above maximum: "+e+" doses excess, do not order",
			"juu ya kiwango cha juu: dozi "+e+" za ziada, usiagize")
	case r.Position < in.OrderPoint:
		return status(CodeBelowOrderPoint, "below order point: order "+d+" doses ("+v+" vials) now",
			"chini ya kiwango cha kuagiza: agiza dozi "+d+" (vial "+v+") sasa")
	case r.Doses == 0:
		return status(CodeOK, "at maximum stock: no order", "akiba iko kiwango cha juu: usiagize")
	}
	return status(CodeOK, "order "+d+" doses ("+v+" vials) to reach maximum stock",
		"agiza dozi "+d+" (vial "+v+") kufikia kiwango cha juu")
}
