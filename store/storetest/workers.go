package storetest

import (
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
)

// Facility adds the verified facility code (or keeps the one already there)
// and returns its id.
func Facility(t testing.TB, db *store.DB, code, name, subCounty, county string, at time.Time) int64 {
	t.Helper()
	seed(t, db, `INSERT INTO facilities (code, name, sub_county, county, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (code) DO NOTHING`, code, name, subCounty, county, at.UTC(), at.UTC())
	var id int64
	if err := db.Get(&id, db.Rebind(`SELECT id FROM facilities WHERE code = ?`), code); err != nil {
		t.Fatalf("storetest: facility %s: %v", code, err)
	}
	return id
}

// Worker adds a nurse with phone and name at facility, in status, as of
// at, and returns her id.
func Worker(t testing.TB, db *store.DB, phone, name string, facility int64, status string, at time.Time) int64 {
	t.Helper()
	var id int64
	if err := db.Get(&id, db.Rebind(`INSERT INTO workers (phone, name, facility_id, status, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?) RETURNING id`), phone, name, facility, status, at.UTC(), at.UTC()); err != nil {
		t.Fatalf("storetest: worker: %v", err)
	}
	return id
}

// OptedOut marks the workers ids opted out of SMS, as the roster shows
// someone who sent STOP.
func OptedOut(t testing.TB, db *store.DB, ids ...int64) {
	t.Helper()
	for _, id := range ids {
		seed(t, db, `UPDATE workers SET opted_out = TRUE WHERE id = ?`, id)
	}
}

// OptedOutWorkers returns how many workers are marked opted out.
func OptedOutWorkers(t testing.TB, db *store.DB) int {
	t.Helper()
	var n int
	if err := db.Get(&n, `SELECT COUNT(*) FROM workers WHERE opted_out`); err != nil {
		t.Fatalf("storetest: opted-out workers: %v", err)
	}
	return n
}

// LastDialled records that worker id last dialled the USSD code at at.
func LastDialled(t testing.TB, db *store.DB, id int64, at time.Time) {
	t.Helper()
	seed(t, db, `UPDATE workers SET last_dial_at = ? WHERE id = ?`, at.UTC(), id)
}

// Recode gives the facility coded old the code new, as the master list
// renumbers it.
func Recode(t testing.TB, db *store.DB, old, new string) {
	t.Helper()
	seed(t, db, `UPDATE facilities SET code = ? WHERE code = ?`, new, old)
}

// FacilitySubCounty returns the sub-county of the facility coded code.
func FacilitySubCounty(t testing.TB, db *store.DB, code string) string {
	t.Helper()
	var sc string
	if err := db.Get(&sc, db.Rebind(`SELECT sub_county FROM facilities WHERE code = ?`), code); err != nil {
		t.Fatalf("storetest: facility %s: %v", code, err)
	}
	return sc
}

// NameFacility gives the facility coded code the name name, as the master
// list has it.
func NameFacility(t testing.TB, db *store.DB, code, name string) {
	t.Helper()
	seed(t, db, `UPDATE facilities SET name = ? WHERE code = ?`, name, code)
}

// SetStatus puts the worker with phone p in status (a supervisor's
// decision made elsewhere).
func SetStatus(t testing.TB, db *store.DB, p, status string) {
	t.Helper()
	seed(t, db, `UPDATE workers SET status = ? WHERE phone = ?`, status, p)
}

// Rename gives the worker with phone p the name name.
func Rename(t testing.TB, db *store.DB, p, name string) {
	t.Helper()
	seed(t, db, `UPDATE workers SET name = ? WHERE phone = ?`, name, p)
}
