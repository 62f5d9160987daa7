package sms_test

import (
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/sms"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// TestCallbacksStoreGarbledText sends each callback a NUL byte and invalid
// UTF-8, which PostgreSQL refuses in a text column and SQLite cuts at: every
// one must answer 200 and keep the text, with the bad bytes escaped.
func TestCallbacksStoreGarbledText(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := newCallbackRig(t, db)
		form := incoming("in-\x00-1", nurseEN, "BCG\x00 vial \xff\xfe ok?")
		if code, body := c.post("/sms/inbound", form); code != http.StatusOK {
			t.Fatalf("POST /sms/inbound with NUL and invalid UTF-8 = %d %q, want 200", code, body)
		}
		stored := storetest.InboundSMS(t, db)
		if len(stored) != 1 {
			t.Fatalf("stored SMS = %q, want one", stored)
		}
		got := stored[0]
		if want := `BCG\x00 vial \xff\xfe ok?`; got.Body != want || got.GatewayID != `in-\x00-1` {
			t.Errorf("stored SMS = %q %q, want id %q and body %q", got.GatewayID, got.Body, `in-\x00-1`, want)
		}
		var question string
		if qs := storetest.Questions(t, db); len(qs) > 0 {
			question = qs[0].Body
		}
		if !strings.Contains(question, `\xff\xfe`) {
			t.Errorf("question = %q, want the escaped text", question)
		}
		// A retry of the same garbled callback is the same SMS.
		if code, _ := c.post("/sms/inbound", form); code != http.StatusOK {
			t.Errorf("retried callback = %d, want 200", code)
		}
		if n := len(c.replies(t, nurseEN)); n != 1 {
			t.Errorf("replies after a retry = %d, want 1", n)
		}

		c.enqueue(t, nudge("n", nurseEN))
		c.drain(t)
		var id string
		for _, m := range c.fake.Sent() {
			if m.Text == "nudge n" {
				id = m.ID
			}
		}
		report := url.Values{"id": {id}, "status": {"Failed"}, "failureReason": {"Reject\x00ed\xc3("}, "phoneNumber": {nurseEN}}
		if code, body := c.post("/sms/delivery", report); code != http.StatusOK {
			t.Fatalf("POST /sms/delivery = %d %q, want 200", code, body)
		}
		if r := c.row(t, "n"); r.Status != store.OutFailed || r.Reason != `Reject\x00ed\xc3(` {
			t.Errorf("reported message = %s %q, want failed with the escaped reason", r.Status, r.Reason)
		}
		if code, body := c.post("/sms/delivery", url.Values{"id": {"ATX\x00\xff"}, "status": {"Success"}}); code != http.StatusOK {
			t.Errorf("POST /sms/delivery for a garbled unknown id = %d %q, want 200", code, body)
		}
		if code, body := c.post("/sms/optout", url.Values{"senderId": {"CHAN\x00JO\xff"}, "phoneNumber": {unknown}}); code != http.StatusOK {
			t.Errorf("POST /sms/optout with a garbled sender = %d %q, want 200", code, body)
		}
	})
}

// TestCallbackAnswers503WhenTheDatabaseHangs holds a lock the callback's
// transaction needs: the callback must give up at its deadline with a 503,
// which the gateway retries, instead of hanging; once the lock is gone the
// retry is stored.
func TestCallbackAnswers503WhenTheDatabaseHangs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := newCallbackRig(t, db)
		h := sms.NewHandler(db, "*384*123#", nairobi, slog.New(slog.DiscardHandler), nil)
		h.Deadline = 200 * 1e6 // 200 ms: the test need not wait the default
		g := gin.New()
		h.Register(g)
		c.router = g

		release := storetest.HangInboundWrites(t, db)
		code, body := c.post("/sms/inbound", incoming("held-1", nurseEN, "a question"))
		release()
		if code != http.StatusServiceUnavailable {
			t.Fatalf("POST /sms/inbound while the database hangs = %d %q, want 503", code, body)
		}
		if code, body := c.post("/sms/inbound", incoming("held-1", nurseEN, "a question")); code != http.StatusOK {
			t.Fatalf("retry after the database came back = %d %q, want 200", code, body)
		}
		if n := len(c.replies(t, nurseEN)); n != 1 {
			t.Errorf("replies = %d, want 1", n)
		}

		db.Close()
		if code, _ := c.post("/sms/delivery", url.Values{"id": {"ATXid_1"}, "status": {"Success"}}); code != http.StatusServiceUnavailable {
			t.Errorf("POST /sms/delivery with the database closed = %d, want 503", code)
		}
	})
}
