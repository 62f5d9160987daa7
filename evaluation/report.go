package evaluation

import (
	"cmp"
	"slices"
)

// The forms a comparison starts from and ends at, in the order nurses take
// them.
const (
	Baseline = "baseline"
	Midline  = "midline"
	Endline  = "endline"
)

// Later are the forms compared with the baseline.
var Later = []string{Midline, Endline}

// Nurse is where a nurse works, for the groups of the report.
type Nurse struct {
	Worker       int64
	FacilityCode string
	FacilityName string
	SubCounty    string
}

// Score is one nurse's share of right answers (0 to 100) in one gap on one
// finished assessment form.
type Score struct {
	Nurse
	Form  string
	Topic string
	Pct   float64
}

// Answer is one nurse's answer to the item in slot Slot (0-based) of a
// gap on a form: slot k tests the same competency on every form.
type Answer struct {
	Worker  int64
	Form    string
	Topic   string
	Slot    int
	Correct bool
}

// The levels of a group.
const (
	LevelAll       = "all"
	LevelSubCounty = "sub_county"
	LevelFacility  = "facility"
)

// Group is the nurses a comparison covers: all of them, a sub-county's or a
// facility's.
type Group struct {
	Level string
	Code  string // the sub-county's name or the facility's code; "" for all
	Name  string
}

// Comparison is the change of the same nurses in one gap from the baseline
// to a later form, in one group.
type Comparison struct {
	Group    Group
	Topic    string
	Later    string // midline or endline
	Paired   int    // took both forms: the only nurses compared
	Lost     int    // took the baseline, not the later form
	Unpaired int    // took the later form without the baseline (an exemption)
	// BaselineMean and LaterMean are the paired nurses' mean scores.
	BaselineMean, LaterMean    float64
	Change                     PairedTest
	Improved, Stayed, Declined int
	Items                      []Item
}

// Share is n as a percentage of the paired nurses, 0 when there are none.
func (c Comparison) Share(n int) float64 {
	if c.Paired == 0 {
		return 0
	}
	return 100 * float64(n) / float64(c.Paired)
}

// Item is McNemar's test of one item slot among the paired nurses who
// answered it on both forms.
type Item struct {
	Slot         int
	Paired       int
	RightToWrong int
	WrongToRight int
	P            float64
}

// sameScore absorbs rounding in scores computed as shares.
const sameScore = 1e-9

// Build compares every later form with the baseline in every gap, for all
// nurses, each sub-county and each facility, in that order; gaps follow
// topics (others after, by name), sub-counties and facilities by name. A
// group and gap without a baseline has no comparison.
func Build(scores []Score, answers []Answer, topics []string) []Comparison {
	var order []string
	for _, t := range topics {
		order = appendNew(order, t)
	}
	topics = order
	nurses := map[int64]Nurse{}
	byForm := map[string]map[string]map[int64]float64{} // form -> topic -> worker -> pct
	for _, s := range scores {
		if _, ok := nurses[s.Worker]; !ok || s.Form == Baseline {
			nurses[s.Worker] = s.Nurse
		}
		if byForm[s.Form] == nil {
			byForm[s.Form] = map[string]map[int64]float64{}
		}
		if byForm[s.Form][s.Topic] == nil {
			byForm[s.Form][s.Topic] = map[int64]float64{}
			topics = appendNew(topics, s.Topic)
		}
		byForm[s.Form][s.Topic][s.Worker] = s.Pct
	}
	items := indexAnswers(answers)
	var out []Comparison
	for _, g := range groups(nurses) {
		for _, later := range Later {
			for _, topic := range topics {
				base := byForm[Baseline][topic]
				if len(members(base, nurses, g)) == 0 {
					continue
				}
				c := compare(g, topic, later, base, byForm[later][topic], nurses)
				c.Items = itemTests(items, topic, later, c.pairedIDs(base, byForm[later][topic], nurses))
				out = append(out, c)
			}
		}
	}
	return out
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// groups lists all nurses, then each sub-county, then each facility.
func groups(nurses map[int64]Nurse) []Group {
	subs, facs := map[string]Group{}, map[string]Group{}
	for _, n := range nurses {
		subs[n.SubCounty] = Group{Level: LevelSubCounty, Code: n.SubCounty, Name: n.SubCounty}
		facs[n.FacilityCode] = Group{Level: LevelFacility, Code: n.FacilityCode, Name: n.FacilityName}
	}
	byName := func(a, b Group) int { return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Code, b.Code)) }
	s, f := sortedValues(subs, byName), sortedValues(facs, byName)
	return append(append([]Group{{Level: LevelAll, Name: "All nurses"}}, s...), f...)
}

func sortedValues(m map[string]Group, by func(a, b Group) int) []Group {
	out := make([]Group, 0, len(m))
	for _, g := range m {
		out = append(out, g)
	}
	slices.SortFunc(out, by)
	return out
}

// in says whether nurse n belongs to group g.
func (g Group) in(n Nurse) bool {
	switch g.Level {
	case LevelSubCounty:
		return n.SubCounty == g.Code
	case LevelFacility:
		return n.FacilityCode == g.Code
	}
	return true
}

// members returns the workers of scores who belong to g, in id order.
func members(scores map[int64]float64, nurses map[int64]Nurse, g Group) []int64 {
	var ids []int64
	for id := range scores {
		if g.in(nurses[id]) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

func compare(g Group, topic, later string, base, next map[int64]float64, nurses map[int64]Nurse) Comparison {
	c := Comparison{Group: g, Topic: topic, Later: later}
	var changes []float64
	for _, id := range members(base, nurses, g) {
		after, ok := next[id]
		if !ok {
			c.Lost++
			continue
		}
		d := after - base[id]
		changes = append(changes, d)
		c.BaselineMean += base[id]
		c.LaterMean += after
		switch {
		case d > sameScore:
			c.Improved++
		case d < -sameScore:
			c.Declined++
		default:
			c.Stayed++
		}
	}
	for _, id := range members(next, nurses, g) {
		if _, ok := base[id]; !ok {
			c.Unpaired++
		}
	}
	c.Paired = len(changes)
	if c.Paired > 0 {
		c.BaselineMean /= float64(c.Paired)
		c.LaterMean /= float64(c.Paired)
	}
	c.Change = PairedT(changes)
	return c
}

// pairedIDs are the workers c compares.
func (c Comparison) pairedIDs(base, next map[int64]float64, nurses map[int64]Nurse) []int64 {
	var ids []int64
	for _, id := range members(base, nurses, c.Group) {
		if _, ok := next[id]; ok {
			ids = append(ids, id)
		}
	}
	return ids
}

type answerKey struct {
	worker int64
	form   string
	topic  string
	slot   int
}

func indexAnswers(answers []Answer) map[answerKey]bool {
	m := make(map[answerKey]bool, len(answers))
	for _, a := range answers {
		m[answerKey{a.Worker, a.Form, a.Topic, a.Slot}] = a.Correct
	}
	return m
}

// itemTests runs McNemar's test on every slot of topic that the workers
// answered on both forms.
func itemTests(answers map[answerKey]bool, topic, later string, workers []int64) []Item {
	bySlot := map[int]*Item{}
	for k := range answers {
		if k.topic == topic && k.form == Baseline && bySlot[k.slot] == nil {
			bySlot[k.slot] = &Item{Slot: k.slot}
		}
	}
	var items []Item
	for slot, it := range bySlot {
		for _, w := range workers {
			before, ok1 := answers[answerKey{w, Baseline, topic, slot}]
			after, ok2 := answers[answerKey{w, later, topic, slot}]
			if !ok1 || !ok2 {
				continue
			}
			it.Paired++
			switch {
			case before && !after:
				it.RightToWrong++
			case !before && after:
				it.WrongToRight++
			}
		}
		if it.Paired > 0 {
			it.P = McNemar(it.RightToWrong, it.WrongToRight)
			items = append(items, *it)
		}
	}
	slices.SortFunc(items, func(a, b Item) int { return a.Slot - b.Slot })
	return items
}
