package ussd

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/chanjo-health/chanjo/store/storetest"
)

// TestHopReplyIsWrittenAsItIs checks the answer's bytes and type: a name
// with '%' (the reply is never used as a format) reaches the phone unchanged.
func TestHopReplyIsWrittenAsItIs(t *testing.T) {
	e := newTestEnv(t, false)
	const p = "+254700000021"
	storetest.Rename(t, e.db, p, "Asha%d%s Otieno")
	form := url.Values{"sessionId": {"P"}, "phoneNumber": {p}, "text": {""}}
	req := httptest.NewRequest("POST", "/ussd", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	if got, want := rec.Header().Get("Content-Type"), "text/plain; charset=utf-8"; got != want {
		t.Errorf("POST /ussd Content-Type = %q, want %q", got, want)
	}
	if body := rec.Body.String(); !strings.HasPrefix(body, "CON Chanjo - Hi Asha%d%s\n1 Lessons") {
		t.Errorf("POST /ussd body = %q, want the main menu greeting Asha%%d%%s", body)
	}
}
