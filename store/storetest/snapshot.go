package storetest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chanjo-health/chanjo/store"
)

// PeopleSnapshot returns, as text, everything the console's people pages
// may change (groups and their members, pairs, visits and their reminders,
// workers, and the audit log but logins), so that a test can show a
// refused request changed nothing.
func PeopleSnapshot(t testing.TB, db *store.DB) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{
		`SELECT group_id, worker_id FROM group_members ORDER BY group_id, worker_id`,
		`SELECT id, name FROM groups ORDER BY id`,
		`SELECT mentor_id, mentee_id FROM mentor_pairs ORDER BY mentor_id, mentee_id`,
		`SELECT id, mentor_id, mentee_id, scheduled_at, status FROM visits ORDER BY id`,
		`SELECT worker_id, anchor, due_at, status FROM reminders ORDER BY id`,
		`SELECT id, phone, name, role, facility_id, status FROM workers ORDER BY id`,
		`SELECT action FROM audit_log WHERE action <> 'login' ORDER BY id`,
	} {
		rows, err := db.Queryx(q)
		if err != nil {
			t.Fatalf("storetest: snapshot: %v", err)
		}
		for rows.Next() {
			cols, err := rows.SliceScan()
			if err != nil {
				t.Fatalf("storetest: snapshot: %v", err)
			}
			fmt.Fprintln(&b, cols...)
		}
		rows.Close()
	}
	return b.String()
}
