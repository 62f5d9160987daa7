package ussd

import (
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"chanjo/phone"
	"chanjo/store"
)

// Handler serves the gateway's USSD callbacks.
type Handler struct {
	svc   *Service
	store Store
	log   *slog.Logger
}

// NewHandler returns the HTTP handler of svc; st records end-of-session
// notifications.
func NewHandler(svc *Service, st Store) *Handler {
	return &Handler{svc: svc, store: st, log: svc.log}
}

// Register adds POST /ussd and POST /ussd/events to r. The caller puts the
// callback-token check in front.
func (h *Handler) Register(r gin.IRouter) {
	r.POST("/ussd", h.hop)
	r.POST("/ussd/events", h.event)
}

// phoneKey is where the request log finds the number to show masked.
const phoneKey = "phone"

// hop answers every request that has a session and a number with 200 and
// CON/END, whatever its text.
func (h *Handler) hop(c *gin.Context) {
	id, p := c.PostForm("sessionId"), c.PostForm("phoneNumber")
	if id == "" || p == "" {
		c.String(http.StatusBadRequest, "sessionId and phoneNumber are required\n")
		return
	}
	c.Set(phoneKey, p)
	reply := h.svc.Hop(c.Request.Context(), Request{SessionID: id, Phone: p, Text: c.PostForm("text")})
	// The reply is never a format: String without arguments writes it as it
	// is, without copying it into a []byte.
	c.String(http.StatusOK, reply)
}

// event records the gateway's end-of-session notification for reports.
func (h *Handler) event(c *gin.Context) {
	id, raw := c.PostForm("sessionId"), c.PostForm("phoneNumber")
	if id == "" || raw == "" {
		c.String(http.StatusBadRequest, "sessionId and phoneNumber are required\n")
		return
	}
	c.Set(phoneKey, raw)
	p, err := phone.Normalize(raw)
	if err != nil {
		p = raw
	}
	e := store.USSDSessionEnd{
		SessionID: id, Phone: p, Status: c.PostForm("status"), Input: c.PostForm("input"),
		Error: c.PostForm("errorMessage"), EndedAt: eventTime(c.PostForm("date")),
	}
	e.Hops, _ = strconv.Atoi(c.PostForm("hopsCount"))
	e.DurationMS, _ = strconv.ParseInt(c.PostForm("durationInMillis"), 10, 64)
	if err := h.store.RecordUSSDSession(c.Request.Context(), e); err != nil {
		h.log.Error("record session end", "phone", phone.Mask(p), "err", err)
		c.String(http.StatusInternalServerError, "could not record the notification\n")
		return
	}
	c.String(http.StatusOK, "ok\n")
}

// eventTime reads the gateway's "yyyy-MM-dd HH:mm:ss" (UTC), or now.
func eventTime(s string) time.Time {
	t, err := time.Parse(time.DateTime, s)
	if err != nil {
		return time.Now().UTC()
	}
	return t
}
