package ussd

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/chanjo-health/chanjo/lessons/stock"
)

// The states of the stock calculators, rendered from the calculator table
// of package stock. The argument of a calculator's screens is its name
// ("order-quantity"); a question's is the name and the index of the input
// asked ("order-quantity:1"); a group's is the name of its first
// calculator.
const (
	StStockNeed    State = "stk.need"
	StStockVaccine State = "stk.vac"
	StStockAsk     State = "stk.ask"
	StStockConfirm State = "stk.ok"
	StStockResult  State = "stk.res"
)

// StStockGroup is the menu of a group of calculators ("Monthly need"); it
// keeps the state's first name so that saved sessions still open it.
const StStockGroup = StStockNeed

var stockTree = []Node{
	{State: StStock, Show: showStock, Input: stockInput},
	{State: StStockGroup, Show: showStockGroup, Input: stockInput},
	{State: StStockVaccine, Show: showStockVaccine, Input: stockVaccineInput},
	{State: StStockAsk, Show: showStockAsk, Input: stockAskInput},
	{State: StStockConfirm, Show: showStockConfirm, Input: stockConfirmInput},
	{State: StStockResult, Show: showStockResult, Input: stockInput},
}

// A frame whose argument names no calculator (a session saved by an older
// release) shows, and takes input as, the stock menu.

// onPhone lists the calculators a phone offers: those with a title.
func onPhone() []stock.Calculator {
	var out []stock.Calculator
	for _, calc := range stock.Calculators {
		if calc.Title != "" {
			out = append(out, calc)
		}
	}
	return out
}

// calcByKey finds a calculator of the phone's menu by its name.
func calcByKey(name string) (stock.Calculator, bool) {
	calc, ok := stock.Find(name)
	return calc, ok && calc.Title != ""
}

// showStock lists the calculators, one item for each group.
func showStock(c *Ctx) (Screen, error) {
	var items []Item
	seen := map[string]bool{}
	for _, calc := range onPhone() {
		switch {
		case calc.Group == "":
			items = append(items, Item{Label: c.Say(calc.Title), State: calcStart(calc), Arg: calcArg(calc)})
		case !seen[calc.Group]:
			seen[calc.Group] = true
			items = append(items, Item{Label: c.Say(calc.Group), State: StStockGroup, Arg: calc.Name})
		}
	}
	return Menu(c.Say("calc.title"), items...), nil
}

// showStockGroup lists the calculators of the group its argument names.
func showStockGroup(c *Ctx) (Screen, error) {
	first, ok := calcByKey(c.Arg())
	if !ok || first.Group == "" {
		return showStock(c)
	}
	var items []Item
	for _, calc := range onPhone() {
		if calc.Group == first.Group {
			items = append(items, Item{Label: c.Say(calc.Item), State: calcStart(calc), Arg: calcArg(calc)})
		}
	}
	return Menu(c.Say(first.Group), items...), nil
}

// stockInput takes a choice of the stock menu on a screen shown as the
// stock menu without its items (a frame of an older release); the menu's
// own items open their states before any Input is asked.
func stockInput(c *Ctx, in string) (Move, error) {
	menu, err := showStock(c)
	if err != nil {
		return Move{}, err
	}
	n, ok := menuNumber(in, len(menu.Items))
	if !ok {
		return c.Invalid(), nil
	}
	return Go(menu.Items[n-1].State, menu.Items[n-1].Arg), nil
}

// calcStart is the first screen of calc: its vaccine or its first question.
func calcStart(calc stock.Calculator) State {
	if calc.Vaccine {
		return StStockVaccine
	}
	return StStockAsk
}

// calcArg is the argument of calc's first screen.
func calcArg(calc stock.Calculator) string {
	if calc.Vaccine {
		return calc.Name
	}
	return askArg(calc.Name, firstAsked(calc, 0))
}

// firstAsked is the index of the first input from i on that a phone asks,
// or len(calc.Inputs).
func firstAsked(calc stock.Calculator, i int) int {
	for ; i < len(calc.Inputs); i++ {
		if calc.Inputs[i].Asked() {
			return i
		}
	}
	return i
}

func askArg(name string, i int) string { return fmt.Sprintf("%s:%d", name, i) }

// stockVar is the prefix of the session variables that keep the numbers
// typed, by input; vaccineVar keeps the chosen vaccine's id. An answer of
// an earlier calculation is never read: questions are asked in order and
// each is typed before it is used.
const (
	stockVar   = "stk."
	vaccineVar = stockVar + "vaccine"
)

// stockSettings are the pack's vaccines and stock policy, the defaults of
// package stock where it has none, as the API has them.
func stockSettings(c *Ctx) stock.Settings {
	if p := c.m.pack; p != nil {
		return p.Settings.Stock()
	}
	return stock.NewSettings(stock.Policy{}, nil)
}

// vaccineName is v's name in the nurse's language, from the pack's
// glossary ("Surua na rubela" in Kiswahili).
func vaccineName(c *Ctx, v stock.Vaccine) string {
	if c.m.pack == nil {
		return v.Name
	}
	return c.m.pack.VaccineName(v.ID, c.Lang())
}

func showStockVaccine(c *Ctx) (Screen, error) {
	calc, ok := calcByKey(c.Arg())
	if !ok {
		return showStock(c)
	}
	vaccines := stockSettings(c).Vaccines
	items := make([]Item, len(vaccines))
	for i, v := range vaccines {
		items[i] = Item{Label: vaccineName(c, v)}
	}
	return Menu(c.Say("calc.choose_vaccine", "calculator", c.Say(calc.Title)), items...), nil
}

func stockVaccineInput(c *Ctx, in string) (Move, error) {
	calc, ok := calcByKey(c.Arg())
	if !ok {
		return stockInput(c, in)
	}
	vaccines := stockSettings(c).Vaccines
	n, ok := menuNumber(in, len(vaccines))
	if !ok {
		return c.Invalid(), nil
	}
	c.S.SetVar(vaccineVar, vaccines[n-1].ID)
	return Go(StStockAsk, askArg(calc.Name, firstAsked(calc, 0))), nil
}

// menuNumber reads the number of one of n items.
func menuNumber(in string, n int) (int, bool) {
	i, err := strconv.Atoi(strings.TrimSpace(in))
	return i, err == nil && i >= 1 && i <= n
}

// question reads the argument of a question screen.
func question(arg string) (stock.Calculator, int, bool) {
	name, idx, _ := strings.Cut(arg, ":")
	calc, ok := calcByKey(name)
	i, err := strconv.Atoi(idx)
	if !ok || err != nil || i < 0 || i >= len(calc.Inputs) || !calc.Inputs[i].Asked() {
		return stock.Calculator{}, 0, false
	}
	return calc, i, true
}

// heading names the calculator, the vaccine and how far along the nurse is.
func heading(c *Ctx, calc stock.Calculator, i int) string {
	n, total := 0, 0
	for j, in := range calc.Inputs {
		if in.Asked() {
			total++
			if j <= i {
				n++
			}
		}
	}
	if v, ok := stock.FindVaccine(stockSettings(c).Vaccines, c.S.Var(vaccineVar)); ok && calc.Vaccine {
		return c.Say("calc.heading_vaccine", "calculator", c.Say(calc.Title), "vaccine", vaccineName(c, v), "step", n, "steps", total)
	}
	return c.Say("calc.heading", "calculator", c.Say(calc.Title), "step", n, "steps", total)
}

func showStockAsk(c *Ctx) (Screen, error) {
	calc, i, ok := question(c.Arg())
	if !ok {
		return showStock(c)
	}
	in := calc.Inputs[i]
	text := heading(c, calc, i) + "\n" + c.Say(in.Prompt)
	if in.Hint {
		text += "\n" + acceptableHint(c)
	}
	return Entry(text), nil
}

// acceptableHint names the chosen vaccine's acceptable wastage: a hint for
// the nurse's own rate, never a default.
func acceptableHint(c *Ctx) string {
	v, _ := stock.FindVaccine(stockSettings(c).Vaccines, c.S.Var(vaccineVar))
	return c.Say("calc.acceptable", "rate", stock.Ratio{Value: v.Acceptable, Valid: true}.Percent())
}

// stockAskInput takes one number. It runs the calculator at once, with 0
// for the numbers still to come, so that a number the calculator refuses is
// asked again on its own screen, with the calculator's reason. The last
// number completes the calculation, which is stored before its result is
// shown.
func stockAskInput(c *Ctx, in string) (Move, error) {
	calc, i, ok := question(c.Arg())
	if !ok {
		return stockInput(c, in)
	}
	x, ok := calc.Inputs[i].Typed(in)
	if !ok {
		if calc.Inputs[i].Decimal() {
			return Retry(c.Say("calc.decimal")), nil
		}
		return Retry(c.Say("calc.whole")), nil
	}
	c.S.SetVar(stockVar+calc.Inputs[i].Key, strings.TrimSpace(in))
	v := typed(c, calc, i)
	res, err := calc.Calculate(v)
	var ie *stock.InputError
	switch {
	case errors.As(err, &ie) && inputIndex(calc, ie.Field) > i:
		// A number still to come (0 for now) is refused: ask for it.
	case errors.As(err, &ie):
		delete(c.S.Vars, stockVar+calc.Inputs[i].Key)
		return Retry(refusal(c, calc, i, ie)), nil
	case err != nil:
		return Move{}, err
	}
	if calc.Inputs[i].Confirm && x >= stock.ConfirmWastage {
		return Go(StStockConfirm, c.Arg()), nil
	}
	return advance(c, calc, i, v, res)
}

// advance asks the next number, or stores the completed calculation and
// shows its result.
func advance(c *Ctx, calc stock.Calculator, i int, v stock.Values, res stock.Result) (Move, error) {
	if next := firstAsked(calc, i+1); next < len(calc.Inputs) {
		return Go(StStockAsk, askArg(calc.Name, next)), nil
	}
	if err := saveCalculation(c, calc, v, res); err != nil {
		return Move{}, err
	}
	// Back from the result leads to the stock menu, for the next calculation.
	for j := len(c.S.Frames) - 1; j >= 0; j-- {
		if c.S.Frames[j].State == StStock {
			c.S.Frames = c.S.Frames[:j+1]
			break
		}
	}
	return Go(StStockResult, calc.Name), nil
}

// showStockConfirm asks the nurse to confirm a wastage rate of 80% or more:
// possible at a small clinic, more often a typing or counting error.
func showStockConfirm(c *Ctx) (Screen, error) {
	calc, i, ok := question(c.Arg())
	if !ok {
		return showStock(c)
	}
	rate := c.S.Var(stockVar + calc.Inputs[i].Key)
	x, _ := calc.Inputs[i].Typed(rate)
	usage := stock.Quantity(100 - 100*x)
	return Menu(c.Say("calc.confirm", "typed", rate, "usage", usage),
		Item{Label: c.Say("calc.confirm_yes", "typed", rate)},
		Item{Label: c.Say("calc.confirm_no")}), nil
}

func stockConfirmInput(c *Ctx, in string) (Move, error) {
	calc, i, ok := question(c.Arg())
	if !ok {
		return stockInput(c, in)
	}
	switch in {
	case "1":
		v := typed(c, calc, i)
		res, err := calc.Calculate(v)
		var ie *stock.InputError
		if err != nil && !(errors.As(err, &ie) && inputIndex(calc, ie.Field) > i) {
			return Move{}, err
		}
		return advance(c, calc, i, v, res)
	case "2":
		delete(c.S.Vars, stockVar+calc.Inputs[i].Key)
		return Back(), nil
	}
	return c.Invalid(), nil
}

// typed returns the values of calc's inputs asked up to input upto, 0 for
// those still to be asked; the inputs a phone never asks take their
// defaults.
func typed(c *Ctx, calc stock.Calculator, upto int) stock.Values {
	s := stockSettings(c)
	v := stock.NewValues(s)
	if calc.Vaccine {
		v.Vaccine, _ = stock.FindVaccine(s.Vaccines, c.S.Var(vaccineVar))
	}
	for i, in := range calc.Inputs {
		if !in.Asked() {
			continue
		}
		x := 0.0
		if i <= upto {
			x, _ = in.Typed(c.S.Var(stockVar + in.Key))
		}
		v.Set(in.Key, x)
	}
	return v
}

// inputIndex is the index of the question that asks key, or -1 for a
// figure a phone does not ask (derived or defaulted): its refusal is the
// refusal of the number just typed.
func inputIndex(calc stock.Calculator, key string) int {
	for i, in := range calc.Inputs {
		if in.Key == key && in.Asked() {
			return i
		}
	}
	return -1
}

// derivedLabels are the catalogue keys of the figures a calculator
// derives, named when one of them is refused (an AMC so large that the
// maximum stock exceeds what it takes).
var derivedLabels = map[string]string{
	"maximum_stock":  "calc.field.maximum_stock",
	"order_point":    "calc.field.order_point",
	"doses_per_vial": "calc.field.doses_per_vial",
}

// refusal says why the number typed on question i is refused, naming the
// field when the calculator refused another one.
func refusal(c *Ctx, calc stock.Calculator, i int, ie *stock.InputError) string {
	why := ie.Reason.In(c.Lang())
	if ie.Field != calc.Inputs[i].Key {
		label := strings.ReplaceAll(ie.Field, "_", " ")
		if key, ok := derivedLabels[ie.Field]; ok {
			label = c.Say(key)
		}
		why = label + " " + why
	}
	return c.Say("calc.refused", "reason", why)
}

// saveCalculation stores a completed calculation for the nurse, with her
// facility, in the JSON API's shape: the inputs it used (v, defaults filled
// in by Calculate) and its answer.
func saveCalculation(c *Ctx, calc stock.Calculator, v stock.Values, res stock.Result) error {
	inputs, err := json.Marshal(v.Stored())
	if err != nil {
		return fmt.Errorf("encode inputs: %w", err)
	}
	answer, err := json.Marshal(res.Answer)
	if err != nil {
		return fmt.Errorf("encode answer: %w", err)
	}
	return c.Store().SaveCalculationFor(c, c.S.Nurse.ID, calc.Name, v.Vaccine.ID, inputs, answer, string(res.Status.Code))
}

// result computes the result again from the answers kept in the session:
// pure arithmetic, no SQL.
func result(c *Ctx) (stock.Result, bool) {
	calc, ok := calcByKey(c.Arg())
	if !ok {
		return stock.Result{}, false
	}
	res, err := calc.Calculate(typed(c, calc, len(calc.Inputs)))
	return res, err == nil
}

// showStockResult shows the result, what it means and the formulas used;
// "98 More" and a resumed session show it again without SQL.
func showStockResult(c *Ctx) (Screen, error) {
	res, ok := result(c)
	if !ok {
		return showStock(c)
	}
	lines := []string{res.Headline.In(c.Lang()), res.Status.Text.In(c.Lang())}
	for _, w := range res.Warnings {
		lines = append(lines, w.In(c.Lang()))
	}
	for _, f := range res.Shown {
		lines = append(lines, f.In(c.Lang()))
	}
	return Menu(strings.Join(lines, "\n")), nil
}
