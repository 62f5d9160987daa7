package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// RosterEntry is one checked row of a roster file. Its fields are those of
// roster.Row, in the same order, so a roster.Row converts to it directly.
type RosterEntry struct {
	// Line is the row's line in the file, for problems.
	Line                                          int
	Name, Phone, Role, Language                   string
	FacilityCode, FacilityName, SubCounty, County string
	// MentorPhone pairs the worker with this mentor; empty leaves her pairs.
	MentorPhone string
	// Groups the worker joins (matched to existing groups without regard to case).
	Groups []string
	// Channel is the channel she chose (SetWorkerChannel); empty leaves it.
	// WhatsApp takes effect once she has opted in there.
	Channel string
}

// RowProblem is an entry the store refused, with its line and reason.
type RowProblem struct {
	Line   int
	Reason string
}

// RosterResult counts what an import changed. Rows are counted by their
// worker: created, updated (the worker's columns, her mentor or a new group)
// or unchanged.
type RosterResult struct {
	Created, Updated, Unchanged          int
	FacilitiesCreated, FacilitiesUpdated int
	GroupsCreated, MembershipsAdded      int
	// PairsCreated counts new mentor pairs; PairsReplaced the pairs removed
	// because the roster gives the mentee another mentor.
	PairsCreated, PairsReplaced int
}

// Applied is the number of rows applied.
func (r RosterResult) Applied() int { return r.Created + r.Updated + r.Unchanged }

// rosterChunk is how many entries are applied between progress reports.
const rosterChunk = 500

// ApplyRoster enrols the entries in one transaction: facilities are created
// or updated from their columns (and become verified), workers are created
// or updated by phone, paired with their mentor and added to their groups.
//
// Roster workers are enrolled by the programme, so a new worker is active and
// a pending (self-registered) one becomes active; an inactive worker stays
// inactive, so re-importing an old file does not undo a supervisor's
// decision. A nurse has one mentor: a mentor_phone replaces her other pairs.
// Groups are only joined, never left.
//
// An entry whose mentor is neither a mentor among the entries nor an enrolled
// mentor is returned as a problem and nothing of it is applied; the others
// are. Nothing is written that would not change, so applying the same
// entries twice changes nothing, not even updated_at. progress, if not nil,
// is called with the number of entries applied so far and the number that
// will be (those without problems).
func (db *DB) ApplyRoster(ctx context.Context, entries []RosterEntry, progress func(done, total int)) (RosterResult, []RowProblem, error) {
	entries, problems := validEntries(entries)
	var res RosterResult
	err := db.Tx(ctx, func(tx *Tx) error {
		r := &rosterRun{db: db, tx: tx, ctx: ctx, now: db.Now()}
		if err := r.loadWorkers(entries); err != nil {
			return err
		}
		ok, more := r.checkMentors(entries)
		problems = append(problems, more...)
		if err := r.load(ok); err != nil {
			return err
		}
		for i := 0; i < len(ok); i += rosterChunk {
			if err := r.apply(ok[i:min(i+rosterChunk, len(ok))]); err != nil {
				return err
			}
			if progress != nil {
				progress(min(i+rosterChunk, len(ok)), len(ok))
			}
		}
		if err := r.pair(ok); err != nil {
			return err
		}
		res = r.result(ok)
		return nil
	})
	if err != nil {
		return RosterResult{}, nil, fmt.Errorf("store: apply roster: %w", err)
	}
	return res, problems, nil
}

// validEntries refuses what the schema would refuse, so one bad entry cannot
// fail the whole transaction.
func validEntries(entries []RosterEntry) ([]RosterEntry, []RowProblem) {
	var ok []RosterEntry
	var problems []RowProblem
	for _, e := range entries {
		switch {
		case e.Phone == "" || e.Name == "" || e.FacilityCode == "":
			problems = append(problems, RowProblem{e.Line, "phone, name and facility_code are required"})
		case e.Role != RoleNurse && e.Role != RoleMentor:
			problems = append(problems, RowProblem{e.Line, fmt.Sprintf("role %q is not nurse or mentor", e.Role)})
		case !languageCode(e.Language):
			problems = append(problems, RowProblem{e.Line, fmt.Sprintf("language %q is not a language code", e.Language)})
		case e.Channel != "" && e.Channel != ChannelSMS && e.Channel != ChannelWhatsApp:
			problems = append(problems, RowProblem{e.Line, fmt.Sprintf("channel %q is not sms or whatsapp", e.Channel)})
		default:
			ok = append(ok, e)
		}
	}
	return ok, problems
}

// checkMentors refuses entries whose mentor is unknown or not a mentor. The
// entries' own roles count first (the file may promote a nurse), then the
// enrolled workers'. Refusing a mentor refuses her mentees, so it repeats
// until nothing more is refused.
func (r *rosterRun) checkMentors(entries []RosterEntry) ([]RosterEntry, []RowProblem) {
	var problems []RowProblem
	for changed := true; changed; {
		changed = false
		role := make(map[string]string, len(entries))
		for _, e := range entries {
			role[e.Phone] = e.Role
		}
		next := entries[:0:0]
		for _, e := range entries {
			if e.MentorPhone == "" {
				next = append(next, e)
				continue
			}
			mr, inFile := role[e.MentorPhone]
			if w, known := r.workers[e.MentorPhone]; !inFile && known {
				mr = w.Role
			}
			if mr == RoleMentor {
				next = append(next, e)
				continue
			}
			reason := fmt.Sprintf("mentor_phone %s is not a mentor in the file or already enrolled", e.MentorPhone)
			if mr != "" {
				reason = fmt.Sprintf("mentor_phone %s is a %s, not a mentor", e.MentorPhone, mr)
			}
			problems = append(problems, RowProblem{e.Line, reason})
			changed = true
		}
		entries = next
	}
	return entries, problems
}

// rosterRun is one ApplyRoster: what the database holds for the entries,
// updated as the run writes, so later entries compare against earlier ones.
type rosterRun struct {
	db  *DB
	tx  *Tx
	ctx context.Context
	now time.Time

	facilities map[string]*rosterFacility // by code
	workers    map[string]*rosterWorker   // by phone
	groups     map[string]*rosterGroup    // by lower-case name
	members    map[[2]int64]bool          // group id, worker id
	mentors    map[int64][]int64          // mentee id → mentor ids

	changed map[int]bool    // entry line → her worker, mentor or groups changed
	created map[string]bool // phones of the workers this run created
	// done holds the facility codes and phones already applied in this run:
	// the first entry of each counts, as the roster takes the first row.
	done map[string]bool
	res  RosterResult
}

type rosterFacility struct {
	ID        int64  `db:"id"`
	Code      string `db:"code"`
	Name      string `db:"name"`
	SubCounty string `db:"sub_county"`
	County    string `db:"county"`
	Verified  bool   `db:"verified"`
}

type rosterWorker struct {
	ID         int64  `db:"id"`
	Phone      string `db:"phone"`
	Name       string `db:"name"`
	Role       string `db:"role"`
	Language   string `db:"language"`
	FacilityID *int64 `db:"facility_id"`
	Status     string `db:"status"`
}

type rosterGroup struct {
	ID   int64  `db:"id"`
	Name string `db:"name"`
}

// result counts the rows by what happened to them.
func (r *rosterRun) result(entries []RosterEntry) RosterResult {
	res := r.res
	for _, e := range entries {
		switch {
		case r.created[e.Phone]:
			res.Created++
			delete(r.created, e.Phone) // a repeat of the phone is not created twice
		case r.changed[e.Line]:
			res.Updated++
		default:
			res.Unchanged++
		}
	}
	return res
}

const sqlRosterWorkers = `
SELECT id, phone, name, role, language, facility_id, status FROM workers WHERE phone IN (?)`

// loadWorkers reads the enrolled workers among the entries and their mentors.
func (r *rosterRun) loadWorkers(entries []RosterEntry) error {
	var phones []string
	for _, e := range entries {
		phones = append(phones, e.Phone)
		if e.MentorPhone != "" {
			phones = append(phones, e.MentorPhone)
		}
	}
	ws, err := selectIn[rosterWorker](r, sqlRosterWorkers, phones)
	r.workers = make(map[string]*rosterWorker, len(entries))
	for i := range ws {
		r.workers[ws[i].Phone] = &ws[i]
	}
	return err
}

const (
	sqlRosterFacilities = `SELECT id, code, name, sub_county, county, verified FROM facilities WHERE code IN (?)`
	sqlRosterGroups     = `SELECT id, name FROM groups`
	sqlRosterMembers    = `SELECT group_id, worker_id FROM group_members WHERE worker_id IN (?)`
	sqlRosterPairs      = `SELECT mentor_id, mentee_id FROM mentor_pairs WHERE mentee_id IN (?)`
)

// load reads the facilities, groups, memberships and mentor pairs the
// entries may change.
func (r *rosterRun) load(entries []RosterEntry) error {
	r.changed, r.created, r.done = map[int]bool{}, map[string]bool{}, map[string]bool{}
	codes := make([]string, len(entries))
	var ids []int64
	for i, e := range entries {
		codes[i] = e.FacilityCode
		if w := r.workers[e.Phone]; w != nil {
			ids = append(ids, w.ID)
		}
	}
	fs, err := selectIn[rosterFacility](r, sqlRosterFacilities, codes)
	if err != nil {
		return err
	}
	r.facilities = make(map[string]*rosterFacility, len(fs))
	for i := range fs {
		r.facilities[fs[i].Code] = &fs[i]
	}
	var gs []rosterGroup
	if err := r.tx.SelectContext(r.ctx, &gs, sqlRosterGroups); err != nil {
		return err
	}
	r.groups = make(map[string]*rosterGroup, len(gs))
	for i := range gs {
		r.groups[strings.ToLower(gs[i].Name)] = &gs[i]
	}
	ms, err := selectIn[struct {
		Group  int64 `db:"group_id"`
		Worker int64 `db:"worker_id"`
	}](r, sqlRosterMembers, ids)
	if err != nil {
		return err
	}
	r.members = make(map[[2]int64]bool, len(ms))
	for _, m := range ms {
		r.members[[2]int64{m.Group, m.Worker}] = true
	}
	ps, err := selectIn[struct {
		Mentor int64 `db:"mentor_id"`
		Mentee int64 `db:"mentee_id"`
	}](r, sqlRosterPairs, ids)
	r.mentors = make(map[int64][]int64, len(ps))
	for _, p := range ps {
		r.mentors[p.Mentee] = append(r.mentors[p.Mentee], p.Mentor)
	}
	return err
}
