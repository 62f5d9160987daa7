package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"
)

// NewProcessID returns a fresh random identity for a process: every start
// gets its own, so two processes (or a process and its restart) never share
// one and never release each other's leases.
func NewProcessID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// ProcessTimeout is how long a process may go without a heartbeat before the
// others count it dead and give its leases back; a process beats every
// HeartbeatEvery, so a dead one's leases return within about
// ProcessTimeout + HeartbeatEvery.
const ProcessTimeout = 10 * time.Second

// HeartbeatEvery is how often a process beats.
const HeartbeatEvery = 3 * time.Second

const sqlHeartbeat = `INSERT INTO processes (id, host, started_at, heartbeat_at) VALUES (?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at`

// Heartbeat records that process id (on host) is alive now.
func (db *DB) Heartbeat(ctx context.Context, id, host string) error {
	now := db.Now().UTC()
	if _, err := db.exec(ctx, sqlHeartbeat, id, host, now, now); err != nil {
		return fmt.Errorf("store: heartbeat: %w", err)
	}
	return nil
}

const sqlDeadProcesses = `SELECT id FROM processes WHERE heartbeat_at < ? ORDER BY id`

const sqlReleaseReminders = `UPDATE reminders SET lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE lease_owner = ?`

const sqlReleaseQuestions = `UPDATE questions SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ?`

// ReapDead gives back the leases of every process whose last heartbeat is
// older than ProcessTimeout and removes its row; it returns how many rows
// went back. A process calls it only right after a heartbeat of its own
// that came on time: after its own pause (a database outage, a stall), the
// others' beats may be late for the same reason, and a live process's
// leases must never be taken.
func (db *DB) ReapDead(ctx context.Context) (int, error) {
	now := db.Now().UTC()
	var dead []string
	if err := db.SelectContext(ctx, &dead, db.Rebind(sqlDeadProcesses), now.Add(-ProcessTimeout)); err != nil {
		return 0, fmt.Errorf("store: reap dead processes: %w", err)
	}
	total := 0
	for _, id := range dead {
		n, err := db.releaseAll(ctx, id, now)
		if err != nil {
			return total, fmt.Errorf("store: reap process %s: %w", id, err)
		}
		total += n
	}
	return total, nil
}

// releaseAll gives back every lease of process id and, in the same
// transaction, removes its row, so a crash half-way leaves it to reap again.
func (db *DB) releaseAll(ctx context.Context, id string, now time.Time) (int, error) {
	total := 0
	err := db.Tx(ctx, func(tx *Tx) error {
		// Rows still to do go back to the queue: the outbox's are found
		// by a scan of the queued rows (it has no lease index, see
		// Release), the others' by their lease indexes.
		total = 0
		for _, st := range []struct {
			query string
			args  []any
		}{
			{sqlReleaseOwner, []any{now, id, "", ""}}, // every channel
			{sqlReleaseReminders, []any{now, id}},
			{sqlReleaseQuestions, []any{id}},
			{sqlReleaseCirclePosts, []any{id}},
		} {
			res, err := tx.ExecContext(ctx, db.Rebind(st.query), st.args...)
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			total += int(n)
		}
		_, err := tx.ExecContext(ctx, db.Rebind(`DELETE FROM processes WHERE id = ?`), id)
		return err
	})
	return total, err
}

// EndProcess gives back what process id still holds and removes its row: a
// process calls it as it stops, after its workers have stopped.
func (db *DB) EndProcess(ctx context.Context, id string) error {
	if _, err := db.releaseAll(ctx, id, db.Now().UTC()); err != nil {
		return fmt.Errorf("store: end process: %w", err)
	}
	return nil
}
