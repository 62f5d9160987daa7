package admin

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/lessons/stock"
	"github.com/chanjo-health/chanjo/phone"
)

// MaxCalculatorBody is the largest request body a calculator accepts.
const MaxCalculatorBody = 64 << 10

// Calculation is one calculation to store for a health worker.
type Calculation struct {
	Phone      string          // the worker's number, normalised to +254...
	Calculator string          // e.g. "order-quantity"
	Vaccine    string          // the vaccine's id; "" for a calculator without one
	Inputs     json.RawMessage // the request's inputs, without the phone
	Result     json.RawMessage // the response body
	Status     stock.Code      // e.g. "below_order_point"
}

// ErrUnknownWorker is what a CalculationSaver wraps when the phone belongs to
// no health worker.
var ErrUnknownWorker = errors.New("admin: unknown health worker")

// CalculationSaver stores calculations made through the API.
type CalculationSaver interface {
	SaveCalculation(ctx context.Context, c Calculation) error
}

// CalculatorHandler answers POST /api/v1/calculators/:name.
type CalculatorHandler struct {
	saver    CalculationSaver
	policy   stock.Policy
	vaccines []stock.Vaccine
	log      *slog.Logger
}

// NewCalculatorHandler returns the calculators' JSON API. A nil saver never
// stores; otherwise a calculation is stored when its request names a
// worker's phone. policy gives the defaults of supply_months,
// safety_fraction and lead_days; vaccines are the ones a request may name
// (the content pack's).
func NewCalculatorHandler(saver CalculationSaver, policy stock.Policy, vaccines []stock.Vaccine, log *slog.Logger) *CalculatorHandler {
	return &CalculatorHandler{saver: saver, policy: policy, vaccines: vaccines, log: log.With("component", "admin.calculators")}
}

// Register adds the route to r, the /api/v1 group.
func (h *CalculatorHandler) Register(r gin.IRouter) {
	r.POST("/calculators/:name", h.calculate)
}

// apiError is the JSON API's error body.
type apiError struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

func abort(c *gin.Context, status int, e apiError) {
	c.AbortWithStatusJSON(status, gin.H{"error": e})
}

// answer is a calculator's response body, the same a USSD calculation
// stores.
type answer = stock.Answer

func (h *CalculatorHandler) calculate(c *gin.Context) {
	name := c.Param("name")
	run, ok := calculators[name]
	if !ok {
		abort(c, http.StatusNotFound, apiError{Code: "not_found", Message: "no calculator named " + strconv.Quote(name)})
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, MaxCalculatorBody))
	if err != nil {
		abort(c, http.StatusRequestEntityTooLarge, apiError{Code: "too_large", Message: "the body must be at most 64 KiB"})
		return
	}
	in, err := parseInputs(body, h.policy, h.vaccines)
	if err != nil {
		abort(c, http.StatusUnprocessableEntity, apiError{Code: "invalid", Message: err.Error()})
		return
	}
	ans, err := run(in)
	var fe fieldErrors
	var ie *stock.InputError
	switch {
	case errors.As(err, &fe):
		abort(c, http.StatusUnprocessableEntity, apiError{Code: "invalid", Message: "invalid input", Fields: fe})
		return
	case errors.As(err, &ie):
		abort(c, http.StatusUnprocessableEntity, apiError{Code: "invalid", Message: ie.Field + ": " + ie.Reason.In("en"),
			Fields: map[string]string{ie.Field: ie.Reason.In("en")}})
		return
	}
	ans.Calculator = name
	if in.phone != "" && h.saver != nil {
		if !h.save(c, name, in, ans) {
			return
		}
	}
	c.JSON(http.StatusOK, ans)
}

// save stores the calculation and answers the error itself when it fails.
func (h *CalculatorHandler) save(c *gin.Context, name string, in *inputs, ans answer) bool {
	result, err := json.Marshal(ans)
	if err != nil {
		h.log.Error("encode result", "calculator", name, "err", err)
		abort(c, http.StatusInternalServerError, apiError{Code: "internal", Message: "internal error"})
		return false
	}
	delete(in.raw, "phone")
	inputs, err := json.Marshal(in.raw)
	if err == nil {
		calc := Calculation{Phone: in.phone, Calculator: name, Vaccine: in.chosen.ID, Inputs: inputs, Result: result, Status: ans.Status.Code}
		err = h.saver.SaveCalculation(c.Request.Context(), calc)
	}
	switch {
	case errors.Is(err, ErrUnknownWorker):
		abort(c, http.StatusUnprocessableEntity, apiError{Code: "invalid", Message: "phone: no health worker has this number",
			Fields: map[string]string{"phone": "no health worker has this number"}})
		return false
	case err != nil:
		h.log.Error("save calculation", "calculator", name, phone.LogKey, phone.Mask(in.phone), "err", err)
		abort(c, http.StatusInternalServerError, apiError{Code: "internal", Message: "could not store the calculation"})
		return false
	}
	return true
}

// calculators maps each calculator's name to the step that reads its
// fields and runs it.
var calculators = map[string]func(*inputs) (answer, error){
	"stock-count":            stockCount,
	"open-vial-wastage":      openVialWastage,
	"wastage-factor":         wastageFactor,
	"need-target-population": needTargetPopulation,
	"need-consumption":       needConsumption,
	"need-session-size":      needSessionSize,
	"session-vials":          sessionVials,
	"months-of-stock":        monthsOfStock,
	"stock-levels":           stockLevels,
	"order-quantity":         orderQuantity,
	"dropout":                dropout,
	"coverage":               coverage,
}

// result is an answer whose calculator name the handler fills in.
func result(values map[string]any, s stock.Status, formulas ...lessons.Text) answer {
	return stock.NewAnswer("", values, s, formulas...)
}

func stockCount(in *inputs) (answer, error) {
	c := stock.Count{Vaccine: in.vaccine(), Opening: in.num("opening"), Received: in.num("received"), Closing: in.num("closing"),
		Administered: in.num("administered"), UnopenedLost: in.opt("unopened_lost", 0), CarriedOpen: in.opt("carried_open_doses", 0)}
	if err := in.done(); err != nil {
		return answer{}, err
	}
	r, err := stock.StockCount(c)
	if err != nil {
		return answer{}, err
	}
	a := result(r.Values(), r.Status, r.Formula)
	a.Warnings = r.Warnings
	return a, nil
}

func openVialWastage(in *inputs) (answer, error) {
	v := in.vaccine()
	var months []stock.VialMonth
	for _, m := range in.months("months", "opened", "administered") {
		months = append(months, stock.VialMonth{Opened: m["opened"], Administered: m["administered"]})
	}
	if err := in.done(); err != nil {
		return answer{}, err
	}
	r, err := stock.OpenVialWastage(months, v)
	if err != nil {
		return answer{}, err
	}
	perMonth := make([]any, len(r.Months))
	for i, m := range r.Months {
		perMonth[i] = stock.PercentValue(m)
	}
	return result(map[string]any{
		"months_pct": perMonth, "total_opened": r.TotalOpened, "total_administered": r.TotalAdministered,
		"cumulative_pct": stock.PercentValue(r.Cumulative),
	}, r.Status, r.Formula), nil
}

func wastageFactor(in *inputs) (answer, error) {
	rate := in.num("wastage_rate")
	if err := in.done(); err != nil {
		return answer{}, err
	}
	r, err := stock.WastageFactor(rate)
	if err != nil {
		return answer{}, err
	}
	a := result(map[string]any{"wastage_rate_pct": stock.Round(r.WastageRate*100, 1), "wastage_factor": stock.Round(r.Factor, 3)},
		r.Status, r.Formula)
	a.Warnings = r.Warnings
	return a, nil
}

func needTargetPopulation(in *inputs) (answer, error) {
	n := stock.TargetNeed{Vaccine: in.vaccine(), TargetPopulation: in.num("target_population"), DosesInSchedule: in.num("doses_in_schedule"),
		CoverageTarget: in.num("coverage_target"), WastageRate: in.num("wastage_rate"),
		SupplyMonths: in.opt("supply_months", in.policy.SupplyMonths)}
	if err := in.done(); err != nil {
		return answer{}, err
	}
	r, err := stock.NeedByTarget(n)
	if err != nil {
		return answer{}, err
	}
	a := result(r.TargetValues(), r.Status, r.Formula)
	a.Warnings = r.Warnings
	return a, nil
}

func needConsumption(in *inputs) (answer, error) {
	in.vaccine()
	n := stock.ConsumptionNeed{Growth: in.opt("growth", 0), SupplyMonths: in.opt("supply_months", in.policy.SupplyMonths)}
	var months []stock.MonthConsumption
	switch {
	case in.has("amc") == in.has("months"):
		in.used["amc"], in.used["months"] = true, true
		in.errs["amc"] = "give either amc or months"
	case in.has("amc"):
		n.AMC = in.num("amc")
	default:
		for _, m := range in.months("months", "consumed", "stock_out_days") {
			months = append(months, stock.MonthConsumption{Consumed: m["consumed"], StockOutDays: m["stock_out_days"]})
		}
	}
	if err := in.done(); err != nil {
		return answer{}, err
	}
	var formulas []lessons.Text
	var adjusted []float64
	if months != nil {
		amc, err := stock.AverageMonthlyConsumption(months)
		if err != nil {
			return answer{}, err
		}
		n.AMC, adjusted, formulas = amc.AMC, amc.Adjusted, append(formulas, amc.Formula)
	}
	r, err := stock.NeedByConsumption(n)
	if err != nil {
		return answer{}, err
	}
	v := r.Values()
	v["amc"] = stock.Round(n.AMC, 1)
	if adjusted != nil {
		v["adjusted_consumption"] = adjusted
	}
	return result(v, r.Status, append(formulas, r.Formula)...), nil
}

func needSessionSize(in *inputs) (answer, error) {
	v := in.vaccine()
	n := stock.SessionNeed{Posts: in.num("posts"), Weeks: in.num("weeks"), SessionsPerWeek: in.num("sessions_per_week"),
		VialsPerSession: in.num("vials_per_session"), DosesPerVial: in.dosesPerVial(v),
		SupplyMonths: in.opt("supply_months", in.policy.SupplyMonths)}
	if err := in.done(); err != nil {
		return answer{}, err
	}
	r, err := stock.NeedBySession(n)
	if err != nil {
		return answer{}, err
	}
	return result(map[string]any{"annual_vials": r.AnnualVials, "annual_need": r.AnnualNeed,
		"period_need": r.PeriodNeed, "period_vials": r.PeriodVials}, r.Status, r.Formula), nil
}

func sessionVials(in *inputs) (answer, error) {
	v := in.vaccine()
	expected, dpv := in.num("expected_children"), in.dosesPerVial(v)
	if err := in.done(); err != nil {
		return answer{}, err
	}
	r, err := stock.SessionVials(expected, dpv)
	if err != nil {
		return answer{}, err
	}
	return result(r.Values(), r.Status, r.Formula), nil
}

// monthsOfStock grades stock against the policy's levels, as stock-levels
// and order-quantity do.
func monthsOfStock(in *inputs) (answer, error) {
	in.vaccine()
	onHand, inTransit, amc, p := in.num("stock_on_hand"), in.opt("in_transit", 0), in.num("amc"), in.stockPolicy()
	if err := in.done(); err != nil {
		return answer{}, err
	}
	r, err := stock.MonthsOfStock(onHand, inTransit, amc, p)
	if err != nil {
		return answer{}, err
	}
	return result(r.Values(), r.Status, append([]lessons.Text{r.Formula}, r.Levels.Steps()...)...), nil
}

// stockLevels computes the policy's levels and, given the stock on hand,
// grades it as months-of-stock and order-quantity do.
func stockLevels(in *inputs) (answer, error) {
	in.vaccine()
	amc, p := in.num("amc"), in.stockPolicy()
	graded := in.has("stock_on_hand")
	onHand, inTransit := in.opt("stock_on_hand", 0), in.opt("in_transit", 0)
	if err := in.done(); err != nil {
		return answer{}, err
	}
	if graded {
		if _, err := stock.MonthsOfStock(onHand, inTransit, amc, p); err != nil {
			return answer{}, err
		}
	}
	r, err := stock.StockLevels(amc, p)
	if err != nil {
		return answer{}, err
	}
	s := r.Status
	if graded {
		s = r.Grade(onHand, inTransit)
	}
	return result(r.Values(), s, r.Steps()...), nil
}

func orderQuantity(in *inputs) (answer, error) {
	v := in.vaccine()
	onHand, inTransit, dpv := in.num("stock_on_hand"), in.opt("in_transit", 0), in.dosesPerVial(v)
	o := stock.Order{OnHand: onHand, InTransit: inTransit, DosesPerVial: dpv}
	fromAMC, amc, p := in.has("amc"), 0.0, stock.Policy{}
	switch {
	case fromAMC == in.has("maximum_stock"):
		in.used["amc"], in.used["maximum_stock"] = true, true
		in.errs["maximum_stock"] = "give either maximum_stock or amc"
	case fromAMC:
		amc, p = in.num("amc"), in.stockPolicy()
	default:
		o.Maximum, o.OrderPoint = in.num("maximum_stock"), in.opt("order_point", 0)
	}
	if err := in.done(); err != nil {
		return answer{}, err
	}
	var levels map[string]any
	var steps []lessons.Text
	if fromAMC {
		l, err := stock.StockLevels(amc, p)
		if err != nil {
			return answer{}, err
		}
		o, levels, steps = l.Order(onHand, inTransit, dpv), l.Values(), l.Steps()
	}
	r, err := stock.OrderQuantity(o)
	if err != nil {
		return answer{}, err
	}
	return result(r.Values(levels), r.Status, append(steps, r.Formula)...), nil
}

// dropout takes year-to-date counts unless counts is "month".
func dropout(in *inputs) (answer, error) {
	counts := in.str("counts", "year_to_date")
	if counts != "year_to_date" && counts != "month" {
		in.errs["counts"] = `must be "year_to_date" or "month"`
	}
	monthly := counts == "month"
	months := 12.0
	if monthly {
		months = 1
	}
	d := stock.DropoutInput{FirstDose: in.num("first_dose"), LaterDose: in.num("later_dose"),
		TargetPopulation: in.num("target_population"), Months: in.opt("months", months), Monthly: monthly}
	if err := in.done(); err != nil {
		return answer{}, err
	}
	r, err := stock.Dropout(d)
	if err != nil {
		return answer{}, err
	}
	return result(r.Values(), r.Status, r.Formula), nil
}

func coverage(in *inputs) (answer, error) {
	c := stock.CoverageInput{DosesThisMonth: in.num("doses_this_month"), DosesToDate: in.num("doses_to_date"),
		TargetPopulation: in.num("target_population"), MonthsSoFar: in.num("months_so_far"),
		CoverageTarget: in.opt("coverage_target", 0)}
	if err := in.done(); err != nil {
		return answer{}, err
	}
	r, err := stock.Coverage(c)
	if err != nil {
		return answer{}, err
	}
	return result(map[string]any{"monthly_target": stock.Round(r.MonthlyTarget, 1), "monthly_coverage_pct": stock.PercentValue(r.Monthly),
		"coverage_to_date_pct": stock.PercentValue(r.ToDate)}, r.Status, r.Formula), nil
}
