package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// TestBroadcastPriceIsWired checks that SMS_SEGMENT_COST reaches the API's
// estimate and the reply to a BC sent by SMS.
func TestBroadcastPriceIsWired(t *testing.T) {
	a, _ := testApp(t, map[string]string{"SMS_SEGMENT_COST": "KES 2.50"})
	ctx, now := context.Background(), a.db.Now()
	f := storetest.Facility(t, a.db, "F-1", "Kibra HC", "Kibra", "", now)
	storetest.Worker(t, a.db, "+254711000001", "Achieng", f, store.StatusActive, now)
	_, err := a.db.CreateUser(ctx, store.NewUser{Name: "wanjiru", Role: store.RoleSupervisor, PasswordHash: "x", Phone: "+254722000001", SubCounties: []string{"Kibra"}})
	if err != nil {
		t.Fatal(err)
	}
	h := a.router()
	rec := post(h, apiToken(t, a), "/api/v1/broadcasts", `{"body": "Meeting at 9.", "confirm_long": false}`)
	if rec.Code != http.StatusCreated || !strings.Contains(rec.Body.String(), `"estimated_cost":2.5`) {
		t.Errorf("POST /api/v1/broadcasts = %d %s, want 201 with estimated_cost 2.5", rec.Code, rec.Body)
	}
	form := url.Values{"id": {"in-1"}, "from": {"+254722000001"}, "to": {"21512"}, "text": {"BC Kibra Meeting at 10."}, "date": {"2025-03-03 07:04:45"}}
	req := httptest.NewRequest(http.MethodPost, "/sms/inbound?token="+a.token, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var reply string
	if replies := storetest.OutWhere(t, a.db, func(o storetest.Out) bool { return o.Kind == store.KindReply }); len(replies) > 0 {
		reply = replies[0].Body
	}
	if rec.Code != http.StatusOK || !strings.Contains(reply, "about KES 2.50") {
		t.Errorf("BC by SMS = %d, reply %q; want 200 and the cost KES 2.50", rec.Code, reply)
	}
}
