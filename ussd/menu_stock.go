package ussd

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/lessons/stock"
)

// The states of the stock calculator. The argument of a calculator's
// screens is its key ("order-quantity"); a question's is the key and the
// field's index ("order-quantity:1").
const (
	StStockNeed    State = "stk.need"
	StStockVaccine State = "stk.vac"
	StStockAsk     State = "stk.ask"
	StStockConfirm State = "stk.ok"
	StStockResult  State = "stk.res"
)

var stockTree = []Node{
	{State: StStock, Show: showStock, Input: stockInput},
	{State: StStockNeed, Show: showStockNeed, Input: stockNeedInput},
	{State: StStockVaccine, Show: showStockVaccine, Input: stockVaccineInput},
	{State: StStockAsk, Show: showStockAsk, Input: stockAskInput},
	{State: StStockConfirm, Show: showStockConfirm, Input: stockConfirmInput},
	{State: StStockResult, Show: showStockResult, Input: stockResultInput},
}

// A frame whose argument names no calculator (a session saved by an older
// release) shows, and takes input as, the stock menu.

// stockMenu is the order of the stock menu; nil stands for "Monthly need",
// which opens StStockNeed.
var stockMenu = []*calculator{&calcMonths, &calcOrder, &calcWastage, nil, &calcVials, &calcDropout}

func showStock(c *Ctx) (Screen, error) {
	items := make([]Item, len(stockMenu))
	for i, calc := range stockMenu {
		label := txt("Monthly need", "Mahitaji ya mwezi")
		if calc != nil {
			label = calc.title
		}
		items[i] = Item{Label: label.In(c.Lang())}
	}
	return Menu(c.T("Stock calculator", "Hesabu ya akiba"), items...), nil
}

func stockInput(c *Ctx, in string) (Move, error) {
	n, err := strconv.Atoi(in)
	switch {
	case err != nil || n < 1 || n > len(stockMenu):
		return c.Invalid(), nil
	case stockMenu[n-1] == nil:
		return Go(Frame{State: StStockNeed, Arg: ""}), nil
	}
	return startCalc(c, *stockMenu[n-1]), nil
}

func showStockNeed(c *Ctx) (Screen, error) {
	return Menu(c.T("Monthly need", "Mahitaji ya mwezi"),
		Item{Label: c.T("From target population", "Kwa idadi ya walengwa")},
		Item{Label: c.T("From AMC (consumption)", "Kwa wastani wa matumizi")}), nil
}

func stockNeedInput(c *Ctx, in string) (Move, error) {
	switch in {
	case "1":
		return startCalc(c, calcNeedTarget), nil
	case "2":
		return startCalc(c, calcNeedAMC), nil
	}
	return c.Invalid(), nil
}

// stockVar is the session variable that keeps a typed answer; vaccineVar
// keeps the chosen vaccine's id.
const (
	stockVar   = "stk."
	vaccineVar = stockVar + "vaccine"
)

// startCalc forgets the answers of an earlier calculation and asks for the
// vaccine or the first number.
func startCalc(c *Ctx, calc calculator) Move {
	for k := range c.S.Vars {
		if strings.HasPrefix(k, stockVar) {
			delete(c.S.Vars, k)
		}
	}
	if calc.vaccine {
		return Go(Frame{State: StStockVaccine, Arg: calc.key})
	}
	return Go(Frame{State: StStockAsk, Arg: askArg(calc.key, 0)})
}

func askArg(key string, i int) string { return key + ":" + strconv.Itoa(i) }

// stockSettings are the pack's vaccines and stock policy, or the defaults
// of domain.md where the pack has none.
func stockSettings(c *Ctx) ([]stock.Vaccine, stock.Policy) {
	vaccines, policy := stock.DefaultVaccines(), stock.DefaultPolicy()
	if p := c.m.pack; p != nil {
		if len(p.Settings.Vaccines) > 0 {
			vaccines = p.Settings.Vaccines
		}
		if p.Settings.StockPolicy.SupplyMonths > 0 {
			policy = p.Settings.StockPolicy
		}
	}
	return vaccines, policy
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
	vaccines, _ := stockSettings(c)
	items := make([]Item, len(vaccines))
	for i, v := range vaccines {
		items[i] = Item{Label: vaccineName(c, v)}
	}
	return Menu(calc.title.In(c.Lang())+c.T(": choose the vaccine", ": chagua chanjo"), items...), nil
}

func stockVaccineInput(c *Ctx, in string) (Move, error) {
	if _, ok := calcByKey(c.Arg()); !ok {
		return stockInput(c, in)
	}
	vaccines, _ := stockSettings(c)
	n, err := strconv.Atoi(in)
	if err != nil || n < 1 || n > len(vaccines) {
		return c.Invalid(), nil
	}
	c.S.SetVar(vaccineVar, vaccines[n-1].ID)
	return Go(Frame{State: StStockAsk, Arg: askArg(c.Arg(), 0)}), nil
}

// question reads the argument of a question screen.
func question(arg string) (calculator, int, bool) {
	key, idx, _ := strings.Cut(arg, ":")
	calc, ok := calcByKey(key)
	i, err := strconv.Atoi(idx)
	if !ok || err != nil || i < 0 || i >= len(calc.fields) {
		return calculator{}, 0, false
	}
	return calc, i, true
}

// heading names the calculator, the vaccine and how far along the nurse is.
func heading(c *Ctx, calc calculator, i int) string {
	h := calc.title.In(c.Lang())
	if calc.vaccine {
		vaccines, _ := stockSettings(c)
		if v, ok := stock.FindVaccine(vaccines, c.S.Var(vaccineVar)); ok {
			h += ", " + vaccineName(c, v)
		}
	}
	return fmt.Sprintf("%s %d/%d", h, i+1, len(calc.fields))
}

func showStockAsk(c *Ctx) (Screen, error) {
	calc, i, ok := question(c.Arg())
	if !ok {
		return showStock(c)
	}
	text := heading(c, calc, i) + "\n" + calc.fields[i].prompt.In(c.Lang())
	if calc.fields[i].hint {
		text += "\n" + acceptableHint(c).In(c.Lang())
	}
	return Entry(text), nil
}

// acceptableHint names the chosen vaccine's acceptable wastage: a hint for
// the nurse's own rate, never a default.
func acceptableHint(c *Ctx) lessons.Text {
	vaccines, _ := stockSettings(c)
	v, _ := stock.FindVaccine(vaccines, c.S.Var(vaccineVar))
	a := stock.Ratio{Value: v.Acceptable, Valid: true}.Percent()
	return txt("Acceptable: up to "+a, "Inayokubalika: hadi "+a)
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
	if !wholeNumber(in) {
		return Retry(c.T("Enter a whole number.", "Weka namba kamili.")), nil
	}
	c.S.SetVar(stockVar+calc.fields[i].key, in)
	res, err := calc.run(typed(c, calc, i))
	var ie *stock.InputError
	switch {
	case errors.As(err, &ie) && fieldIndex(calc, ie.Field) > i:
		// A number still to come (0 for now) is refused: ask for it.
	case errors.As(err, &ie):
		delete(c.S.Vars, stockVar+calc.fields[i].key)
		return Retry(refusal(c, calc, i, ie)), nil
	case err != nil:
		return Move{}, err
	}
	if f := calc.fields[i]; f.confirm && typed(c, calc, i).nums[f.key] >= stock.ConfirmWastage {
		return Go(Frame{State: StStockConfirm, Arg: c.Arg()}), nil
	}
	return advance(c, calc, i, res)
}

// advance asks the next number, or stores the completed calculation and
// shows its result.
func advance(c *Ctx, calc calculator, i int, res calculation) (Move, error) {
	if i+1 < len(calc.fields) {
		return Go(Frame{State: StStockAsk, Arg: askArg(calc.key, i+1)}), nil
	}
	if err := saveCalculation(c, calc.key, res); err != nil {
		return Move{}, err
	}
	// Back from the result leads to the stock menu, for the next calculation.
	for j := len(c.S.Frames) - 1; j >= 0; j-- {
		if c.S.Frames[j].State == StStock {
			c.S.Frames = c.S.Frames[:j+1]
			break
		}
	}
	return Go(Frame{State: StStockResult, Arg: calc.key}), nil
}

// showStockConfirm asks the nurse to confirm a wastage rate of 80% or more:
// possible at a small clinic, more often a typing or counting error.
func showStockConfirm(c *Ctx) (Screen, error) {
	calc, i, ok := question(c.Arg())
	if !ok {
		return showStock(c)
	}
	rate := c.S.Var(stockVar + calc.fields[i].key)
	n, _ := strconv.Atoi(rate)
	usage := strconv.Itoa(100 - n)
	return Menu(c.T("Wastage "+rate+"% is very high: only "+usage+"% of doses given. Is it right?",
		"Upotevu "+rate+"% ni mkubwa sana: walizopewa ni "+usage+"% tu ya dozi. Ni sahihi?"),
		Item{Label: c.T("Yes, use "+rate+"%", "Ndiyo, tumia "+rate+"%")},
		Item{Label: c.T("No, type it again", "Hapana, andika tena")}), nil
}

func stockConfirmInput(c *Ctx, in string) (Move, error) {
	calc, i, ok := question(c.Arg())
	if !ok {
		return stockInput(c, in)
	}
	switch in {
	case "1":
		res, err := calc.run(typed(c, calc, i))
		var ie *stock.InputError
		if err != nil && !(errors.As(err, &ie) && fieldIndex(calc, ie.Field) > i) {
			return Move{}, err
		}
		return advance(c, calc, i, res)
	case "2":
		delete(c.S.Vars, stockVar+calc.fields[i].key)
		return Back(), nil
	}
	return c.Invalid(), nil
}

// wholeNumber accepts what a phone keypad types for a number: digits only.
func wholeNumber(in string) bool {
	if in == "" {
		return false
	}
	for _, r := range in {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// typed returns the answers to the first upto+1 questions of calc, 0 for
// the others.
func typed(c *Ctx, calc calculator, upto int) entries {
	vaccines, policy := stockSettings(c)
	v, _ := stock.FindVaccine(vaccines, c.S.Var(vaccineVar))
	e := entries{nums: map[string]float64{}, vaccine: v, policy: policy}
	for i, f := range calc.fields {
		x := 0.0
		if i <= upto {
			x, _ = strconv.ParseFloat(c.S.Var(stockVar+f.key), 64)
		}
		if f.percent {
			x /= 100
		}
		e.nums[f.key] = x
	}
	return e
}

func fieldIndex(calc calculator, key string) int {
	for i, f := range calc.fields {
		if f.key == key {
			return i
		}
	}
	return -1
}

// derivedLabels name the figures a calculator derives, when one of them is
// refused (an AMC so large that the maximum stock exceeds what it takes).
var derivedLabels = map[string]lessons.Text{
	"maximum_stock":  txt("maximum stock", "kiwango cha juu"),
	"order_point":    txt("order point", "kiwango cha kuagiza"),
	"doses_per_vial": txt("doses per vial", "dozi kwa chupa"),
}

// refusal says why the number typed on question i is refused, naming the
// field when the calculator refused another one.
func refusal(c *Ctx, calc calculator, i int, ie *stock.InputError) string {
	why := ie.Reason.In(c.Lang())
	if ie.Field != calc.fields[i].key {
		label, ok := derivedLabels[ie.Field]
		if !ok {
			label = txt(strings.ReplaceAll(ie.Field, "_", " "), strings.ReplaceAll(ie.Field, "_", " "))
		}
		why = label.In(c.Lang()) + " " + why
	}
	return c.T("Not accepted: ", "Haikubaliki: ") + why
}

// saveCalculation stores a completed calculation for the nurse, with her
// facility, in the JSON API's shape.
func saveCalculation(c *Ctx, key string, res calculation) error {
	inputs, err := json.Marshal(res.inputs)
	if err != nil {
		return fmt.Errorf("encode inputs: %w", err)
	}
	answer, err := json.Marshal(res.answer)
	if err != nil {
		return fmt.Errorf("encode answer: %w", err)
	}
	return c.Store().SaveCalculationFor(c, c.S.Nurse.ID, key, res.vaccine, inputs, answer, string(res.answer.Status.Code))
}

// result computes the result again from the answers kept in the session:
// pure arithmetic, no SQL.
func result(c *Ctx) (calculation, bool) {
	calc, ok := calcByKey(c.Arg())
	if !ok {
		return calculation{}, false
	}
	res, err := calc.run(typed(c, calc, len(calc.fields)))
	return res, err == nil
}

// showStockResult shows the result, what it means and the formulas used;
// "98 More" and a resumed session show it again without SQL.
func showStockResult(c *Ctx) (Screen, error) {
	res, ok := result(c)
	if !ok {
		return showStock(c)
	}
	lines := []string{res.headline.In(c.Lang()), res.answer.Status.Text.In(c.Lang())}
	for _, w := range res.answer.Warnings {
		lines = append(lines, w.In(c.Lang()))
	}
	for _, f := range res.formulas {
		lines = append(lines, f.In(c.Lang()))
	}
	return Menu(strings.Join(lines, "\n")), nil
}

func stockResultInput(c *Ctx, in string) (Move, error) {
	if _, ok := result(c); !ok {
		return stockInput(c, in)
	}
	return c.Invalid(), nil
}
