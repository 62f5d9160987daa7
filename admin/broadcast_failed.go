package admin

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/store"
)

// failedPageSize is how many failed recipients a page lists.
const failedPageSize = 50

// maxFailedLimit bounds the API's limit of failed recipients.
const maxFailedLimit = 500

// failedAfter reads the ?after= of a page of failed recipients: the last
// outbox id of the page before, 0 for the first.
func failedAfter(c *gin.Context) (int64, error) {
	v, ok := c.GetQuery("after")
	if !ok {
		return 0, nil
	}
	after, err := strconv.ParseInt(v, 10, 64)
	if err != nil || after < 0 {
		return 0, &store.InputError{Field: "after", Message: "must be the id of the last failed SMS of the page before"}
	}
	return after, nil
}

// resendBroadcast is POST /admin/broadcasts/:id/resend: the failed
// recipients get the broadcast again, once, as a new broadcast.
func (h *Console) resendBroadcast(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	b, created, err := h.db.ResendFailed(c.Request.Context(), scopeOf(c), userOf(c).ID, id)
	switch {
	case errors.Is(err, store.ErrNoRecipients):
		h.redirect(c, fmt.Sprintf("/admin/broadcasts/%d", id), "Nothing was resent: none of the failed recipients can get SMS now (opted out or inactive).")
	case err != nil:
		h.fail(c, err)
	case !created:
		h.redirect(c, fmt.Sprintf("/admin/broadcasts/%d", b.ID), "This broadcast was already resent: here is the resend.")
	default:
		h.redirect(c, fmt.Sprintf("/admin/broadcasts/%d", b.ID), fmt.Sprintf("Resent to %d failed recipients.", b.Recipients))
	}
}

// failedBroadcast is GET /api/v1/broadcasts/:id/failed?after=&limit=: a
// page of the broadcast's SMS that failed, expired or were never sent,
// with the reasons; "next_after" is the after of the next page, absent on
// the last.
func (a *API) failedBroadcast(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		a.fail(c, err)
		return
	}
	after, err := failedAfter(c)
	limit := failedPageSize
	if err == nil {
		limit, err = queryInt(c, "limit", failedPageSize, 1, maxFailedLimit)
	}
	if err != nil {
		a.fail(c, err)
		return
	}
	rows, err := a.db.FailedRecipients(c.Request.Context(), scopeOf(c), id, after, limit)
	if err != nil {
		a.fail(c, err)
		return
	}
	out := gin.H{"failed": rows}
	if len(rows) == limit {
		out["next_after"] = rows[len(rows)-1].OutboxID
	}
	if rows == nil {
		out["failed"] = []store.FailedRecipient{}
	}
	c.JSON(http.StatusOK, out)
}

// resendBroadcast is POST /api/v1/broadcasts/:id/resend: 201 with the new
// broadcast to the failed recipients; 200 with it again on a retry (one
// resend per broadcast); 422 when none of them can get SMS.
func (a *API) resendBroadcast(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		a.fail(c, err)
		return
	}
	b, created, err := a.db.ResendFailed(c.Request.Context(), scopeOf(c), userOf(c).ID, id)
	if err != nil {
		a.fail(c, err)
		return
	}
	status := http.StatusCreated
	if !created {
		status = http.StatusOK
	}
	c.JSON(status, a.broadcastJSON(b))
}

// queryInt reads the query parameter name as a whole number in [lo, hi],
// or def when it is absent; anything else ("1;", "", "x") is an
// *store.InputError naming it.
func queryInt(c *gin.Context, name string, def, lo, hi int) (int, error) {
	v, ok := c.GetQuery(name)
	if !ok {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, &store.InputError{Field: name, Message: fmt.Sprintf("must be a whole number from %d to %d", lo, hi)}
	}
	return n, nil
}
