package storetest

import (
	"testing"

	"github.com/chanjo-health/chanjo/store"
)

// Audits returns how many audit entries record action.
func Audits(t testing.TB, db *store.DB, action string) int {
	t.Helper()
	var n int
	if err := db.Get(&n, db.Rebind(`SELECT COUNT(*) FROM audit_log WHERE action = ?`), action); err != nil {
		t.Fatalf("storetest: audits: %v", err)
	}
	return n
}
