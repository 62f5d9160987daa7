package admin

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/store"
)

// nothingToCancel is what a cancel with nothing left to cancel answers.
const nothingToCancel = "Nothing was cancelled: every SMS of this broadcast is already sent or being sent."

// cancelBroadcast is POST /admin/broadcasts/:id/cancel: the SMS no
// dispatcher has claimed yet are cancelled; the page says how many.
func (h *Console) cancelBroadcast(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	n, err := h.db.CancelBroadcast(c.Request.Context(), scopeOf(c), userOf(c).ID, id)
	path := fmt.Sprintf("/admin/broadcasts/%d", id)
	switch {
	case errors.Is(err, store.ErrNothingToCancel):
		h.redirect(c, path, nothingToCancel)
	case err != nil:
		h.fail(c, err)
	default:
		h.redirect(c, path, fmt.Sprintf("Cancelled: %d SMS will not be sent.", n))
	}
}

// cancelBroadcast is POST /api/v1/broadcasts/:id/cancel: 200 with the
// broadcast and "cancelled", the number of SMS cancelled; 409 when every SMS
// is already sent or being sent; 404 outside the scope.
func (a *API) cancelBroadcast(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		a.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	n, err := a.db.CancelBroadcast(ctx, scopeOf(c), userOf(c).ID, id)
	if err != nil {
		a.fail(c, err)
		return
	}
	b, err := a.db.Broadcast(ctx, scopeOf(c), id)
	if err != nil {
		a.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"cancelled": n, "broadcast": a.broadcastJSON(b)})
}
