package stock

import (
	"encoding/json"
	"math"

	"github.com/chanjo-health/chanjo/lessons/i18n"
)

// Answer is a calculation as the JSON API answers it and as a stored
// calculation keeps it, whichever channel (API or USSD) made it: the
// calculator's name, its figures under snake_case keys, the status and the
// formulas used. Rates in Values are percentages with one decimal, N/A is
// nil (JSON null).
type Answer struct {
	Calculator string         `json:"calculator"`
	Values     map[string]any `json:"values"`
	Status     AnswerStatus   `json:"status"`
	Formula    []i18n.Text    `json:"formula"`
	Warnings   []i18n.Text    `json:"warnings,omitempty"`
}

// AnswerStatus is a Status as JSON: the code beside the line in each
// language, {"code": "ok", "en": "...", "sw": "..."}.
type AnswerStatus struct {
	Code Code
	Text i18n.Text
}

// MarshalJSON writes the code and each language as fields of one object.
func (s AnswerStatus) MarshalJSON() ([]byte, error) {
	m := make(map[string]string, len(s.Text)+1)
	for lang, t := range s.Text {
		m[lang] = t
	}
	m["code"] = string(s.Code)
	return json.Marshal(m)
}

// UnmarshalJSON reads what MarshalJSON writes.
func (s *AnswerStatus) UnmarshalJSON(data []byte) error {
	var m map[string]string
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	s.Code = Code(m["code"])
	delete(m, "code")
	s.Text = m
	return nil
}

// NewAnswer returns the answer of calculator name.
func NewAnswer(name string, values map[string]any, s Status, formulas ...i18n.Text) Answer {
	return Answer{Calculator: name, Values: values, Status: AnswerStatus(s), Formula: formulas}
}

// PercentValue is r as a percentage with one decimal, or nil when N/A.
func PercentValue(r Ratio) any {
	if !r.Valid {
		return nil
	}
	return Round(r.Value*100, 1)
}

// Round rounds x to the given decimals, for figures shown in an answer. A
// figure that rounds to zero is 0, never -0 (JSON would show "-0").
func Round(x float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	r := math.Round(x*p) / p
	if r == 0 {
		return 0
	}
	return r
}

// Values are the figures of a months-of-stock answer: months of stock with
// two decimals, as shown, beside the policy's levels.
func (r MonthsResult) Values() map[string]any {
	v := r.Levels.Values()
	v["months_of_stock"] = nil
	if r.Months.Valid {
		v["months_of_stock"] = Round(r.Months.Value, 2)
	}
	return v
}

// Values are the figures of a stock-levels answer.
func (r LevelsResult) Values() map[string]any {
	return map[string]any{"period_need": Round(r.PeriodNeed, 1), "safety_stock": Round(r.SafetyStock, 1),
		"lead_time_need": Round(r.LeadTimeNeed, 1), "order_point": r.OrderPoint, "maximum_stock": r.Maximum}
}

// Values are the figures of an order-quantity answer, added to levels (the
// stock levels the order came from, or nil when the maximum was given).
func (r OrderResult) Values(levels map[string]any) map[string]any {
	v := map[string]any{}
	for k, x := range levels {
		v[k] = x
	}
	v["position"], v["order_doses"], v["order_vials"], v["excess_doses"] = r.Position, r.Doses, r.Vials, r.Excess
	return v
}

// Values are the figures of a stock-count answer.
func (r CountResult) Values() map[string]any {
	factor := any(nil)
	if r.WastageFactor.Valid {
		factor = Round(r.WastageFactor.Value, 3)
	}
	return map[string]any{
		"consumed": r.Consumed, "opened": r.Opened, "usage_rate_pct": PercentValue(r.UsageRate),
		"wastage_rate_pct": PercentValue(r.WastageRate), "open_vial_wastage_pct": PercentValue(r.OpenVialWastage),
		"closed_vial_wastage_pct": PercentValue(r.ClosedVialWastage), "wastage_factor": factor,
	}
}

// Values are the figures of a need answer; TargetValues adds the wastage
// factor of the target-population method.
func (r NeedResult) Values() map[string]any {
	return map[string]any{"annual_need_exact": Round(r.AnnualExact, 1), "annual_need": r.AnnualNeed, "period_need": r.PeriodNeed}
}

// TargetValues are the figures of a need-target-population answer.
func (r NeedResult) TargetValues() map[string]any {
	v := r.Values()
	v["wastage_factor"] = Round(r.WastageFactor, 3)
	return v
}

// Values are the figures of a session-vials answer.
func (r VialsResult) Values() map[string]any {
	return map[string]any{"vials": r.Vials, "doses": r.Doses}
}

// Values are the figures of a dropout answer.
func (r DropoutResult) Values() map[string]any {
	return map[string]any{"dropout_pct": PercentValue(r.Dropout), "period_target": Round(r.PeriodTarget, 1),
		"first_dose_coverage_pct": PercentValue(r.FirstDoseCoverage)}
}

// Quantity formats doses, people or months as the calculators' texts do:
// whole numbers without decimals (1,365), others with one (1.5).
func Quantity(x float64) string { return num(x) }
