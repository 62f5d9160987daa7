package admin

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/store"
)

// problem is how the console and the API answer an error people can act
// on: the status, the API's error code, the words, and the form field at
// fault ("" for none).
type problem struct {
	status        int
	code, message string
	field         string
}

// problems maps the store's errors to what both surfaces answer, the most
// specific first: the one table of error kinds to HTTP statuses. An error
// not in it is the service's fault: 500, logged, never shown.
var problems = []struct {
	err error
	problem
}{
	{store.ErrNotFound, problem{http.StatusNotFound, "not_found", "not found", ""}},
	{store.ErrVisitClosed, problem{http.StatusConflict, "conflict", "this visit is already done or cancelled", ""}},
	{store.ErrInvalidVisit, problem{http.StatusUnprocessableEntity, "invalid", "the visit must be today or later, by a mentor to another nurse", ""}},
	{store.ErrAlreadyAnswered, problem{http.StatusConflict, "already_answered", "the question was already answered; nothing was sent", ""}},
	{store.ErrQuestionClosed, problem{http.StatusConflict, "closed", "the question is closed; nothing was sent", ""}},
	{store.ErrNothingToCancel, problem{http.StatusConflict, "nothing_to_cancel", "every SMS of this broadcast is already sent or being sent", ""}},
	{store.ErrOptOutKept, problem{http.StatusUnprocessableEntity, "invalid", "only the nurse can undo her opt-out, by sending START", "opted_out"}},
	{store.ErrInvalidRelay, problem{http.StatusUnprocessableEntity, "invalid", "choose on, off or by size", "relay"}},
	{store.ErrInvalid, problem{http.StatusUnprocessableEntity, "invalid", "invalid input", ""}},
}

// problemOf returns what to answer for err, or false for an error that is
// not the user's to fix. A refused value (*store.InputError) answers 422
// with its own words, naming its field.
func problemOf(err error) (problem, bool) {
	var ie *store.InputError
	if errors.As(err, &ie) {
		return problem{http.StatusUnprocessableEntity, "invalid", ie.Message, ie.Field}, true
	}
	for _, p := range problems {
		if errors.Is(err, p.err) {
			return p.problem, true
		}
	}
	return problem{}, false
}

// sentence returns msg as a sentence for a page: capitalised, with a full
// stop.
func sentence(msg string) string {
	if msg == "" {
		return msg
	}
	msg = strings.ToUpper(msg[:1]) + msg[1:]
	if !strings.HasSuffix(msg, ".") && !strings.HasSuffix(msg, "?") && !strings.HasSuffix(msg, "!") {
		msg += "."
	}
	return msg
}

// fail answers an error on a console page: what problemOf finds (404 for
// what is missing or outside the scope, the same page, so existence does
// not leak), else 500, logged.
func (h *Console) fail(c *gin.Context, err error) {
	if p, ok := problemOf(err); ok {
		h.errorPage(c, p.status, sentence(p.message))
		return
	}
	h.log.Error("request failed", "route", c.FullPath(), "err", err)
	h.errorPage(c, http.StatusInternalServerError, "Something went wrong; it has been logged. Please try again.")
}

// fail answers an error in the API's shape: what problemOf finds, the
// field at fault named, else 500, logged, never shown.
func (a *API) fail(c *gin.Context, err error) {
	p, ok := problemOf(err)
	if !ok {
		a.log.Error("request failed", "route", c.FullPath(), "err", err)
		abort(c, http.StatusInternalServerError, apiError{Code: "internal", Message: "internal error"})
		return
	}
	e := apiError{Code: p.code, Message: p.message}
	if p.field != "" {
		e.Fields = map[string]string{p.field: p.message}
	}
	abort(c, p.status, e)
}

// pathID reads the :id of the path; one that is not a number is
// store.ErrNotFound, as an unknown one is.
func pathID(c *gin.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return 0, store.ErrNotFound
	}
	return id, nil
}

// workerOf loads the worker of the :id in the path inside the request's
// scope, for the console and the API alike.
func workerOf(c *gin.Context, db *store.DB) (store.WorkerRow, error) {
	id, err := pathID(c)
	if err != nil {
		return store.WorkerRow{}, err
	}
	return db.WorkerInScope(c.Request.Context(), scopeOf(c), id)
}
