package ussd

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

func TestHopWithoutSessionOrPhoneIs400(t *testing.T) {
	e := newTestEnv(t, false)
	for _, form := range []url.Values{{"phoneNumber": {"+254700000001"}}, {"sessionId": {"X"}}, {}} {
		req := httptest.NewRequest("POST", "/ussd", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, req)
		if rec.Code != 400 || !strings.Contains(rec.Body.String(), "required") {
			t.Errorf("POST /ussd %v = %d %q, want 400 with a reason", form, rec.Code, rec.Body.String())
		}
	}
	code, body := e.post("S", "not a number", "")
	if code != 200 || body != "END "+e.svc.notForNumber() {
		t.Errorf("POST /ussd with a foreign number = %d %q, want 200 END", code, body)
	}
}

func TestEventsRecordTheSessionEnd(t *testing.T) {
	e := newTestEnv(t, false)
	form := "durationInMillis=5230&phoneNumber=%2B254720123123&errorMessage=&serviceCode=*100%23&lastAppResponse=CON+x&hopsCount=3&cost=0&date=2024-01-01+10%3A00%3A00&sessionId=ATUid_5d3b&input=1*2&networkCode=99999&status=Incomplete"
	for i := 0; i < 2; i++ {
		req := httptest.NewRequest("POST", "/ussd/events", strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			t.Fatalf("POST /ussd/events = %d %q", rec.Code, rec.Body.String())
		}
	}
	var got storetest.USSDSession
	for _, s := range storetest.USSDSessions(t, e.db) {
		if s.ID == "ATUid_5d3b" {
			got = s
		}
	}
	if got.Phone != "+254720123123" || got.Status != "Incomplete" || got.Hops != 3 || got.Input != "1*2" {
		t.Errorf("ussd_sessions row = %+v", got)
	}
}

// TestHopFormReadsLikeParseForm: the hop's own form reader must agree with
// net/http's ParseForm on every form the gateway may send.
func TestHopFormReadsLikeParseForm(t *testing.T) {
	bodies := []string{
		"sessionId=ATUid_1&phoneNumber=%2B254700000001&serviceCode=%2A384%2A123%23&text=1%2A2",
		"text=&sessionId=s&phoneNumber=%2B254700000001",
		"sessionId=s&phoneNumber=%2B254700000001&text=Jane+Wanjiru&text=second",
		"sessionId=s&phoneNumber=%2B254700000001&text=bad%zzescape",
		"sessionId=s&phoneNumber=+254700000001&networkCode=99999",
		"phoneNumber=%2B254700000001",
		"",
	}
	for _, body := range bodies {
		req := httptest.NewRequest(http.MethodPost, "/ussd", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		c, _ := gin.CreateTestContext(httptest.NewRecorder())
		c.Request = req
		got, err := hopForm(c)
		if err != nil {
			t.Fatalf("hopForm(%q): %v", body, err)
		}
		ref := httptest.NewRequest(http.MethodPost, "/ussd", strings.NewReader(body))
		ref.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		ref.ParseForm()
		want := Request{SessionID: ref.PostFormValue("sessionId"), Phone: ref.PostFormValue("phoneNumber"), Text: ref.PostFormValue("text")}
		if got != want {
			t.Errorf("hopForm(%q) = %+v, want %+v (as ParseForm)", body, got, want)
		}
	}
}

// TestNoticeOnALaterPage: a notice (here "Invalid choice.") stands above a
// screen's first page, so an input refused on a "98 More" page goes back to
// the first page to show it, not silently nowhere.
func TestNoticeOnALaterPage(t *testing.T) {
	e := newTestEnv(t, false)
	const p = "+254700000020"
	for _, text := range []string{"", "6", "6*3"} { // Settings, About
		e.post("N", p, text)
	}
	_, more := e.post("N", p, "6*3*98") // About's second page
	_, got := e.post("N", p, "6*3*98*x")
	if !strings.HasPrefix(got, "CON Invalid choice.\n") || got == more {
		t.Errorf("garbage on page 2 = %q, want the notice above the first page", got)
	}
}

// TestCallbacksStoreGarbledText: a NUL byte or invalid UTF-8 in any field of
// a USSD callback answers 200 and is stored escaped on both databases.
func TestCallbacksStoreGarbledText(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newTestEnv(t, false)
		r := gin.New()
		NewHandler(e.svc, db).Register(r)
		form := url.Values{"sessionId": {"ATUid_\x00"}, "phoneNumber": {"+254720123123"}, "status": {"Failed"},
			"input": {"1*\xff\x00"}, "errorMessage": {"bad\xc3("}, "hopsCount": {"2"}, "date": {"2024-01-01 10:00:00"}}
		req := httptest.NewRequest("POST", "/ussd/events", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, req)
		if rec.Code != 200 {
			t.Fatalf("POST /ussd/events with NUL and invalid UTF-8 = %d %q, want 200", rec.Code, rec.Body.String())
		}
		sessions := storetest.USSDSessions(t, db)
		if len(sessions) != 1 {
			t.Fatalf("stored session ends = %+v, want one", sessions)
		}
		got := sessions[0]
		if got.ID != `ATUid_\x00` || got.Input != `1*\xff\x00` {
			t.Errorf("stored session end = %+v, want the bad bytes escaped", got)
		}
		if code, body := e.post("S\x00", "+254700000001", "1\xff"); code != 200 || !strings.HasPrefix(body, "CON ") && !strings.HasPrefix(body, "END ") {
			t.Errorf("hop with NUL and invalid UTF-8 = %d %q, want 200 with a screen", code, body)
		}
	})
}
