package admin

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/store"
)

// historyLimit is how many broadcasts the history page and its CSV show.
const historyLimit = 200

// broadcastsData is the history page's data.
type broadcastsData struct {
	Rows  []broadcastRow
	Price store.Price
}

// broadcastRow is a broadcast of the history page with when it goes.
type broadcastRow struct {
	store.Broadcast
	GoesOut string
}

// broadcasts is /admin/broadcasts: the history with counts by status.
func (h *Console) broadcasts(c *gin.Context) {
	rows, err := h.db.Broadcasts(c.Request.Context(), scopeOf(c), historyLimit)
	if err != nil {
		h.fail(c, err)
		return
	}
	d := broadcastsData{Rows: make([]broadcastRow, len(rows)), Price: h.Price}
	now := h.db.Now()
	for i, b := range rows {
		d.Rows[i].Broadcast = b
		d.Rows[i].GoesOut, _ = goesOut(b, h.Quiet, now, h.tz)
	}
	h.render(c, http.StatusOK, "broadcasts", d)
}

// broadcastData is the detail page's data.
type broadcastData struct {
	B    store.Broadcast
	Cost string
	// GoesOut says when the waiting SMS go ("held for quiet hours until
	// 07:00"); "" when they go now.
	GoesOut string
	// Refresh is set while SMS wait for a final status: the page reloads
	// itself every so many seconds to show delivery reports as they arrive.
	Refresh int
	// Failed is a page of the failed recipients, from ?after=; NextAfter
	// the after of the next page, 0 on the last.
	Failed    []store.FailedRecipient
	NextAfter int64
}

// FailedCount is how many SMS of the broadcast failed in a way a resend
// may mend.
func (d broadcastData) FailedCount() int {
	return d.B.Counts.Failed + d.B.Counts.Expired + d.B.Counts.NotSent
}

// refreshSeconds is how often a broadcast's page reloads while it is sending.
const refreshSeconds = 15

// broadcast is /admin/broadcasts/:id: one broadcast and its counts.
func (h *Console) broadcast(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	b, err := h.db.Broadcast(c.Request.Context(), scopeOf(c), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	d := broadcastData{B: b, Cost: h.Price.Format(h.Price.Of(b.Counts.Billable(), b.Segments))}
	d.GoesOut, _ = goesOut(b, h.Quiet, h.db.Now(), h.tz)
	if b.Counts.Pending() {
		d.Refresh = refreshSeconds
	}
	if d.FailedCount() > 0 {
		var ie *store.InputError
		after, err := failedAfter(c)
		if errors.As(err, &ie) {
			h.errorPage(c, http.StatusUnprocessableEntity, "The page of failed recipients "+ie.Message+".")
			return
		}
		if d.Failed, err = h.db.FailedRecipients(c.Request.Context(), scopeOf(c), id, after, failedPageSize); err != nil {
			h.fail(c, err)
			return
		}
		if len(d.Failed) == failedPageSize {
			d.NextAfter = d.Failed[len(d.Failed)-1].OutboxID
		}
	}
	h.render(c, http.StatusOK, "broadcast", d)
}

// broadcastsCSV is /admin/broadcasts.csv: the history page as a table.
func (h *Console) broadcastsCSV(c *gin.Context) {
	rows, err := h.db.Broadcasts(c.Request.Context(), scopeOf(c), historyLimit)
	if err != nil {
		h.fail(c, err)
		return
	}
	w := startCSV(c, "broadcasts.csv")
	w.Write([]string{"id", "created_at", "sent_by", "audience", "body", "urgent", "send_at", "segments",
		"queued", "sending", "accepted", "delivered", "failed", "suppressed", "cancelled"})
	itoa := strconv.Itoa
	for _, b := range rows {
		n := b.Counts
		w.Write([]string{strconv.FormatInt(b.ID, 10), b.CreatedAt.UTC().Format(csvTimeLayout), cell(b.UserName),
			cell(b.Audience.String()), cell(b.Body), strconv.FormatBool(b.Urgent), b.SendAt.UTC().Format(csvTimeLayout),
			itoa(b.Segments), itoa(n.Queued), itoa(n.Sending), itoa(n.Accepted), itoa(n.Delivered), itoa(n.Failed), itoa(n.Suppressed), itoa(n.Cancelled)})
	}
	h.endCSV(w, "broadcasts.csv")
}
