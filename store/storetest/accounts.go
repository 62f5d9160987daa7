package storetest

import (
	"testing"

	"github.com/chanjo-health/chanjo/store"
)

// TokenHashes returns what is stored of every API token: its hash.
func TokenHashes(t testing.TB, db *store.DB) []string {
	t.Helper()
	var out []string
	if err := db.Select(&out, `SELECT token_hash FROM api_tokens ORDER BY id`); err != nil {
		t.Fatalf("storetest: API tokens: %v", err)
	}
	return out
}

// ThrottleKeys returns the keys of the login throttle (user:…, addr:…), in
// key order.
func ThrottleKeys(t testing.TB, db *store.DB) []string {
	t.Helper()
	var out []string
	if err := db.Select(&out, `SELECT key FROM login_throttle ORDER BY key`); err != nil {
		t.Fatalf("storetest: login throttle: %v", err)
	}
	return out
}
