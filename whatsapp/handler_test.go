package whatsapp

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
	"github.com/chanjo-health/chanjo/whatsapp/cloudapi"
)

const (
	testSecret = "app-secret"
	testVerify = "verify-me"
)

// webhookHarness is the handler mounted on a gin router as serve mounts it, with its inbox.
type webhookHarness struct {
	t       testing.TB
	db      *store.DB
	router  *gin.Engine
	inbox   *Inbox
	metrics *Metrics
}

func newWebhookHarness(t testing.TB, db *store.DB) *webhookHarness {
	gin.SetMode(gin.TestMode)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	m := NewMetrics(prometheus.NewRegistry())
	inbox := NewInbox(db, log, m)
	r := gin.New()
	NewHandler(db, testSecret, testVerify, inbox, log, m).Register(r)
	return &webhookHarness{t: t, db: db, router: r, inbox: inbox, metrics: m}
}

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// post sends body signed with secret and applies what was stored, as the inbox does after the 200.
func (h *webhookHarness) post(body []byte, secret string) *httptest.ResponseRecorder {
	h.t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/whatsapp", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(cloudapi.SignatureHeader, cloudapi.Sign(secret, body))
	w := httptest.NewRecorder()
	h.router.ServeHTTP(w, req)
	if err := h.inbox.Drain(context.Background()); err != nil {
		h.t.Fatalf("Drain: %v", err)
	}
	return w
}

func (h *webhookHarness) stored() int {
	h.t.Helper()
	n, err := h.db.CountWhatsAppWebhooks(context.Background())
	if err != nil {
		h.t.Fatal(err)
	}
	return n
}

func TestVerificationHandshake(t *testing.T) {
	h := newWebhookHarness(t, storetest.SQLite(t))
	tests := []struct {
		query string
		code  int
		body  string
	}{
		{"hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444", 200, "1158201444"},
		{"hub.mode=subscribe&hub.verify_token=verify-mE&hub.challenge=1158201444", 403, "verification refused\n"},
		{"hub.mode=unsubscribe&hub.verify_token=verify-me&hub.challenge=1", 403, "verification refused\n"},
		{"hub.mode=subscribe&hub.challenge=1", 403, "verification refused\n"},
	}
	for _, tt := range tests {
		w := httptest.NewRecorder()
		h.router.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/whatsapp?"+tt.query, nil))
		if w.Code != tt.code || w.Body.String() != tt.body {
			t.Errorf("GET /whatsapp?%s = %d %q, want %d %q", tt.query, w.Code, w.Body, tt.code, tt.body)
		}
	}
}

func TestWebhookEvents(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		h := newWebhookHarness(t, db)

		t.Run("wrong signature: 200, nothing stored, counted", func(t *testing.T) {
			w := h.post(fixture(t, "text.json"), "not-the-secret")
			if w.Code != 200 || h.stored() != 0 {
				t.Errorf("POST with a wrong signature = %d, %d webhooks stored; want 200 and none", w.Code, h.stored())
			}
			if n := count(h.metrics.webhooks.WithLabelValues(resultBadSignature)); n != 1 {
				t.Errorf("bad signatures counted = %v, want 1", n)
			}
		})

		t.Run("too large: 200, nothing stored, counted", func(t *testing.T) {
			big := append(fixture(t, "text.json"), bytes.Repeat([]byte(" "), MaxBody)...)
			if w := h.post(big, testSecret); w.Code != 200 || h.stored() != 0 {
				t.Errorf("POST of %d bytes = %d, %d stored; want 200 and none", len(big), w.Code, h.stored())
			}
			if n := count(h.metrics.webhooks.WithLabelValues(resultTooLarge)); n != 1 {
				t.Errorf("too large counted = %v, want 1", n)
			}
		})

		t.Run("duplicate deliveries: each message stored once", func(t *testing.T) {
			for _, f := range []string{"text.json", "text.json", "list_reply.json"} {
				if w := h.post(fixture(t, f), testSecret); w.Code != 200 {
					t.Fatalf("POST %s = %d %q, want 200", f, w.Code, w.Body)
				}
			}
			msgs, err := db.WhatsAppMessagesFrom(ctx, "+254712345678")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range msgs {
				got = append(got, m.WAMID+" "+m.Kind+" "+m.ReplyID+" "+m.Body)
			}
			want := `wamid.IN1 text  Habari\x00|wamid.IN2 interactive 1 Lessons`
			if strings.Join(got, "|") != want {
				t.Errorf("stored messages = %q, want %q", strings.Join(got, "|"), want)
			}
			if n := count(h.metrics.messages); n != 2 {
				t.Errorf("messages counted = %v, want 2", n)
			}
		})

		t.Run("out-of-order statuses: the final one kept", func(t *testing.T) {
			for _, f := range []string{"status_read.json", "status_sent.json", "status_delivered.json", "status_read.json"} {
				h.post(fixture(t, f), testSecret)
			}
			st, ok, err := db.WhatsAppStatusOf(ctx, "wamid.OUT1")
			if err != nil || !ok || st.Status != "read" || st.Opaque != "outbox:7" {
				t.Errorf("status after read, sent, delivered, read = %+v, %v, %v; want read for outbox:7", st, ok, err)
			}
		})
	})
}

// count reads a counter's value.
func count(c prometheus.Counter) float64 {
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		return -1
	}
	return m.GetCounter().GetValue()
}
