package admin

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/chanjo-health/chanjo/evaluation"
	"github.com/chanjo-health/chanjo/lessons/stock"
	"github.com/chanjo-health/chanjo/percent"
	"github.com/chanjo-health/chanjo/store"
)

// gradedStock are the grades the stock policy gives stock (months of stock,
// stock levels, order quantity).
var gradedStock = []stock.Code{stock.CodeStockOut, stock.CodeBelowSafety, stock.CodeBelowOrderPoint,
	stock.CodeWithinPolicy, stock.CodeAboveMaximum}

// stockShareJSON is the stock-data measure the evaluation (docs/api.md, "Reports") puts beside the
// evaluation: of the nurses' graded stock calculations, the share within
// the policy's band.
type stockShareJSON struct {
	Level  string  `json:"level"`
	Group  string  `json:"group"`
	Code   string  `json:"code"`
	Graded int     `json:"graded"`
	Within int     `json:"within_policy"`
	Pct    float64 `json:"within_policy_pct"`
}

// stockInPolicy counts graded calculations for all nurses of the scope,
// each sub-county and each facility, in the evaluation's order of groups.
func (r reporter) stockInPolicy(ctx context.Context, sc store.Scope) ([]stockShareJSON, error) {
	statuses := make([]string, len(gradedStock))
	for i, c := range gradedStock {
		statuses[i] = string(c)
	}
	rows, err := r.db.StockStatusCounts(ctx, sc, r.filter, statuses)
	if err != nil || len(rows) == 0 {
		return []stockShareJSON{}, err
	}
	type key struct{ level, code string }
	shares := map[key]*stockShareJSON{}
	add := func(level, code, name string, n int, within bool) {
		k := key{level, code}
		s := shares[k]
		if s == nil {
			s = &stockShareJSON{Level: level, Group: name, Code: code}
			shares[k] = s
		}
		s.Graded += n
		if within {
			s.Within += n
		}
	}
	for _, row := range rows {
		within := row.Status == string(stock.CodeWithinPolicy)
		add(evaluation.LevelAll, "", "All nurses", row.N, within)
		add(evaluation.LevelSubCounty, row.SubCounty, row.SubCounty, row.N, within)
		add(evaluation.LevelFacility, row.FacilityCode, row.FacilityName, row.N, within)
	}
	levels := []string{evaluation.LevelAll, evaluation.LevelSubCounty, evaluation.LevelFacility}
	out := make([]stockShareJSON, 0, len(shares))
	for _, s := range shares {
		s.Pct = stock.Round(percent.Of(s.Within, s.Graded), 1)
		out = append(out, *s)
	}
	slices.SortFunc(out, func(a, b stockShareJSON) int {
		if d := slices.Index(levels, a.Level) - slices.Index(levels, b.Level); d != 0 {
			return d
		}
		return strings.Compare(a.Group+"\x00"+a.Code, b.Group+"\x00"+b.Code)
	})
	return out, nil
}

// evaluationStockTable has a line per group: graded calculations and the
// share within the policy.
func evaluationStockTable(ctx context.Context, r reporter, sc store.Scope) (csvTable, error) {
	rows, err := r.stockInPolicy(ctx, sc)
	t := csvTable{header: []string{"level", "group", "code", "graded", "within_policy", "within_policy_pct"}}
	for _, s := range rows {
		t.rows = append(t.rows, []string{s.Level, s.Group, s.Code, strconv.Itoa(s.Graded), strconv.Itoa(s.Within), decimal(s.Pct)})
	}
	return t, err
}
