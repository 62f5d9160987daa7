package storetest

import (
	"testing"

	"github.com/chanjo-health/chanjo/store"
)

// USSDSession is a USSD session's end as the gateway reported it.
type USSDSession struct {
	ID     string `db:"session_id"`
	Phone  string `db:"phone"`
	Status string `db:"status"`
	Hops   int    `db:"hops"`
	Input  string `db:"input"`
}

// USSDSessions returns every session end recorded, oldest first.
func USSDSessions(t testing.TB, db *store.DB) []USSDSession {
	t.Helper()
	var out []USSDSession
	if err := db.Select(&out, `SELECT session_id, phone, status, hops, input FROM ussd_sessions ORDER BY ended_at, session_id`); err != nil {
		t.Fatalf("storetest: USSD sessions: %v", err)
	}
	return out
}
