package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/chanjo-health/chanjo/store"
)

// TestBroadcastPriceIsWired checks that SMS_SEGMENT_COST reaches the API's
// estimate and the reply to a BC sent by SMS.
func TestBroadcastPriceIsWired(t *testing.T) {
	a, _ := testApp(t, map[string]string{"SMS_SEGMENT_COST": "KES 2.50"})
	ctx, now := context.Background(), a.db.Now()
	_, err := a.db.ExecContext(ctx, a.db.Rebind(`INSERT INTO facilities (code, name, sub_county, created_at, updated_at) VALUES ('F-1', 'Kibra HC', 'Kibra', ?, ?)`), now, now)
	if err == nil {
		_, err = a.db.ExecContext(ctx, a.db.Rebind(`INSERT INTO workers (phone, name, facility_id, status, created_at, updated_at) VALUES ('+254711000001', 'Achieng', 1, 'active', ?, ?)`), now, now)
	}
	if err == nil {
		_, err = a.db.CreateUser(ctx, store.NewUser{Name: "wanjiru", Role: store.RoleSupervisor, PasswordHash: "x", Phone: "+254722000001", SubCounties: []string{"Kibra"}})
	}
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
	a.db.Get(&reply, `SELECT body FROM outbox WHERE kind = 'reply'`)
	if rec.Code != http.StatusOK || !strings.Contains(reply, "about KES 2.50") {
		t.Errorf("BC by SMS = %d, reply %q; want 200 and the cost KES 2.50", rec.Code, reply)
	}
}
