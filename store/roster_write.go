package store

import (
	"maps"
	"slices"
	"strings"

	"github.com/jmoiron/sqlx"
)

// apply writes one chunk of entries: facilities, workers, groups.
func (r *rosterRun) apply(entries []RosterEntry) error {
	if err := r.applyFacilities(entries); err != nil {
		return err
	}
	if err := r.applyWorkers(entries); err != nil {
		return err
	}
	if err := r.applyChannels(entries); err != nil {
		return err
	}
	return r.applyGroups(entries)
}

const sqlRosterChannel = `UPDATE workers SET channel = ?, updated_at = ? WHERE channel <> ? AND phone IN (?)`

// applyChannels records the channel of the entries that give one: one
// statement per channel.
func (r *rosterRun) applyChannels(entries []RosterEntry) error {
	by := map[string][]string{}
	for _, e := range entries {
		if e.Channel != "" {
			by[e.Channel] = append(by[e.Channel], e.Phone)
		}
	}
	for _, ch := range slices.Sorted(maps.Keys(by)) {
		q, args, err := sqlx.In(sqlRosterChannel, ch, r.now, ch, by[ch])
		if err != nil {
			return err
		}
		if _, err := r.tx.ExecContext(r.ctx, r.tx.Rebind(q), args...); err != nil {
			return err
		}
	}
	return nil
}

const (
	sqlRosterInsertFacilities = `INSERT INTO facilities (code, name, sub_county, county, verified, created_at, updated_at)`
	sqlRosterUpdateFacility   = `UPDATE facilities SET name = ?, sub_county = ?, county = ?, verified = TRUE, updated_at = ? WHERE id = ?`
)

// applyFacilities creates the new facilities and updates those whose columns
// changed or that were only typed at registration.
func (r *rosterRun) applyFacilities(entries []RosterEntry) error {
	var fresh [][]any
	for _, e := range entries {
		if r.done["f"+e.FacilityCode] {
			continue
		}
		r.done["f"+e.FacilityCode] = true
		f := r.facilities[e.FacilityCode]
		if f == nil {
			r.facilities[e.FacilityCode] = &rosterFacility{Code: e.FacilityCode}
			fresh = append(fresh, []any{e.FacilityCode, e.FacilityName, e.SubCounty, e.County, true, r.now, r.now})
			continue
		}
		if f.Verified && f.Name == e.FacilityName && f.SubCounty == e.SubCounty && f.County == e.County {
			continue
		}
		f.Name, f.SubCounty, f.County, f.Verified = e.FacilityName, e.SubCounty, e.County, true
		if _, err := r.tx.ExecContext(r.ctx, r.tx.Rebind(sqlRosterUpdateFacility), f.Name, f.SubCounty, f.County, r.now, f.ID); err != nil {
			return err
		}
		r.res.FacilitiesUpdated++
	}
	r.res.FacilitiesCreated += len(fresh)
	return r.insert(sqlRosterInsertFacilities, fresh, "RETURNING id, code", func(code string, id int64) {
		r.facilities[code].ID = id
	})
}

const (
	sqlRosterInsertWorkers = `INSERT INTO workers (phone, name, role, language, facility_id, status, created_at, updated_at)`
	sqlRosterInsertNotices = `INSERT INTO privacy_notices (worker_id, due_at)`
	sqlRosterUpdateWorker  = `UPDATE workers SET name = ?, role = ?, language = ?, facility_id = ?, status = ?, updated_at = ? WHERE id = ?`
)

// applyWorkers creates the new workers and updates the changed ones.
func (r *rosterRun) applyWorkers(entries []RosterEntry) error {
	var fresh [][]any
	for _, e := range entries {
		if r.done[e.Phone] {
			continue
		}
		r.done[e.Phone] = true
		fid := r.facilities[e.FacilityCode].ID
		w := r.workers[e.Phone]
		if w == nil {
			r.workers[e.Phone] = &rosterWorker{Phone: e.Phone, Role: e.Role}
			r.created[e.Phone] = true
			fresh = append(fresh, []any{e.Phone, e.Name, e.Role, e.Language, fid, StatusActive, r.now, r.now})
			continue
		}
		status := w.Status
		if status == StatusPending {
			status = StatusActive
		}
		if w.Name == e.Name && w.Role == e.Role && w.Language == e.Language && w.FacilityID != nil && *w.FacilityID == fid && w.Status == status {
			continue
		}
		w.Name, w.Role, w.Language, w.FacilityID, w.Status = e.Name, e.Role, e.Language, &fid, status
		if _, err := r.tx.ExecContext(r.ctx, r.tx.Rebind(sqlRosterUpdateWorker), w.Name, w.Role, w.Language, fid, status, r.now, w.ID); err != nil {
			return err
		}
		r.changed[e.Line] = true
	}
	var notices [][]any
	err := r.insert(sqlRosterInsertWorkers, fresh, "RETURNING id, phone", func(phone string, id int64) {
		r.workers[phone].ID = id
		notices = append(notices, []any{id, r.now})
	})
	if err != nil {
		return err
	}
	// Each new worker is owed the privacy notice; QueuePrivacyNotices words
	// and sends it, in the same transaction or after.
	return r.insert(sqlRosterInsertNotices, notices, "", nil)
}

const (
	sqlRosterInsertGroups  = `INSERT INTO groups (name, created_at)`
	sqlRosterInsertMembers = `INSERT INTO group_members (group_id, worker_id)`
)

// applyGroups creates the new groups and adds the workers to their groups.
func (r *rosterRun) applyGroups(entries []RosterEntry) error {
	var fresh [][]any
	for _, e := range entries {
		for _, g := range e.Groups {
			if r.groups[strings.ToLower(g)] == nil {
				r.groups[strings.ToLower(g)] = &rosterGroup{Name: g}
				fresh = append(fresh, []any{g, r.now})
			}
		}
	}
	r.res.GroupsCreated += len(fresh)
	err := r.insert(sqlRosterInsertGroups, fresh, "RETURNING id, name", func(name string, id int64) {
		r.groups[strings.ToLower(name)].ID = id
	})
	if err != nil {
		return err
	}
	var add [][]any
	for _, e := range entries {
		wid := r.workers[e.Phone].ID
		for _, g := range e.Groups {
			k := [2]int64{r.groups[strings.ToLower(g)].ID, wid}
			if !r.members[k] {
				r.members[k] = true
				r.changed[e.Line] = true
				add = append(add, []any{k[0], k[1]})
			}
		}
	}
	r.res.MembershipsAdded += len(add)
	return r.insert(sqlRosterInsertMembers, add, "", nil)
}

const (
	sqlRosterUnpair     = `DELETE FROM mentor_pairs WHERE mentee_id = ? AND mentor_id <> ?`
	sqlRosterInsertPair = `INSERT INTO mentor_pairs (mentor_id, mentee_id, created_at)`
)

// pair gives each entry with a mentor_phone that mentor, and only her.
func (r *rosterRun) pair(entries []RosterEntry) error {
	var add [][]any
	for _, e := range entries {
		if e.MentorPhone == "" {
			continue
		}
		mentee, mentor := r.workers[e.Phone].ID, r.workers[e.MentorPhone].ID
		cur := r.mentors[mentee]
		if len(cur) == 1 && cur[0] == mentor {
			continue
		}
		if len(cur) > 0 {
			res, err := r.tx.ExecContext(r.ctx, r.tx.Rebind(sqlRosterUnpair), mentee, mentor)
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			r.res.PairsReplaced += int(n)
		}
		if !slices.Contains(cur, mentor) {
			add = append(add, []any{mentor, mentee, r.now})
		}
		r.mentors[mentee] = []int64{mentor}
		r.changed[e.Line] = true
	}
	r.res.PairsCreated += len(add)
	return r.insert(sqlRosterInsertPair, add, "", nil)
}

// insertBatch is how many rows one INSERT carries: 8 columns × 100 rows stays
// far below both dialects' limits on bound parameters.
const insertBatch = 100

// insert runs "head VALUES (…), (…) tail" for rows in batches. With set, tail
// is a "RETURNING id, key" clause and set receives each row's key and id.
func (r *rosterRun) insert(head string, rows [][]any, tail string, set func(key string, id int64)) error {
	for i := 0; i < len(rows); i += insertBatch {
		batch := rows[i:min(i+insertBatch, len(rows))]
		var args []any
		for _, row := range batch {
			args = append(args, row...)
		}
		q := r.tx.Rebind(head + " VALUES " + rowBinds(len(batch), len(batch[0])) + " " + tail)
		if set == nil {
			if _, err := r.tx.ExecContext(r.ctx, q, args...); err != nil {
				return err
			}
			continue
		}
		if err := r.scanKeys(q, args, set); err != nil {
			return err
		}
	}
	return nil
}

func (r *rosterRun) scanKeys(q string, args []any, set func(key string, id int64)) error {
	rows, err := r.tx.QueryContext(r.ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var key string
		if err := rows.Scan(&id, &key); err != nil {
			return err
		}
		set(key, id)
	}
	return rows.Err()
}

// inChunk is how many keys one "IN (?)" query carries.
const inChunk = 500

// selectIn runs query, whose "IN (?)" takes keys, in chunks.
func selectIn[T, K any](r *rosterRun, query string, keys []K) ([]T, error) {
	var all []T
	for i := 0; i < len(keys); i += inChunk {
		q, args, err := sqlx.In(query, keys[i:min(i+inChunk, len(keys))])
		if err != nil {
			return nil, err
		}
		var part []T
		if err := r.tx.SelectContext(r.ctx, &part, r.tx.Rebind(q), args...); err != nil {
			return nil, err
		}
		all = append(all, part...)
	}
	return all, nil
}
