package store

import (
	"context"
	"fmt"
)

const (
	sqlScopeFacilities = `SELECT code AS key, sub_county FROM facilities WHERE code IN (?)`
	sqlScopeWorkers    = `SELECT w.phone AS key, COALESCE(f.sub_county, '') AS sub_county
FROM workers w LEFT JOIN facilities f ON f.id = w.facility_id WHERE w.phone IN (?)`
)

// RosterInScope splits roster entries into those a user of the scope may
// apply and a problem for each other one: a row must name one of her
// sub-counties, and must not move a facility, a worker or a mentor of
// another sub-county into hers. An administrator may apply every entry.
func (db *DB) RosterInScope(ctx context.Context, sc Scope, entries []RosterEntry) ([]RosterEntry, []RowProblem, error) {
	if sc.Admin {
		return entries, nil, nil
	}
	codes := make([]string, 0, len(entries))
	var phones []string
	for _, e := range entries {
		codes = append(codes, e.FacilityCode)
		phones = append(phones, e.Phone)
		if e.MentorPhone != "" {
			phones = append(phones, e.MentorPhone)
		}
	}
	var facilityIn, workerIn map[string]string
	err := db.Tx(ctx, func(tx *Tx) error {
		r := &rosterRun{db: db, tx: tx, ctx: ctx}
		var err error
		if facilityIn, err = subCounties(r, sqlScopeFacilities, codes); err != nil {
			return err
		}
		workerIn, err = subCounties(r, sqlScopeWorkers, phones)
		return err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("store: roster scope: %w", err)
	}
	var ok []RosterEntry
	var problems []RowProblem
	for _, e := range entries {
		if reason := outOfScope(sc, e, facilityIn, workerIn); reason != "" {
			problems = append(problems, RowProblem{e.Line, reason})
			continue
		}
		ok = append(ok, e)
	}
	return ok, problems, nil
}

// subCounties maps each key of query's rows to its sub-county.
func subCounties(r *rosterRun, query string, keys []string) (map[string]string, error) {
	rows, err := selectIn[struct {
		Key       string `db:"key"`
		SubCounty string `db:"sub_county"`
	}](r, query, keys)
	m := make(map[string]string, len(rows))
	for _, row := range rows {
		m[row.Key] = row.SubCounty
	}
	return m, err
}

// outOfScope returns why the scope may not apply the entry, or "". A
// facility or worker of no sub-county yet (typed at a registration) is no
// one's, so the roster may place her.
func outOfScope(sc Scope, e RosterEntry, facilityIn, workerIn map[string]string) string {
	theirs := func(m map[string]string, k string) (string, bool) {
		s, known := m[k]
		return s, known && s != "" && !sc.Allows(s)
	}
	if !sc.Allows(e.SubCounty) {
		return fmt.Sprintf("sub-county %s is not yours", e.SubCounty)
	}
	if s, ok := theirs(facilityIn, e.FacilityCode); ok {
		return fmt.Sprintf("facility %s is in sub-county %s, which is not yours", e.FacilityCode, s)
	}
	if s, ok := theirs(workerIn, e.Phone); ok {
		return fmt.Sprintf("phone %s is enrolled in sub-county %s, which is not yours", e.Phone, s)
	}
	if s, ok := theirs(workerIn, e.MentorPhone); ok && e.MentorPhone != "" {
		return fmt.Sprintf("mentor_phone %s is a worker of sub-county %s, which is not yours", e.MentorPhone, s)
	}
	return ""
}
