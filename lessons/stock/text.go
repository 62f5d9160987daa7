package stock

import (
	"math"

	"github.com/chanjo-health/chanjo/lessons/i18n"
	"strconv"
	"strings"
)

// Code names a status so that programs can branch on it and supervisors can
// filter stored calculations (for example every facility below its order
// point).
type Code string

// The status codes the calculators return.
const (
	CodeOK              Code = "ok"
	CodeNA              Code = "n_a"
	CodeDataError       Code = "data_error"
	CodeStockOut        Code = "stock_out"
	CodeBelowSafety     Code = "below_safety_stock"
	CodeBelowOrderPoint Code = "below_order_point"
	CodeWithinPolicy    Code = "within_policy"
	CodeAboveMaximum    Code = "above_maximum"
	CodeHighWastage     Code = "high_wastage"
	CodeGood            Code = "good"
	CodeUtilisation     Code = "utilisation_problem"
	CodeAccess          Code = "access_problem"
	CodeAccessAndUse    Code = "access_and_utilisation_problem"
	CodeBelowTarget     Code = "below_target"
	CodeOnTarget        Code = "on_target"
)

// The codes months of stock was graded with before it followed the stock
// policy; calculations stored then still carry them.
const (
	CodeUnderstock Code = "understock"
	CodeOverstock  Code = "overstock"
)

// Status says what a result means: a code and one line for the nurse.
type Status struct {
	Code Code
	Text i18n.Text // one line: the USSD character set, about 100 characters
}

func status(code Code, en, sw string) Status {
	return Status{Code: code, Text: i18n.Text{"en": en, "sw": sw}}
}

// Ratio is a rate or ratio (a fraction, or months for months of stock) that
// is N/A when its denominator is zero. The zero Ratio is N/A.
type Ratio struct {
	Value float64
	Valid bool
}

// ratio divides num by den, or is N/A when den is zero.
func ratio(num, den float64) Ratio {
	if den == 0 {
		return Ratio{}
	}
	return Ratio{Value: num / den, Valid: true}
}

// Percent formats r as a percentage with one decimal, or "N/A".
func (r Ratio) Percent() string {
	if !r.Valid {
		return "N/A"
	}
	return pct(r.Value)
}

// Months formats r as months of stock with two decimals, or "N/A".
func (r Ratio) Months() string {
	if !r.Valid {
		return "N/A"
	}
	return months(r.Value)
}

// wholeEps absorbs binary rounding noise before rounding up, so that
// 0.1*3*100 doses (30.000000000000004) is 30, not 31. Dose counts stay far
// below the size where float64 loses 1e-6.
const wholeEps = 1e-6

// ceilDoses rounds a final quantity up to whole doses.
func ceilDoses(x float64) float64 {
	return math.Ceil(x - wholeEps)
}

// pct formats a fraction as a percentage with one decimal: 0.1 -> "10.0%".
func pct(frac float64) string {
	return fixed(frac*100, 1) + "%"
}

// months formats months of stock with two decimals (docs/domain.md: MOS 1.50,
// 0.42). One decimal showed 0.995 as "1.0" beside a grade of under a month;
// the grades now compare doses, and the status names them.
func months(x float64) string {
	return fixed(x, 2)
}

// num formats a quantity of doses or months: whole numbers without
// decimals, others with one, thousands separated by commas.
func num(x float64) string {
	if math.Abs(x-math.Round(x)) < wholeEps {
		return fixed(x, 0)
	}
	return fixed(x, 1)
}

// fixed formats x with the given decimals and thousands separators.
func fixed(x float64, decimals int) string {
	s := strconv.FormatFloat(x, 'f', decimals, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	out := b.String()
	if hasFrac {
		out += "." + frac
	}
	if neg && strings.Trim(out, "0.,") != "" {
		out = "-" + out
	}
	return out
}
