package admin

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/chanjo-health/chanjo/lessons/stock"
	"github.com/chanjo-health/chanjo/phone"
)

// fieldErrors maps a field to what is wrong with it.
type fieldErrors map[string]string

func (f fieldErrors) Error() string { return fmt.Sprintf("admin: %d invalid fields", len(f)) }

// inputs reads a request's fields one by one, noting every bad or unknown
// field so one answer lists them all.
type inputs struct {
	raw      map[string]json.RawMessage
	used     map[string]bool
	errs     fieldErrors
	phone    string
	policy   stock.Policy
	vaccines []stock.Vaccine
	chosen   stock.Vaccine // the vaccine the request names, once read
}

func parseInputs(body []byte, policy stock.Policy, vaccines []stock.Vaccine) (*inputs, error) {
	in := &inputs{used: map[string]bool{"phone": true}, errs: fieldErrors{}, policy: policy, vaccines: vaccines}
	if err := json.Unmarshal(body, &in.raw); err != nil || in.raw == nil {
		return nil, errors.New("the body must be one JSON object")
	}
	if p, ok := in.raw["phone"]; ok {
		var s string
		err := json.Unmarshal(p, &s)
		if err == nil {
			in.phone, err = phone.Normalize(s)
		}
		if err != nil {
			in.errs["phone"] = "must be a Kenyan phone number as a string"
		}
	}
	return in, nil
}

// has says whether the request gives the field.
func (in *inputs) has(name string) bool {
	_, ok := in.raw[name]
	return ok
}

// num reads a required number.
func (in *inputs) num(name string) float64 {
	if !in.has(name) {
		in.used[name] = true
		in.errs[name] = "is required"
		return 0
	}
	return in.opt(name, 0)
}

// opt reads an optional number.
func (in *inputs) opt(name string, def float64) float64 {
	in.used[name] = true
	raw, ok := in.raw[name]
	if !ok {
		return def
	}
	v, ok := number(raw)
	if !ok {
		in.errs[name] = "must be a number"
	}
	return v
}

// number parses a JSON number; strings, null and the rest are refused.
func number(raw json.RawMessage) (float64, bool) {
	if len(raw) == 0 || (raw[0] != '-' && (raw[0] < '0' || raw[0] > '9')) {
		return 0, false
	}
	v, err := strconv.ParseFloat(string(raw), 64)
	return v, err == nil && !math.IsInf(v, 0)
}

// months reads a required list of objects holding the given numbers.
func (in *inputs) months(name string, fields ...string) []map[string]float64 {
	in.used[name] = true
	var items []map[string]json.RawMessage
	if err := json.Unmarshal(in.raw[name], &items); err != nil || items == nil {
		in.errs[name] = "must be a list of objects"
		return nil
	}
	out := make([]map[string]float64, len(items))
	for i, item := range items {
		out[i] = map[string]float64{}
		for _, f := range fields {
			key := fmt.Sprintf("%s[%d].%s", name, i, f)
			v, ok := number(item[f])
			if !ok {
				in.errs[key] = "must be a number"
			}
			out[i][f] = v
			delete(item, f)
		}
		for f := range item {
			in.errs[fmt.Sprintf("%s[%d].%s", name, i, f)] = "unknown field"
		}
	}
	return out
}

// done reports the bad fields and the fields no step read; a calculator
// calls it once it has read all its fields.
func (in *inputs) done() error {
	for name := range in.raw {
		if !in.used[name] {
			in.errs[name] = "unknown field"
		}
	}
	if len(in.errs) > 0 {
		return in.errs
	}
	return nil
}

// str reads an optional string.
func (in *inputs) str(name, def string) string {
	in.used[name] = true
	raw, ok := in.raw[name]
	if !ok {
		return def
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		in.errs[name] = "must be a string"
	}
	return s
}

// vaccine reads the required vaccine: the id of one of the content pack's
// vaccines. Every stock calculator asks it, so that calculations are kept
// per vaccine and judged by its acceptable wastage and open-vial rule.
func (in *inputs) vaccine() stock.Vaccine {
	if !in.has("vaccine") {
		in.used["vaccine"] = true
		in.errs["vaccine"] = "is required: " + in.vaccineIDs()
		return stock.Vaccine{}
	}
	id := in.str("vaccine", "")
	v, ok := stock.FindVaccine(in.vaccines, id)
	if _, bad := in.errs["vaccine"]; !bad && !ok {
		in.errs["vaccine"] = "unknown vaccine: " + in.vaccineIDs()
	}
	in.chosen = v
	return v
}

// vaccineIDs lists the ids a request may give as its vaccine.
func (in *inputs) vaccineIDs() string {
	ids := make([]string, len(in.vaccines))
	for i, v := range in.vaccines {
		ids[i] = v.ID
	}
	return "one of " + strings.Join(ids, ", ")
}

// dosesPerVial reads doses_per_vial, by default the vaccine's.
func (in *inputs) dosesPerVial(v stock.Vaccine) int {
	if !in.has("doses_per_vial") {
		in.used["doses_per_vial"] = true
		return v.DosesPerVial
	}
	return int(in.whole("doses_per_vial", 0))
}

// stockPolicy reads the optional stock policy fields.
func (in *inputs) stockPolicy() stock.Policy {
	return stock.Policy{
		SupplyMonths:   in.opt("supply_months", in.policy.SupplyMonths),
		SafetyFraction: in.opt("safety_fraction", in.policy.SafetyFraction),
		LeadDays:       int(in.whole("lead_days", float64(in.policy.LeadDays))),
	}
}

// whole reads an optional number that the calculators take as an int.
func (in *inputs) whole(name string, def float64) float64 {
	v := in.opt(name, def)
	if _, bad := in.errs[name]; !bad && (v != math.Trunc(v) || v < 0 || v > 1e6) {
		in.errs[name] = "must be a whole number from 0 to 1,000,000"
	}
	return v
}
