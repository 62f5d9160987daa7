package storetest

import (
	"testing"

	"github.com/chanjo-health/chanjo/store"
)

// Inbound is one incoming SMS as the handler stored it.
type Inbound struct {
	GatewayID string `db:"gateway_id"`
	Phone     string `db:"phone"`
	Body      string `db:"body"`
}

// InboundSMS returns every incoming SMS stored, oldest first.
func InboundSMS(t testing.TB, db *store.DB) []Inbound {
	t.Helper()
	var out []Inbound
	if err := db.Select(&out, `SELECT gateway_id, phone, body FROM inbound_sms ORDER BY id`); err != nil {
		t.Fatalf("storetest: inbound SMS: %v", err)
	}
	return out
}

// OptOutPhones returns the phones that sent STOP (or the gateway reported
// blacklisted), in phone order.
func OptOutPhones(t testing.TB, db *store.DB) []string {
	t.Helper()
	var out []string
	if err := db.Select(&out, `SELECT phone FROM sms_optouts ORDER BY phone`); err != nil {
		t.Fatalf("storetest: opt-outs: %v", err)
	}
	return out
}
