package ussd

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/phone"
	"github.com/chanjo-health/chanjo/storable"
	"github.com/chanjo-health/chanjo/store"
)

// Handler serves the gateway's USSD callbacks.
type Handler struct {
	svc   *Service
	store endStore
	log   *slog.Logger
}

// endStore is what the end-of-session callback needs of the database.
type endStore interface {
	RecordUSSDSession(ctx context.Context, e store.USSDSessionEnd) error
}

// NewHandler returns the HTTP handler of svc; st records end-of-session
// notifications.
func NewHandler(svc *Service, st endStore) *Handler {
	return &Handler{svc: svc, store: st, log: svc.log}
}

// Register adds POST /ussd and POST /ussd/events to r. The caller puts the
// callback-token check in front.
func (h *Handler) Register(r gin.IRouter) {
	r.POST("/ussd", h.hop)
	r.POST("/ussd/events", h.event)
}

// hop answers every request that has a session and a number with 200 and
// CON/END, whatever its text.
func (h *Handler) hop(c *gin.Context) {
	r, err := hopForm(c)
	if err != nil {
		c.String(http.StatusBadRequest, err.Error()+"\n")
		return
	}
	// What a phone types may hold a NUL or invalid UTF-8, which neither
	// database stores as it is: escaped here, once, before anything keeps it.
	r.SessionID, r.Phone, r.Text = storable.Text(r.SessionID), storable.Text(r.Phone), storable.Text(r.Text)
	if r.SessionID == "" || r.Phone == "" {
		c.String(http.StatusBadRequest, "sessionId and phoneNumber are required\n")
		return
	}
	ctx := c.Request.Context()
	if h.log.Enabled(ctx, slog.LevelDebug) {
		// Only the request log at debug level shows the number of a hop
		// (a hop never answers 5xx): setting it costs gin a map a request.
		c.Set(phone.LogKey, r.Phone)
	}
	reply := h.svc.Hop(ctx, r)
	// The reply is never a format: String without arguments writes it as it
	// is, without copying it into a []byte.
	c.String(http.StatusOK, reply)
}

// maxHopBody bounds the form of a hop: the gateway's fields are short, and
// a nurse types at most a few hundred characters.
const maxHopBody = 64 << 10

// hopForm reads the fields of a hop. The gateway posts a URL-encoded form;
// reading just the three fields a hop needs, from the body alone, spares
// the hot path the copies of a full ParseForm. Any other body goes through
// gin's form parsing.
func hopForm(c *gin.Context) (Request, error) {
	if ct := c.ContentType(); ct != "" && ct != "application/x-www-form-urlencoded" {
		return Request{SessionID: c.PostForm("sessionId"), Phone: c.PostForm("phoneNumber"), Text: c.PostForm("text")}, nil
	}
	buf := bodies.Get().(*bytes.Buffer)
	defer bodies.Put(buf)
	buf.Reset()
	if _, err := buf.ReadFrom(http.MaxBytesReader(c.Writer, c.Request.Body, maxHopBody)); err != nil {
		return Request{}, fmt.Errorf("unreadable form: %w", err)
	}
	var r Request
	var seen [3]bool
	for rest := buf.String(); rest != ""; {
		var pair string
		pair, rest, _ = strings.Cut(rest, "&")
		key, value, _ := strings.Cut(pair, "=")
		i := slices.Index(hopFields[:], key)
		if i < 0 || seen[i] {
			continue // as in ParseForm, the first value counts
		}
		v, err := url.QueryUnescape(value)
		if err != nil {
			continue // as in ParseForm, a pair that does not decode is left out
		}
		seen[i] = true
		switch i {
		case 0:
			r.SessionID = v
		case 1:
			r.Phone = v
		default:
			r.Text = v
		}
	}
	return r, nil
}

// bodies are the buffers hopForm reads bodies into; the fields are copied
// out of them.
var bodies = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// hopFields are the form fields a hop reads, in the order hopForm fills them.
var hopFields = [3]string{"sessionId", "phoneNumber", "text"}

// event records the gateway's end-of-session notification for reports.
func (h *Handler) event(c *gin.Context) {
	if err := c.Request.ParseForm(); err != nil {
		c.String(http.StatusBadRequest, "unreadable form\n")
		return
	}
	storable.Form(c.Request.PostForm)
	id, raw := c.PostForm("sessionId"), c.PostForm("phoneNumber")
	if id == "" || raw == "" {
		c.String(http.StatusBadRequest, "sessionId and phoneNumber are required\n")
		return
	}
	c.Set(phone.LogKey, raw)
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
	// A database that does not answer gets the gateway a 503 in time to
	// retry, not a request that hangs.
	ctx, cancel := context.WithTimeout(c.Request.Context(), eventDeadline)
	defer cancel()
	if err := h.store.RecordUSSDSession(ctx, e); err != nil {
		h.log.Error("record session end", phone.LogKey, phone.Mask(p), "err", err)
		c.String(http.StatusServiceUnavailable, "could not record the notification, please retry\n")
		return
	}
	c.String(http.StatusOK, "ok\n")
}

// eventDeadline bounds the recording of a session's end notification.
const eventDeadline = 5 * time.Second

// eventTime reads the gateway's "yyyy-MM-dd HH:mm:ss" (UTC), or now.
func eventTime(s string) time.Time {
	t, err := time.Parse(time.DateTime, s)
	if err != nil {
		return time.Now().UTC()
	}
	return t
}
