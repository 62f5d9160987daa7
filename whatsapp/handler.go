// Package whatsapp is Chanjo's WhatsApp channel: the webhook Meta calls at /whatsapp and the inbox
// that applies what it received. The wire format and the client are in whatsapp/cloudapi; a fake
// Graph API for tests and demos is in whatsapp/fakegraph.
//
// Inbound messages and statuses are received, checked, deduplicated and stored; statuses settle the
// outbox rows the Dispatcher sent; STOP/START and peer group commands written on WhatsApp are acted
// on. Answering with the USSD state machine rendered for WhatsApp waits for the USSD engine's
// screens as data (issue 15); see docs/whatsapp.md.
package whatsapp

import (
	"crypto/subtle"
	"errors"
	"io"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/whatsapp/cloudapi"
)

// MaxBody is the largest webhook body read: Meta batches up to 1,000 updates, about 3 MB
// (whatsapp-api.md §9.5). A larger one cannot be Meta's.
const MaxBody = 4 << 20

// Handler answers Meta's webhook: the verification handshake and event POSTs.
type Handler struct {
	appSecret   string
	verifyToken string
	inbox       *Inbox
	db          *store.DB
	log         *slog.Logger
	metrics     *Metrics
}

// NewHandler returns the webhook handler. appSecret (WA_APP_SECRET) checks every POST's signature,
// verifyToken (WA_VERIFY_TOKEN) answers the handshake; inbox is woken after each stored POST and may
// be nil (the rows wait for its next round); m may be nil.
func NewHandler(db *store.DB, appSecret, verifyToken string, inbox *Inbox, log *slog.Logger, m *Metrics) *Handler {
	if m == nil {
		m = NewMetrics(prometheus.NewRegistry())
	}
	return &Handler{appSecret: appSecret, verifyToken: verifyToken, inbox: inbox,
		db: db, log: log.With("component", "whatsapp"), metrics: m}
}

// Register adds GET /whatsapp (verification) and POST /whatsapp (events) to r. They carry no
// callback token: Meta proves itself with the verify token and the body's signature.
func (h *Handler) Register(r gin.IRouter) {
	r.GET("/whatsapp", h.verify)
	r.POST("/whatsapp", h.event)
}

// verify answers Meta's handshake: the challenge echoed as the raw body when the token matches.
func (h *Handler) verify(c *gin.Context) {
	token := c.Query("hub.verify_token")
	if c.Query("hub.mode") != "subscribe" || h.verifyToken == "" ||
		subtle.ConstantTimeCompare([]byte(token), []byte(h.verifyToken)) != 1 {
		h.log.Warn("webhook verification refused: wrong hub.mode or WA_VERIFY_TOKEN")
		c.String(http.StatusForbidden, "verification refused\n")
		return
	}
	c.Data(http.StatusOK, "text/plain; charset=utf-8", []byte(c.Query("hub.challenge")))
}

// event keeps a signed POST in the inbox and answers 200; the inbox applies it afterwards, so Meta
// gets its answer fast whatever the batch holds. A POST that is not Meta's (a bad signature, too
// large) also answers 200, so junk is not retried for 7 days, but is logged and counted: a wrong
// WA_APP_SECRET shows there.
func (h *Handler) event(c *gin.Context) {
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, MaxBody))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		h.refuse(c, resultTooLarge)
		return
	case err != nil:
		c.String(http.StatusBadRequest, "body not readable\n")
		return
	case !cloudapi.ValidSignature(h.appSecret, body, c.GetHeader(cloudapi.SignatureHeader)):
		h.refuse(c, resultBadSignature)
		return
	}
	if err := h.db.RecordWhatsAppWebhook(c.Request.Context(), body); err != nil {
		h.metrics.webhooks.WithLabelValues(resultUnavailable).Inc()
		h.log.Error("webhook not stored; Meta will retry", "err", err)
		c.String(http.StatusServiceUnavailable, "could not store the webhook, please retry\n")
		return
	}
	h.metrics.webhooks.WithLabelValues(resultStored).Inc()
	if h.inbox != nil {
		h.inbox.Wake()
	}
	c.String(http.StatusOK, "ok\n")
}

func (h *Handler) refuse(c *gin.Context, result string) {
	h.metrics.webhooks.WithLabelValues(result).Inc()
	h.log.Warn("webhook ignored", "reason", result, "bytes", c.Request.ContentLength)
	c.String(http.StatusOK, "ignored\n")
}
