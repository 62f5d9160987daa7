package ussd

import (
	"context"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
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
	if code != 200 || body != "END "+notForNumber {
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
	var got struct {
		Phone  string `db:"phone"`
		Status string `db:"status"`
		Hops   int    `db:"hops"`
		Input  string `db:"input"`
	}
	if err := e.db.GetContext(context.Background(), &got, `SELECT phone, status, hops, input FROM ussd_sessions WHERE session_id = 'ATUid_5d3b'`); err != nil {
		t.Fatal(err)
	}
	if got.Phone != "+254720123123" || got.Status != "Incomplete" || got.Hops != 3 || got.Input != "1*2" {
		t.Errorf("ussd_sessions row = %+v", got)
	}
}
