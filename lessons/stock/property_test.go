package stock

import (
	"math"
	"math/rand/v2"
	"testing"
)

// doses draws a whole number of doses, sometimes 0, up to MaxQuantity.
func doses(r *rand.Rand) float64 {
	switch r.IntN(4) {
	case 0:
		return 0
	case 1:
		return float64(r.IntN(1000))
	case 2:
		return float64(r.IntN(100000))
	}
	return float64(r.Int64N(MaxQuantity + 1))
}

func TestOrderQuantityNeverNegative(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 1))
	for range 5000 {
		in := Order{Maximum: doses(r), OnHand: doses(r), InTransit: doses(r), DosesPerVial: 1 + r.IntN(20)}
		got, err := OrderQuantity(in)
		if err != nil {
			t.Fatalf("OrderQuantity(%+v) error: %v", in, err)
		}
		if got.Doses < 0 || got.Vials < 0 || got.Excess < 0 {
			t.Fatalf("OrderQuantity(%+v) = %+v, want no negative figure", in, got)
		}
		if got.Vials*float64(in.DosesPerVial) < got.Doses {
			t.Fatalf("OrderQuantity(%+v) = %v vials, fewer than %v doses", in, got.Vials, got.Doses)
		}
		if got.Position+got.Doses-got.Excess != in.Maximum && in.Maximum-got.Position < 1e7 {
			t.Fatalf("OrderQuantity(%+v): position %v + order %v - excess %v != maximum", in, got.Position, got.Doses, got.Excess)
		}
	}
}

func TestWastageFactorAtLeastOne(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 2))
	for range 5000 {
		rate := r.Float64() * MaxWastage
		got, err := WastageFactor(rate)
		if err != nil || got.Factor < 1 {
			t.Fatalf("WastageFactor(%v) = %v, %v; want >= 1", rate, got.Factor, err)
		}
		c := Count{Opening: math.Floor(doses(r) / 2), Received: math.Floor(doses(r) / 2)}
		c.Closing = math.Floor(r.Float64() * math.Min(c.Opening+c.Received, MaxQuantity))
		c.Administered = math.Floor(r.Float64() * (c.Opening + c.Received - c.Closing))
		res, err := StockCount(c)
		if err != nil {
			t.Fatalf("StockCount(%+v) error: %v", c, err)
		}
		if res.WastageFactor.Valid && res.WastageFactor.Value < 1 {
			t.Fatalf("StockCount(%+v) wastage factor = %v, want >= 1", c, res.WastageFactor.Value)
		}
	}
}

func TestMonthsOfStockTimesAMC(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 3))
	for range 5000 {
		onHand := doses(r)
		amc := doses(r) + r.Float64()
		got, err := MonthsOfStock(onHand, 0, amc, DefaultPolicy())
		if err != nil {
			t.Fatalf("MonthsOfStock(%v, %v) error: %v", onHand, amc, err)
		}
		if back := got.Months.Value * amc; math.Abs(back-onHand) > 1e-9*math.Max(1, onHand) {
			t.Fatalf("MonthsOfStock(%v, %v) = %v; x AMC = %v, want %v", onHand, amc, got.Months.Value, back, onHand)
		}
	}
}
