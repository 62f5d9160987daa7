package admin

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/gsm"
	"github.com/chanjo-health/chanjo/store"
)

// broadcastRequest is the body of POST /api/v1/broadcasts.
type broadcastRequest struct {
	Body        string         `json:"body"`
	Audience    store.Audience `json:"audience"`
	Urgent      bool           `json:"urgent"`
	SendAt      *time.Time     `json:"send_at"`
	ConfirmLong bool           `json:"confirm_long"`
}

// broadcastJSON is a broadcast as the API shows it.
type broadcastJSON struct {
	ID            int64                 `json:"id"`
	Body          string                `json:"body"`
	Audience      store.Audience        `json:"audience"`
	Urgent        bool                  `json:"urgent"`
	SendAt        time.Time             `json:"send_at"`
	SentBy        string                `json:"sent_by"`
	Recipients    int                   `json:"recipients"`
	Segments      int                   `json:"segments"`
	Encoding      string                `json:"encoding"`
	EstimatedCost float64               `json:"estimated_cost"`
	Currency      string                `json:"currency"`
	CreatedAt     time.Time             `json:"created_at"`
	Counts        store.BroadcastCounts `json:"counts"`
	// GoesOut says when the queued SMS go: "held for quiet hours until
	// 07:00", "scheduled for 21:30"; "" when they go now or none waits.
	GoesOut   string     `json:"goes_out"`
	HeldUntil *time.Time `json:"held_until,omitempty"`
	// ResendOf is the broadcast whose failed recipients this one resent.
	ResendOf *int64 `json:"resend_of,omitempty"`
}

func (a *API) broadcastJSON(b store.Broadcast) broadcastJSON {
	tz := a.TZ
	if tz == nil {
		tz = time.UTC
	}
	goes, until := goesOut(b, a.Quiet, a.db.Now(), tz)
	var held *time.Time
	if !until.IsZero() {
		held = &until
	}
	return broadcastJSON{GoesOut: goes, HeldUntil: held, ResendOf: b.ResendOf, ID: b.ID, Body: b.Body, Audience: b.Audience, Urgent: b.Urgent, SendAt: b.SendAt.UTC(), SentBy: b.UserName,
		Recipients: b.Counts.Total(), Segments: b.Segments, Encoding: gsm.Segments(store.BroadcastText(b.Body)).Encoding.String(),
		EstimatedCost: a.Price.Of(b.Counts.Billable(), b.Segments), Currency: a.Price.Currency, CreatedAt: b.CreatedAt.UTC(), Counts: b.Counts}
}

// createBroadcast is POST /api/v1/broadcasts: 201 with the broadcast, 422
// with the refused field for bad input (nothing is created). With an
// Idempotency-Key header, a retry with the same key and body within 24 hours
// answers 200 with the first broadcast instead of sending a second one; the
// same key with another body is 422.
func (a *API) createBroadcast(c *gin.Context) {
	req, err := decodeBroadcast(c.Request.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			abort(c, http.StatusRequestEntityTooLarge, apiError{Code: "too_large", Message: "the body must be at most 1 MiB"})
			return
		}
		abort(c, http.StatusUnprocessableEntity, apiError{Code: "invalid", Message: "the body must be a JSON object: " + err.Error()})
		return
	}
	nb := store.NewBroadcast{Audience: req.Audience, Body: req.Body, Urgent: req.Urgent, ConfirmLong: req.ConfirmLong}
	if req.SendAt != nil {
		nb.SendAt = *req.SendAt
	}
	status, ctx := http.StatusCreated, c.Request.Context()
	var b store.Broadcast
	if key := c.GetHeader("Idempotency-Key"); key != "" {
		var created bool
		b, created, err = a.db.CreateBroadcastOnce(ctx, scopeOf(c), userOf(c).ID, key, nb)
		if !created {
			status = http.StatusOK
		}
	} else {
		b, err = a.db.CreateBroadcast(ctx, scopeOf(c), userOf(c).ID, nb)
	}
	if err != nil {
		a.fail(c, err)
		return
	}
	c.JSON(status, a.broadcastJSON(b))
}

func decodeBroadcast(body io.Reader) (broadcastRequest, error) {
	raw, err := io.ReadAll(body)
	if err != nil {
		return broadcastRequest{}, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var req broadcastRequest
	err = dec.Decode(&req)
	return req, err
}

// getBroadcast is GET /api/v1/broadcasts/:id with the counts by status.
func (a *API) getBroadcast(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		a.fail(c, err)
		return
	}
	b, err := a.db.Broadcast(c.Request.Context(), scopeOf(c), id)
	if err != nil {
		a.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, a.broadcastJSON(b))
}

// listBroadcasts is GET /api/v1/broadcasts: the newest first.
func (a *API) listBroadcasts(c *gin.Context) {
	rows, err := a.db.Broadcasts(c.Request.Context(), scopeOf(c), historyLimit)
	if err != nil {
		a.fail(c, err)
		return
	}
	out := make([]broadcastJSON, len(rows))
	for i, b := range rows {
		out[i] = a.broadcastJSON(b)
	}
	c.JSON(http.StatusOK, gin.H{"broadcasts": out})
}
