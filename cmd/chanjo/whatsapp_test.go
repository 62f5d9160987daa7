package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chanjo-health/chanjo/whatsapp/cloudapi"
)

var waVars = map[string]string{
	"WA_PHONE_NUMBER_ID": "PNID", "WA_TOKEN": "token", "WA_APP_SECRET": "app-secret", "WA_VERIFY_TOKEN": "verify-me",
}

func TestWhatsAppConfig(t *testing.T) {
	c, err := loadConfig(envOf(nil))
	if err != nil || c.WhatsApp.On() || c.WhatsApp.BaseURL != cloudapi.DefaultBaseURL || c.WhatsApp.APIVersion != cloudapi.DefaultVersion {
		t.Errorf("no WA_* = %+v, %v; want off with Meta's host and %s", c.WhatsApp, err, cloudapi.DefaultVersion)
	}
	tests := []struct {
		name, value, wantIn string
	}{
		{"WA_TOKEN", "", "WA_TOKEN"},
		{"WA_VERIFY_TOKEN", "", "WA_VERIFY_TOKEN"},
		{"WA_API_VERSION", "latest", "WA_API_VERSION"},
		{"WA_BASE_URL", "graph.facebook.com", "WA_BASE_URL"},
	}
	for _, tt := range tests {
		vars := map[string]string{}
		for k, v := range waVars {
			vars[k] = v
		}
		vars[tt.name] = tt.value
		if _, err := loadConfig(envOf(vars)); err == nil || !strings.Contains(err.Error(), tt.wantIn) {
			t.Errorf("%s=%q: loadConfig = %v, want an error naming %s", tt.name, tt.value, err, tt.wantIn)
		}
	}
}

func TestWhatsAppWebhookMounted(t *testing.T) {
	off, _ := testApp(t, nil)
	if rec := do(off.router(), "GET", "/whatsapp?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=42"); rec.Code != http.StatusNotFound {
		t.Errorf("GET /whatsapp with WhatsApp off = %d, want 404", rec.Code)
	}

	a, _ := testApp(t, waVars)
	h := a.router()
	if rec := do(h, "GET", "/whatsapp?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=42"); rec.Code != 200 || rec.Body.String() != "42" {
		t.Errorf("handshake = %d %q, want 200 42", rec.Code, rec.Body)
	}
	body := `{"object":"whatsapp_business_account","entry":[]}`
	req := httptest.NewRequest("POST", "/whatsapp", strings.NewReader(body))
	req.Header.Set(cloudapi.SignatureHeader, cloudapi.Sign("app-secret", []byte(body)))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	n, err := a.db.CountWhatsAppWebhooks(context.Background())
	if rec.Code != 200 || err != nil || n != 1 {
		t.Errorf("signed POST = %d, %d stored (%v); want 200 and 1", rec.Code, n, err)
	}
	if m := do(h, "GET", "/metrics").Body.String(); !strings.Contains(m, `chanjo_whatsapp_webhooks_total{result="stored"} 1`) {
		t.Errorf("/metrics lacks the stored webhook")
	}
}

// GROUPS_ENABLED: off unless 1; 1 needs the WhatsApp channel; anything else is refused. On, the
// inbox follows the circles' groups; off, none of it runs.
func TestGroupsEnabledConfig(t *testing.T) {
	if _, err := loadConfig(envOf(map[string]string{"GROUPS_ENABLED": "1"})); err == nil || !strings.Contains(err.Error(), "GROUPS_ENABLED") {
		t.Errorf("GROUPS_ENABLED=1 without WA_* = %v, want an error naming it", err)
	}
	vars := map[string]string{"GROUPS_ENABLED": "yes"}
	for k, v := range waVars {
		vars[k] = v
	}
	if _, err := loadConfig(envOf(vars)); err == nil || !strings.Contains(err.Error(), "GROUPS_ENABLED") {
		t.Errorf("GROUPS_ENABLED=yes = %v, want an error naming it", err)
	}
	off, _ := testApp(t, waVars)
	if off.circles != nil || off.whatsappInbox.Circles != nil {
		t.Error("circles run with GROUPS_ENABLED unset")
	}
	vars["GROUPS_ENABLED"] = "1"
	on, _ := testApp(t, vars)
	if on.circles == nil || on.whatsappInbox.Circles != on.circles {
		t.Error("GROUPS_ENABLED=1: the inbox does not follow the circles' groups")
	}
}
