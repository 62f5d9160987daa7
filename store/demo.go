package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// The demo roster of `chanjo serve --demo`.
const (
	DemoFacilityCode = "99001"
	DemoMentorPhone  = "+254700000100"
	DemoNurses       = 100 // +254700000000 to +254700000099
	demoGroup        = "Demo cohort"
	demoLock         = 7262527 // the PostgreSQL advisory lock key of LoadDemo
)

// ErrNotEmpty is returned by LoadDemo when the database already holds a
// roster that is not the demo's.
var ErrNotEmpty = errors.New("the database already holds health workers: the demo loads only into an empty database")

// DemoRoster says what LoadDemo put in the database.
type DemoRoster struct {
	FacilityCode string
	MentorPhone  string
	Nurses       []string // active nurses, paired with the mentor, in one group
	// Loaded is false when the demo was already there and nothing changed.
	Loaded bool
}

// DemoNursePhone returns the number of demo nurse i (0 to DemoNurses-1).
func DemoNursePhone(i int) string { return fmt.Sprintf("+2547%08d", i) }

var demoNames = []string{"Amina", "Wanjiru", "Achieng", "Njeri", "Fatuma", "Chebet", "Akinyi", "Mwende", "Halima", "Nafula"}

// LoadDemo loads the demo roster into an empty database: a facility, a
// mentor, DemoNurses active nurses paired with her in one group, and a visit
// scheduled in a week. Loading it twice changes nothing.
func (db *DB) LoadDemo(ctx context.Context) (DemoRoster, error) {
	r := DemoRoster{FacilityCode: DemoFacilityCode, MentorPhone: DemoMentorPhone}
	for i := 0; i < DemoNurses; i++ {
		r.Nurses = append(r.Nurses, DemoNursePhone(i))
	}
	// Instances started together with --demo each try: the check and the
	// insert go in one transaction under a lock, so one loads and the others
	// find the demo there.
	err := db.lockedTx(ctx, demoLock, func(tx *Tx) error {
		var workers, demo int
		err := tx.GetContext(ctx, &workers, `SELECT COUNT(*) FROM workers`)
		if err == nil {
			err = tx.GetContext(ctx, &demo, db.Rebind(`SELECT COUNT(*) FROM workers WHERE phone = ?`), DemoMentorPhone)
		}
		switch {
		case err != nil:
			return err
		case demo > 0:
			return nil
		case workers > 0:
			return ErrNotEmpty
		}
		r.Loaded = true
		return db.insertDemo(ctx, tx, r.Nurses)
	})
	switch {
	case errors.Is(err, ErrNotEmpty):
		return r, ErrNotEmpty
	case err != nil:
		return r, fmt.Errorf("store: load demo: %w", err)
	}
	return r, nil
}

const sqlDemoFacility = `INSERT INTO facilities (code, name, sub_county, county, verified, created_at, updated_at)
VALUES (?, 'Chanjo Demo Health Centre', 'Demo Sub-County', 'Demo County', TRUE, ?, ?) RETURNING id`

const sqlDemoWorkerHead = `INSERT INTO workers (phone, name, role, language, facility_id, status, created_at, updated_at) VALUES `

const sqlDemoMembers = `INSERT INTO group_members (group_id, worker_id) SELECT ?, id FROM workers WHERE facility_id = ? AND role = 'nurse'`

const sqlDemoPairs = `INSERT INTO mentor_pairs (mentor_id, mentee_id, created_at) SELECT ?, id, ? FROM workers WHERE facility_id = ? AND role = 'nurse'`

const sqlDemoVisit = `INSERT INTO visits (mentor_id, mentee_id, scheduled_at, created_at, updated_at)
SELECT ?, id, ?, ?, ? FROM workers WHERE phone = ?`

func (db *DB) insertDemo(ctx context.Context, tx *Tx, nurses []string) error {
	now := db.Now()
	var fid, mentor, group int64
	if err := tx.GetContext(ctx, &fid, db.Rebind(sqlDemoFacility), DemoFacilityCode, now, now); err != nil {
		return err
	}
	if err := insertDemoWorkers(ctx, db, tx, fid, nurses, now); err != nil {
		return err
	}
	err := tx.GetContext(ctx, &mentor, db.Rebind(`SELECT id FROM workers WHERE phone = ?`), DemoMentorPhone)
	if err != nil {
		return err
	}
	err = tx.GetContext(ctx, &group, db.Rebind(`INSERT INTO groups (name, created_at) VALUES (?, ?) RETURNING id`), demoGroup, now)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, db.Rebind(sqlDemoMembers), group, fid); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, db.Rebind(sqlDemoPairs), mentor, now, fid); err != nil {
		return err
	}
	visitAt := now.Add(7 * 24 * time.Hour).Truncate(time.Hour)
	_, err = tx.ExecContext(ctx, db.Rebind(sqlDemoVisit), mentor, visitAt, now, now, nurses[0])
	return err
}

// insertDemoWorkers inserts the mentor and the nurses in one statement.
func insertDemoWorkers(ctx context.Context, db *DB, tx *Tx, fid int64, nurses []string, now time.Time) error {
	rows := make([]string, 0, len(nurses)+1)
	args := make([]any, 0, 8*(len(nurses)+1))
	add := func(phone, name, role string) {
		rows = append(rows, "(?, ?, ?, 'en', ?, 'active', ?, ?)")
		args = append(args, phone, name, role, fid, now, now)
	}
	add(DemoMentorPhone, "Grace", RoleMentor)
	for i, p := range nurses {
		add(p, demoNames[i%len(demoNames)], RoleNurse)
	}
	_, err := tx.ExecContext(ctx, db.Rebind(sqlDemoWorkerHead+strings.Join(rows, ", ")), args...)
	return err
}
