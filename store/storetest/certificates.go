package storetest

import (
	"testing"

	"github.com/chanjo-health/chanjo/store"
)

// CertificateCode returns the code of worker's certificate of topic, or
// fails t when she has none.
func CertificateCode(t testing.TB, db *store.DB, worker int64, topic string) string {
	t.Helper()
	var code string
	if err := db.Get(&code, db.Rebind(`SELECT code FROM certificates WHERE worker_id = ? AND topic = ?`), worker, topic); err != nil {
		t.Fatalf("storetest: certificate of worker %d in %s: %v", worker, topic, err)
	}
	return code
}
