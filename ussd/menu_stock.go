package ussd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/chanjo-health/chanjo/lessons/stock"
)

// The states of the stock calculators, rendered from the calculator table
// of package stock. A frame's Key is the calculator's name (for a group,
// its first calculator's) and a question's N the index of its input; the
// numbers typed are in the session's Work.Calc.
const (
	StStockGroup   State = "stk.need"
	StStockVaccine State = "stk.vac"
	StStockAsk     State = "stk.ask"
	StStockConfirm State = "stk.ok"
	StStockResult  State = "stk.res"
)

// stockStore is what the stock calculators need of the database: the
// completed calculation is stored for the nurse, with her facility.
type stockStore interface {
	SaveCalculationFor(ctx context.Context, workerID int64, calculator, vaccine string, inputs, result []byte, status string) error
}

var stockTree = []Node{
	{State: StStock, Show: showStock},
	{State: StStockGroup, Show: showStockGroup},
	{State: StStockVaccine, Show: showStockVaccine},
	{State: StStockAsk, Show: showStockAsk, Input: stockAskInput},
	{State: StStockConfirm, Show: showStockConfirm},
	{State: StStockResult, Show: showStockResult},
}

// A frame whose Key names no calculator of the phone, or a calculation the
// session no longer holds (a session of an older release), shows the stock
// menu, whose items then work as they do there.

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
			items = append(items, Item{Label: c.Say(calc.Title), Do: startCalc(calc)})
		case !seen[calc.Group]:
			seen[calc.Group] = true
			items = append(items, Item{Label: c.Say(calc.Group), To: Frame{State: StStockGroup, Key: calc.Name}})
		}
	}
	return Menu(c.Say("calc.title"), items...), nil
}

// showStockGroup lists the calculators of the group its Key names.
func showStockGroup(c *Ctx) (Screen, error) {
	first, ok := calcByKey(c.S.Top().Key)
	if !ok || first.Group == "" {
		return showStock(c)
	}
	var items []Item
	for _, calc := range onPhone() {
		if calc.Group == first.Group {
			items = append(items, Item{Label: c.Say(calc.Item), Do: startCalc(calc)})
		}
	}
	return Menu(c.Say(first.Group), items...), nil
}

// startCalc begins a calculation, forgetting an earlier one: the vaccine
// is chosen first, or the first question asked.
func startCalc(calc stock.Calculator) func(c *Ctx) (Move, error) {
	return func(c *Ctx) (Move, error) {
		c.S.Work.Calc = &Calc{Name: calc.Name, Values: make([]float64, len(calc.Inputs))}
		if calc.Vaccine {
			return Go(Frame{State: StStockVaccine, Key: calc.Name}), nil
		}
		return Go(Frame{State: StStockAsk, Key: calc.Name, N: firstAsked(calc, 0)}), nil
	}
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

// calcAt is the calculator of the current frame and the calculation the
// session holds for it; ok is false when either is gone.
func calcAt(c *Ctx) (stock.Calculator, *Calc, bool) {
	calc, ok := calcByKey(c.S.Top().Key)
	w := c.S.Work.Calc
	if !ok || w == nil || w.Name != calc.Name || len(w.Values) != len(calc.Inputs) {
		return stock.Calculator{}, nil, false
	}
	return calc, w, true
}

// questionAt is calcAt for a question screen, with the input it asks.
func questionAt(c *Ctx) (stock.Calculator, *Calc, int, bool) {
	calc, w, ok := calcAt(c)
	i := c.S.Top().N
	if !ok || i < 0 || i >= len(calc.Inputs) || !calc.Inputs[i].Asked() {
		return stock.Calculator{}, nil, 0, false
	}
	return calc, w, i, true
}

// stockSettings are the pack's vaccines and stock policy, the defaults of
// package stock where it has none, as the API has them.
func stockSettings(c *Ctx) stock.Settings { return c.Pack().Settings.Stock() }

func showStockVaccine(c *Ctx) (Screen, error) {
	calc, _, ok := calcAt(c)
	if !ok {
		return showStock(c)
	}
	vaccines := stockSettings(c).Vaccines
	items := make([]Item, len(vaccines))
	for i, v := range vaccines {
		items[i] = Item{Label: c.Pack().VaccineName(v.ID, c.Lang()), Do: chooseVaccine(calc, v.ID)}
	}
	return Menu(c.Say("calc.choose_vaccine", "calculator", c.Say(calc.Title)), items...), nil
}

// chooseVaccine keeps the vaccine and asks the first question.
func chooseVaccine(calc stock.Calculator, id string) func(c *Ctx) (Move, error) {
	return func(c *Ctx) (Move, error) {
		c.S.Work.Calc.Vaccine = id
		return Go(Frame{State: StStockAsk, Key: calc.Name, N: firstAsked(calc, 0)}), nil
	}
}

// heading names the calculator, the vaccine and how far along the nurse is.
func heading(c *Ctx, calc stock.Calculator, w *Calc, i int) string {
	n, total := 0, 0
	for j, in := range calc.Inputs {
		if in.Asked() {
			total++
			if j <= i {
				n++
			}
		}
	}
	title := c.Say(calc.Title)
	if v, ok := stock.FindVaccine(stockSettings(c).Vaccines, w.Vaccine); ok && calc.Vaccine {
		return c.Say("calc.heading_vaccine", "calculator", title, "vaccine", c.Pack().VaccineName(v.ID, c.Lang()), "step", n, "steps", total)
	}
	return c.Say("calc.heading", "calculator", title, "step", n, "steps", total)
}

func showStockAsk(c *Ctx) (Screen, error) {
	calc, w, i, ok := questionAt(c)
	if !ok {
		return showStock(c)
	}
	in := calc.Inputs[i]
	text := heading(c, calc, w, i) + "\n" + c.Say(in.Prompt)
	if in.Hint {
		v, _ := stock.FindVaccine(stockSettings(c).Vaccines, w.Vaccine)
		text += "\n" + c.Say("calc.acceptable", "rate", stock.Ratio{Value: v.Acceptable, Valid: true}.Percent())
	}
	return Entry(text), nil
}

// stockAskInput takes one number. It runs the calculator at once, with 0
// for the numbers still to come, so that a number the calculator refuses is
// asked again on its own screen, with the calculator's reason. The last
// number completes the calculation, which is stored before its result is
// shown.
func stockAskInput(c *Ctx, typed string) (Move, error) {
	calc, w, i, ok := questionAt(c)
	if !ok {
		return c.Invalid(), nil
	}
	in := calc.Inputs[i]
	x, ok := in.Typed(typed)
	switch {
	case !ok && in.Decimal():
		return Retry(c.Say("calc.decimal")), nil
	case !ok:
		return Retry(c.Say("calc.whole")), nil
	}
	was := w.Values[i]
	w.Values[i] = x
	v := values(c, calc, w, i)
	res, err := calc.Calculate(v)
	var ie *stock.InputError
	switch {
	case errors.As(err, &ie) && inputIndex(calc, ie.Field) > i:
		// A number still to come (0 for now) is refused: ask for it.
	case errors.As(err, &ie):
		w.Values[i] = was // a refused number changes nothing
		return Retry(refusal(c, calc, i, ie)), nil
	case err != nil:
		return Move{}, err
	}
	if in.Confirm && x >= stock.ConfirmWastage {
		return Go(Frame{State: StStockConfirm, Key: calc.Name, N: i}), nil
	}
	return advance(c, calc, i, v, res)
}

// advance asks the next number, or stores the completed calculation and
// shows its result.
func advance(c *Ctx, calc stock.Calculator, i int, v stock.Values, res stock.Result) (Move, error) {
	if next := firstAsked(calc, i+1); next < len(calc.Inputs) {
		return Go(Frame{State: StStockAsk, Key: calc.Name, N: next}), nil
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
	return Go(Frame{State: StStockResult, Key: calc.Name}), nil
}

// showStockConfirm asks the nurse to confirm a wastage rate of 80% or more:
// possible at a small clinic, more often a typing or counting error.
func showStockConfirm(c *Ctx) (Screen, error) {
	calc, w, i, ok := questionAt(c)
	if !ok {
		return showStock(c)
	}
	rate := stock.Quantity(100 * w.Values[i])
	usage := stock.Quantity(100 - 100*w.Values[i])
	return Menu(c.Say("calc.confirm", "typed", rate, "usage", usage),
		Item{Label: c.Say("calc.confirm_yes", "typed", rate), Do: confirmRate(calc, i)},
		Item{Label: c.Say("calc.confirm_no"), Do: func(*Ctx) (Move, error) { return Back(), nil }}), nil
}

// confirmRate goes on with the rate confirmed on question i.
func confirmRate(calc stock.Calculator, i int) func(c *Ctx) (Move, error) {
	return func(c *Ctx) (Move, error) {
		v := values(c, calc, c.S.Work.Calc, i)
		res, err := calc.Calculate(v)
		var ie *stock.InputError
		if err != nil && !(errors.As(err, &ie) && inputIndex(calc, ie.Field) > i) {
			return Move{}, err
		}
		return advance(c, calc, i, v, res)
	}
}

// values are the calculation's inputs: the numbers typed up to question
// upto, 0 for those still to be asked; the inputs a phone never asks take
// their defaults.
func values(c *Ctx, calc stock.Calculator, w *Calc, upto int) stock.Values {
	s := stockSettings(c)
	v := stock.NewValues(s)
	if calc.Vaccine {
		v.Vaccine, _ = stock.FindVaccine(s.Vaccines, w.Vaccine)
	}
	for i, in := range calc.Inputs {
		switch {
		case !in.Asked():
		case i <= upto:
			v.Set(in.Key, w.Values[i])
		default:
			v.Set(in.Key, 0)
		}
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
	return storeOf[stockStore](c).SaveCalculationFor(c, c.S.Nurse.ID, calc.Name, v.Vaccine.ID, inputs, answer, string(res.Status.Code))
}

// showStockResult shows the result, what it means and the formulas used,
// computed again from the numbers the session holds: "98 More" and a
// resumed session show it without SQL.
func showStockResult(c *Ctx) (Screen, error) {
	calc, w, ok := calcAt(c)
	if !ok {
		return showStock(c)
	}
	res, err := calc.Calculate(values(c, calc, w, len(calc.Inputs)))
	if err != nil {
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
