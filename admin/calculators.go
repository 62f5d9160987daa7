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

// CalculatorHandler answers POST /api/v1/calculators/:name from the
// calculator table of package stock.
type CalculatorHandler struct {
	saver    CalculationSaver
	settings stock.Settings
	log      *slog.Logger
}

// NewCalculatorHandler returns the calculators' JSON API. A nil saver never
// stores; otherwise a calculation is stored when its request names a
// worker's phone. settings give the defaults of the optional inputs
// (the stock policy) and the vaccines a request may name.
func NewCalculatorHandler(saver CalculationSaver, settings stock.Settings, log *slog.Logger) *CalculatorHandler {
	return &CalculatorHandler{saver: saver, settings: settings, log: log.With("component", "admin.calculators")}
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
	calc, ok := stock.Find(name)
	if !ok {
		abort(c, http.StatusNotFound, apiError{Code: "not_found", Message: "no calculator named " + strconv.Quote(name)})
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, MaxCalculatorBody))
	if err != nil {
		abort(c, http.StatusRequestEntityTooLarge, apiError{Code: "too_large", Message: "the body must be at most 64 KiB"})
		return
	}
	req, err := readRequest(body, calc, h.settings)
	if err != nil {
		abort(c, http.StatusUnprocessableEntity, apiError{Code: "invalid", Message: err.Error()})
		return
	}
	if len(req.errs) > 0 {
		abort(c, http.StatusUnprocessableEntity, apiError{Code: "invalid", Message: "invalid input", Fields: req.errs})
		return
	}
	res, err := calc.Calculate(req.values)
	var ie *stock.InputError
	switch {
	case errors.As(err, &ie):
		abort(c, http.StatusUnprocessableEntity, apiError{Code: "invalid", Message: ie.Field + ": " + ie.Reason.In("en"),
			Fields: map[string]string{ie.Field: ie.Reason.In("en")}})
		return
	case err != nil:
		h.log.Error("calculate", "calculator", name, "err", err)
		abort(c, http.StatusInternalServerError, apiError{Code: "internal", Message: "internal error"})
		return
	}
	if req.phone != "" && h.saver != nil {
		if !h.save(c, req, res.Answer) {
			return
		}
	}
	c.JSON(http.StatusOK, res.Answer)
}

// save stores the calculation, with the inputs it used (defaults
// included), and answers the error itself when it fails.
func (h *CalculatorHandler) save(c *gin.Context, req *request, ans answer) bool {
	name := ans.Calculator
	result, err := json.Marshal(ans)
	if err != nil {
		h.log.Error("encode result", "calculator", name, "err", err)
		abort(c, http.StatusInternalServerError, apiError{Code: "internal", Message: "internal error"})
		return false
	}
	inputs, err := json.Marshal(req.values.Stored())
	if err == nil {
		calc := Calculation{Phone: req.phone, Calculator: name, Vaccine: req.values.Vaccine.ID, Inputs: inputs, Result: result, Status: ans.Status.Code}
		err = h.saver.SaveCalculation(c.Request.Context(), calc)
	}
	switch {
	case errors.Is(err, ErrUnknownWorker):
		abort(c, http.StatusUnprocessableEntity, apiError{Code: "invalid", Message: "phone: no health worker has this number",
			Fields: map[string]string{"phone": "no health worker has this number"}})
		return false
	case err != nil:
		h.log.Error("save calculation", "calculator", name, phone.LogKey, phone.Mask(req.phone), "err", err)
		abort(c, http.StatusInternalServerError, apiError{Code: "internal", Message: "could not store the calculation"})
		return false
	}
	return true
}
