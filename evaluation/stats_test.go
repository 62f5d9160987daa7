package evaluation

import (
	"math"
	"testing"
)

// tPDF is Student's t density, for an independent reference: the tests
// integrate it numerically instead of using the incomplete beta.
func tPDF(x, df float64) float64 {
	a, _ := math.Lgamma((df + 1) / 2)
	b, _ := math.Lgamma(df / 2)
	return math.Exp(a-b) / math.Sqrt(df*math.Pi) * math.Pow(1+x*x/df, -(df+1)/2)
}

// simpsonTail is P(|T| >= t) as 1 - 2 x the integral of the density from 0
// to t by Simpson's rule.
func simpsonTail(t, df float64) float64 {
	const n = 20000
	h := t / n
	s := tPDF(0, df) + tPDF(t, df)
	for i := 1; i < n; i++ {
		w := 2.0
		if i%2 == 1 {
			w = 4
		}
		s += w * tPDF(float64(i)*h, df)
	}
	return 1 - 2*s*h/3
}

func near(got, want, tol float64) bool { return math.Abs(got-want) <= tol }

func TestTwoSidedP(t *testing.T) {
	for _, tt := range []struct{ t, df float64 }{{0.5, 1}, {1, 3}, {2.0686576, 23}, {2.228, 10}, {5.6745, 23}, {1.96, 1000}, {0.1, 40}} {
		got, want := TwoSidedP(tt.t, tt.df), simpsonTail(tt.t, tt.df)
		if !near(got, want, 1e-9) {
			t.Errorf("TwoSidedP(%v, %v) = %.12f, want %.12f (Simpson)", tt.t, tt.df, got, want)
		}
	}
	// Cauchy (df 1): P(|T| >= 1) = 1/2 exactly.
	if got := TwoSidedP(1, 1); !near(got, 0.5, 1e-12) {
		t.Errorf("TwoSidedP(1, 1) = %v, want 0.5", got)
	}
}

// TestTQuantile checks the 97.5% points of printed t tables.
func TestTQuantile(t *testing.T) {
	for _, tt := range []struct{ df, want float64 }{{1, 12.706}, {5, 2.571}, {10, 2.228}, {23, 2.069}, {29, 2.045}, {1000, 1.962}} {
		if got := TQuantile(0.975, tt.df); !near(got, tt.want, 0.0005) {
			t.Errorf("TQuantile(0.975, %v) = %.4f, want %.3f", tt.df, got, tt.want)
		}
	}
}

// TestMcNemar checks exact binomial tails worked by hand.
func TestMcNemar(t *testing.T) {
	for _, tt := range []struct {
		b, c int
		want float64
	}{
		{0, 0, 1},
		{2, 0, 0.5},                    // 2 x (1/2)^2
		{0, 18, 2 * math.Pow(0.5, 18)}, // every change one way
		{1, 9, 2 * 11 / 1024.0},        // 2 x (1 + 10) / 2^10
		{5, 5, 1},                      // capped at 1
		{3, 12, 2 * 576 / 32768.0},     // 2 x (1 + 15 + 105 + 455) / 2^15
	} {
		if got := McNemar(tt.b, tt.c); !near(got, tt.want, 1e-12) {
			t.Errorf("McNemar(%d, %d) = %v, want %v", tt.b, tt.c, got, tt.want)
		}
	}
}

func TestPairedTEdges(t *testing.T) {
	if r := PairedT(nil); r.Valid || r.N != 0 {
		t.Errorf("PairedT(nil) = %+v, want nothing", r)
	}
	if r := PairedT([]float64{10}); r.Valid || r.Mean != 10 {
		t.Errorf("PairedT([10]) = %+v, want the mean only", r)
	}
	if r := PairedT([]float64{0, 0, 0}); !r.Valid || r.P != 1 {
		t.Errorf("PairedT(no change) = %+v, want p 1", r)
	}
	if r := PairedT([]float64{12.5, 12.5, 12.5}); !r.Valid || r.P != 0 || r.Low != 12.5 || r.High != 12.5 {
		t.Errorf("PairedT(all +12.5) = %+v, want p 0 and the interval 12.5", r)
	}
}
