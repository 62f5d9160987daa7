package evaluation

import "math"

// PairedTest is a paired two-sided t-test of changes: their mean with its
// 95% confidence interval and the p-value of "no change". With fewer than
// two changes nothing but the mean is known (Valid false).
type PairedTest struct {
	N     int
	Mean  float64
	SD    float64 // sample standard deviation (n - 1)
	Low   float64 // 95% confidence interval of the mean
	High  float64
	T     float64
	P     float64 // two-sided
	Valid bool
}

// confidence is the level of the interval PairedT gives.
const confidence = 0.95

// PairedT tests the changes d (later minus earlier, one per nurse) against
// no change: t = mean / (sd / sqrt(n)) on n - 1 degrees of freedom.
func PairedT(d []float64) PairedTest {
	r := PairedTest{N: len(d)}
	if r.N == 0 {
		return r
	}
	for _, x := range d {
		r.Mean += x
	}
	r.Mean /= float64(r.N)
	if r.N < 2 {
		return r
	}
	ss := 0.0
	for _, x := range d {
		ss += (x - r.Mean) * (x - r.Mean)
	}
	r.SD = math.Sqrt(ss / float64(r.N-1))
	df := float64(r.N - 1)
	se := r.SD / math.Sqrt(float64(r.N))
	half := TQuantile(1-(1-confidence)/2, df) * se
	r.Low, r.High, r.Valid = r.Mean-half, r.Mean+half, true
	switch {
	case se > 0:
		r.T = r.Mean / se
		r.P = TwoSidedP(r.T, df)
	case r.Mean == 0: // every nurse the same, no change
		r.P = 1
	default: // every nurse changed by the same amount: no doubt left
		r.T = math.Copysign(math.Inf(1), r.Mean)
	}
	return r
}

// TwoSidedP is P(|T| >= |t|) for Student's t with df degrees of freedom:
// the regularized incomplete beta I_x(df/2, 1/2) at x = df / (df + t^2).
func TwoSidedP(t, df float64) float64 {
	if math.IsInf(t, 0) {
		return 0
	}
	return RegIncBeta(df/(df+t*t), df/2, 0.5)
}

// TQuantile is the t with P(T <= t) = p for Student's t with df degrees of
// freedom, p in (0.5, 1), found by bisection on TwoSidedP, which falls as
// t grows.
func TQuantile(p, df float64) float64 {
	target := 2 * (1 - p)
	lo, hi := 0.0, 1.0
	for TwoSidedP(hi, df) > target {
		hi *= 2
	}
	for range 200 {
		mid := (lo + hi) / 2
		if TwoSidedP(mid, df) > target {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

// RegIncBeta is the regularized incomplete beta function I_x(a, b), by the
// continued fraction of Numerical Recipes (Lentz's method), using the
// symmetry I_x(a, b) = 1 - I_(1-x)(b, a) where the fraction converges
// slowly.
func RegIncBeta(x, a, b float64) float64 {
	switch {
	case x <= 0:
		return 0
	case x >= 1:
		return 1
	}
	la, _ := math.Lgamma(a)
	lb, _ := math.Lgamma(b)
	lab, _ := math.Lgamma(a + b)
	front := math.Exp(lab - la - lb + a*math.Log(x) + b*math.Log(1-x))
	if x < (a+1)/(a+b+2) {
		return front * betaFraction(x, a, b) / a
	}
	return 1 - front*betaFraction(1-x, b, a)/b
}

// betaFraction evaluates the continued fraction of the incomplete beta.
func betaFraction(x, a, b float64) float64 {
	const (
		eps  = 1e-15
		tiny = 1e-300
	)
	qab, qap, qam := a+b, a+1, a-1
	c, d := 1.0, 1-qab*x/qap
	if math.Abs(d) < tiny {
		d = tiny
	}
	d = 1 / d
	h := d
	for m := 1; m <= 1000; m++ {
		fm := float64(m)
		m2 := 2 * fm
		aa := fm * (b - fm) * x / ((qam + m2) * (a + m2))
		d, c = 1+aa*d, 1+aa/c
		d, c = guard(d, tiny), guard(c, tiny)
		d = 1 / d
		h *= d * c
		aa = -(a + fm) * (qab + fm) * x / ((a + m2) * (qap + m2))
		d, c = 1+aa*d, 1+aa/c
		d, c = guard(d, tiny), guard(c, tiny)
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) < eps {
			break
		}
	}
	return h
}

func guard(v, tiny float64) float64 {
	if math.Abs(v) < tiny {
		return tiny
	}
	return v
}

// McNemar is the exact two-sided McNemar test of one item answered by the
// same nurses twice: of the b + c nurses whose answer changed (b from
// right to wrong, c from wrong to right), is the split further from half
// and half than chance allows? It is the binomial test of min(b, c) in
// b + c trials at 1/2; with no change the p-value is 1.
func McNemar(b, c int) float64 {
	n := b + c
	if n == 0 {
		return 1
	}
	k := min(b, c)
	lgN, _ := math.Lgamma(float64(n + 1))
	tail := 0.0
	for i := 0; i <= k; i++ {
		li, _ := math.Lgamma(float64(i + 1))
		lni, _ := math.Lgamma(float64(n - i + 1))
		tail += math.Exp(lgN - li - lni - float64(n)*math.Ln2)
	}
	return math.Min(1, 2*tail)
}
