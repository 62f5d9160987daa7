package stock

import (
	"math"
	"strconv"
	"strings"

	"github.com/chanjo-health/chanjo/lessons/i18n"
)

// Calculator is one entry of the calculator table: what it is called, the
// inputs it takes and how it turns them into an answer. The USSD menus and
// the JSON API both render the table, so adding a calculator is its
// formula, its entry in Calculators, its texts and its docs.
type Calculator struct {
	Name string // the API's name ("order-quantity"), stored with every calculation

	// The words a phone shows are keys of the pack's message catalogue
	// (messages-calc.yaml). Title is the menu label and heading; a
	// calculator without one is offered by the API only. Group gathers
	// calculators under one item of the phone's stock menu ("Monthly
	// need"), where Item is each one's label; a calculator without a group
	// is an item of the stock menu itself.
	Title, Group, Item string

	Vaccine bool    // the vaccine is chosen first (stored; its vial size, acceptable wastage, open-vial rule)
	Inputs  []Input // in the order a phone asks them and they are checked
	run     func(v Values) (Result, error)
}

// Kind is the shape of an input's value.
type Kind int

// The kinds of input.
const (
	Number Kind = iota // a number in its Unit
	List               // a list of objects holding the numbers named by Fields (the API only)
	Choice             // one of Options, the first by default (the API only)
)

// Unit is what a number is counted in. It decides how a nurse types it.
type Unit string

// The units of the calculators' inputs.
const (
	Doses    Unit = "doses"
	People   Unit = "people"
	Months   Unit = "months"
	Days     Unit = "days"
	Sessions Unit = "sessions" // posts, weeks, sessions and vials: counts of events
	// Percent is a rate: the API takes it as a fraction (0.025) and a nurse
	// types the percentage ("2.5"), the unit shown in the question.
	Percent Unit = "percent"
)

// Input is one value a calculator takes, named as in the JSON API. Its
// bounds are checked by the formula it feeds, which names the input in
// its refusal.
type Input struct {
	Key  string
	Kind Kind
	Unit Unit
	// Prompt is the catalogue key of the question a phone asks, with the
	// unit; an input without one is never asked on a phone and takes its
	// default there.
	Prompt string
	// Optional inputs may be left out of an API request; Default, when
	// set, gives their value (the pack's stock policy, the vaccine's vial
	// size).
	Optional bool
	Default  func(v Values) float64
	Whole    bool // used as a whole number (lead days, doses per vial)

	Hint    bool // the vaccine's acceptable wastage is shown under the question
	Confirm bool // a rate of ConfirmWastage or more is confirmed before it is used

	Fields  []string // a List's numbers in each object
	Options []string // a Choice's values
}

// Asked says whether a phone asks the input.
func (in Input) Asked() bool { return in.Prompt != "" }

// Typed reads a number as a nurse types it: spaces around it are ignored, a
// percentage becomes a fraction ("2.5" is 0.025) and only percentages take
// decimals. ok is false for anything else; the caller asks again.
func (in Input) Typed(s string) (x float64, ok bool) {
	s = strings.TrimSpace(s)
	whole, frac, dot := strings.Cut(s, ".")
	if !digits(whole) || (dot && (in.Unit != Percent || !digits(frac))) {
		return 0, false
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, false
	}
	if in.Unit == Percent {
		x /= 100
	}
	return x, true
}

// Decimal says whether a nurse may type a decimal point.
func (in Input) Decimal() bool { return in.Unit == Percent }

func digits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Settings are what the calculators' defaults come from: the content
// pack's stock policy and vaccines.
type Settings struct {
	Policy   Policy
	Vaccines []Vaccine
}

// NewSettings returns the settings of a pack's policy and vaccines, with
// DefaultPolicy and DefaultVaccines where the pack gives none: the one
// place the defaults are chosen, for the phone and the API alike.
func NewSettings(policy Policy, vaccines []Vaccine) Settings {
	if policy == (Policy{}) {
		policy = DefaultPolicy()
	}
	if len(vaccines) == 0 {
		vaccines = DefaultVaccines()
	}
	return Settings{Policy: policy, Vaccines: vaccines}
}

// Values are the inputs of one calculation: numbers, lists and choices by
// key, the chosen vaccine and the settings the defaults come from.
type Values struct {
	Settings Settings
	Vaccine  Vaccine
	nums     map[string]float64
	lists    map[string][]map[string]float64
	choices  map[string]string
}

// NewValues returns empty values under settings s.
func NewValues(s Settings) Values {
	return Values{Settings: s, nums: map[string]float64{}, lists: map[string][]map[string]float64{}, choices: map[string]string{}}
}

// Set gives the number key.
func (v Values) Set(key string, x float64) { v.nums[key] = x }

// SetList gives the list key.
func (v Values) SetList(key string, items []map[string]float64) { v.lists[key] = items }

// SetChoice gives the choice key.
func (v Values) SetChoice(key, s string) { v.choices[key] = s }

// Num is the number key, 0 when it was not given and has no default.
func (v Values) Num(key string) float64 { return v.nums[key] }

// Has says whether key was given or defaulted.
func (v Values) Has(key string) bool {
	_, n := v.nums[key]
	_, l := v.lists[key]
	return n || l
}

// List is the list key.
func (v Values) List(key string) []map[string]float64 { return v.lists[key] }

// Choice is the choice key.
func (v Values) Choice(key string) string { return v.choices[key] }

// Stored is what a calculation keeps of its inputs, in the API's shape:
// every value given or defaulted, and the vaccine.
func (v Values) Stored() map[string]any {
	out := map[string]any{}
	for k, x := range v.nums {
		out[k] = x
	}
	for k, l := range v.lists {
		out[k] = l
	}
	for k, s := range v.choices {
		out[k] = s
	}
	if v.Vaccine.ID != "" {
		out["vaccine"] = v.Vaccine.ID
	}
	return out
}

// policy is the stock policy of the values: the pack's, unless the request
// gave its own figures.
func (v Values) policy() Policy {
	return Policy{SupplyMonths: v.Num("supply_months"), SafetyFraction: v.Num("safety_fraction"), LeadDays: int(v.Num("lead_days"))}
}

// Result is a completed calculation: the answer the API returns and a
// calculation stores, with what a phone's result screen shows.
type Result struct {
	Answer
	Headline i18n.Text   // above the status line on a phone
	Shown    []i18n.Text // the formulas a phone shows below it
}

// Calculate fills in the defaults of the inputs v lacks and runs the
// calculator. A bad input is an *InputError naming it.
func (c Calculator) Calculate(v Values) (Result, error) {
	for _, in := range c.Inputs {
		switch {
		case in.Kind == Choice && v.choices[in.Key] == "":
			v.choices[in.Key] = in.Options[0]
		case in.Kind == Number && !v.Has(in.Key) && in.Default != nil:
			v.nums[in.Key] = in.Default(v)
		}
	}
	for _, in := range c.Inputs {
		if x, ok := v.nums[in.Key]; ok && in.Whole && (x != math.Trunc(x) || x < 0 || x > 1e6) {
			return Result{}, &InputError{Field: in.Key, Reason: tx("must be a whole number from 0 to 1,000,000", "lazima iwe namba kamili kuanzia 0 hadi 1,000,000")}
		}
	}
	r, err := c.run(v)
	if err != nil {
		return Result{}, err
	}
	r.Calculator = c.Name
	if r.Shown == nil {
		r.Shown = r.Formula
	}
	return r, nil
}

// Find returns the calculator of the table named name.
func Find(name string) (Calculator, bool) {
	for _, c := range Calculators {
		if c.Name == name {
			return c, true
		}
	}
	return Calculator{}, false
}

// tx is a text in English and Kiswahili.
func tx(en, sw string) i18n.Text { return i18n.Text{"en": en, "sw": sw} }
