package admin

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/chanjo-health/chanjo/lessons/stock"
	"github.com/chanjo-health/chanjo/phone"
)

// fieldErrors maps a field to what is wrong with it.
type fieldErrors map[string]string

// request is a calculator request read by the calculator's entry in the
// table: its values, the worker's phone and every bad, missing or unknown
// field, so one answer lists them all.
type request struct {
	values stock.Values
	phone  string
	errs   fieldErrors
}

// readRequest reads body as the inputs of calc.
func readRequest(body []byte, calc stock.Calculator, settings stock.Settings) (*request, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil || raw == nil {
		return nil, errors.New("the body must be one JSON object")
	}
	r := &request{values: stock.NewValues(settings), errs: fieldErrors{}}
	if p, ok := raw["phone"]; ok {
		var s string
		err := json.Unmarshal(p, &s)
		if err == nil {
			r.phone, err = phone.Normalize(s)
		}
		if err != nil {
			r.errs["phone"] = "must be a Kenyan phone number as a string"
		}
		delete(raw, "phone")
	}
	if calc.Vaccine {
		r.vaccine(raw, settings.Vaccines)
	}
	for _, in := range calc.Inputs {
		v, ok := raw[in.Key]
		delete(raw, in.Key)
		switch {
		case !ok && !in.Optional:
			r.errs[in.Key] = "is required"
		case !ok:
		case in.Kind == stock.List:
			r.list(in, v)
		case in.Kind == stock.Choice:
			r.choice(in, v)
		default:
			x, ok := number(v)
			if !ok {
				r.errs[in.Key] = "must be a number"
			}
			r.values.Set(in.Key, x)
		}
	}
	for name := range raw {
		r.errs[name] = "unknown field"
	}
	return r, nil
}

// number parses a JSON number; strings, null and the rest are refused.
func number(raw json.RawMessage) (float64, bool) {
	if len(raw) == 0 || (raw[0] != '-' && (raw[0] < '0' || raw[0] > '9')) {
		return 0, false
	}
	v, err := strconv.ParseFloat(string(raw), 64)
	return v, err == nil && !math.IsInf(v, 0)
}

// list reads a list of objects holding the input's numbers.
func (r *request) list(in stock.Input, raw json.RawMessage) {
	var items []map[string]json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil || items == nil {
		r.errs[in.Key] = "must be a list of objects"
		return
	}
	out := make([]map[string]float64, len(items))
	for i, item := range items {
		out[i] = map[string]float64{}
		for _, f := range in.Fields {
			v, ok := number(item[f])
			if !ok {
				r.errs[fmt.Sprintf("%s[%d].%s", in.Key, i, f)] = "must be a number"
			}
			out[i][f] = v
			delete(item, f)
		}
		for f := range item {
			r.errs[fmt.Sprintf("%s[%d].%s", in.Key, i, f)] = "unknown field"
		}
	}
	r.values.SetList(in.Key, out)
}

// choice reads one of the input's options.
func (r *request) choice(in stock.Input, raw json.RawMessage) {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil || !slices.Contains(in.Options, s) {
		r.errs[in.Key] = "must be " + quoteAll(in.Options, " or ")
		return
	}
	r.values.SetChoice(in.Key, s)
}

func quoteAll(ss []string, sep string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, sep)
}

// vaccine reads the required vaccine: the id of one of the content pack's
// vaccines. Every stock calculator asks it, so that calculations are kept
// per vaccine and judged by its acceptable wastage and open-vial rule.
func (r *request) vaccine(raw map[string]json.RawMessage, vaccines []stock.Vaccine) {
	v, ok := raw["vaccine"]
	delete(raw, "vaccine")
	if !ok {
		r.errs["vaccine"] = "is required: " + vaccineIDs(vaccines)
		return
	}
	var id string
	if err := json.Unmarshal(v, &id); err != nil {
		r.errs["vaccine"] = "must be a string"
		return
	}
	chosen, ok := stock.FindVaccine(vaccines, id)
	if !ok {
		r.errs["vaccine"] = "unknown vaccine: " + vaccineIDs(vaccines)
	}
	r.values.Vaccine = chosen
}

// vaccineIDs lists the ids a request may give as its vaccine.
func vaccineIDs(vaccines []stock.Vaccine) string {
	ids := make([]string, len(vaccines))
	for i, v := range vaccines {
		ids[i] = v.ID
	}
	return "one of " + strings.Join(ids, ", ")
}
