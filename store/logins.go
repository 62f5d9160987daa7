package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// ThrottleKey is one key a login try counts against: a source address, an
// account, or an account from one address. The caller decides the keys and
// their numbers; the store keeps their counts where every instance sees them.
type ThrottleKey struct {
	Key     string // unique, e.g. "addr:192.0.2.1"
	Account string // the account's lower-case name, "" for an address: what an unlock lifts
	Free    int    // failures the key allows before it waits
}

// LoginRule is how failures turn into waiting.
type LoginRule struct {
	// Backoff is the wait after the n-th failure past the key's free ones
	// (n starts at 1 with the Free-th failure itself).
	Backoff func(n int) time.Duration
	// Forget is how long after its last failure a key starts afresh.
	Forget time.Duration
}

type throttleRow struct {
	Failures  int          `db:"failures"`
	NextAt    sql.NullTime `db:"next_at"`
	UpdatedAt time.Time    `db:"updated_at"`
}

const (
	sqlThrottleSeed = `INSERT INTO login_throttle (key, account, failures, updated_at) VALUES (?, ?, 0, ?)
ON CONFLICT (key) DO NOTHING`
	sqlThrottleRead = `SELECT failures, next_at, updated_at FROM login_throttle WHERE key = ?`
	// sqlThrottleReadPostgres locks the row it reads; SQLite's transactions
	// are already exclusive (they begin IMMEDIATE).
	sqlThrottleReadPostgres = `SELECT failures, next_at, updated_at FROM login_throttle WHERE key = ? FOR UPDATE`
	sqlThrottleUpdate       = `UPDATE login_throttle SET failures = ?, next_at = ?, updated_at = ? WHERE key = ?`
)

// TakeLoginTry decides, before a password is checked, whether the try may
// go ahead, and if so counts it as a failure at once: the state is read and
// written in one transaction, with every key's row locked, so tries sent in
// parallel are let through one by one and cannot all pass the same check.
// A good login then clears the account's keys (ClearLoginFailures). It
// returns the zero time when the try may go ahead, or else when the first
// try will be let in again, counting nothing.
//
// A flood of tries at a key that waits must not queue for SQLite's one
// writer: they are refused on a plain read, before any transaction. (That
// read may be a moment stale; it can only refuse, never let a try through.)
func (db *DB) TakeLoginTry(ctx context.Context, keys []ThrottleKey, rule LoginRule) (time.Time, error) {
	if wait, err := db.loginWait(ctx, keys); err != nil || !wait.IsZero() {
		return wait, err
	}
	keys = slices.Clone(keys)
	// One order for every transaction, so two never wait on each other.
	slices.SortFunc(keys, func(a, b ThrottleKey) int { return strings.Compare(a.Key, b.Key) })
	read := sqlThrottleRead
	if db.Dialect == Postgres {
		read = sqlThrottleReadPostgres
	}
	now := db.Now()
	var wait time.Time
	err := db.Tx(ctx, func(tx *Tx) error {
		rows := make([]throttleRow, len(keys))
		for i, k := range keys {
			if _, err := tx.ExecContext(ctx, db.Rebind(sqlThrottleSeed), k.Key, k.Account, now); err != nil {
				return err
			}
			if err := tx.GetContext(ctx, &rows[i], db.Rebind(read), k.Key); err != nil {
				return err
			}
			if r := rows[i]; r.NextAt.Valid && r.NextAt.Time.After(now) && r.NextAt.Time.After(wait) {
				wait = r.NextAt.Time.UTC()
			}
		}
		if !wait.IsZero() {
			return nil
		}
		for i, k := range keys {
			failures := rows[i].Failures + 1
			if now.Sub(rows[i].UpdatedAt) > rule.Forget {
				failures = 1
			}
			var next any
			if failures >= k.Free {
				next = now.Add(rule.Backoff(failures - k.Free + 1))
			}
			if _, err := tx.ExecContext(ctx, db.Rebind(sqlThrottleUpdate), failures, next, now, k.Key); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return time.Time{}, fmt.Errorf("store: take login try: %w", err)
	}
	return wait, nil
}

// loginWait returns the latest wait of keys, zero when none waits now.
func (db *DB) loginWait(ctx context.Context, keys []ThrottleKey) (time.Time, error) {
	names := make([]string, len(keys))
	for i, k := range keys {
		names[i] = k.Key
	}
	query, args, err := sqlx.In(`SELECT next_at FROM login_throttle WHERE key IN (?) AND next_at > ?`, names, db.Now())
	if err != nil {
		return time.Time{}, fmt.Errorf("store: login wait: %w", err)
	}
	var waits []time.Time
	if err := db.SelectContext(ctx, &waits, db.Rebind(query), args...); err != nil {
		return time.Time{}, fmt.Errorf("store: login wait: %w", err)
	}
	var wait time.Time
	for _, w := range waits {
		if w.After(wait) {
			wait = w.UTC()
		}
	}
	return wait, nil
}

// ClearLoginFailures forgets the failures counted against keys, after a good
// login, and drops keys idle longer than forget, so that the table holds
// only recent tries.
func (db *DB) ClearLoginFailures(ctx context.Context, keys []string, forget time.Duration) error {
	err := db.Tx(ctx, func(tx *Tx) error {
		for _, k := range keys {
			if _, err := tx.ExecContext(ctx, db.Rebind(`DELETE FROM login_throttle WHERE key = ?`), k); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, db.Rebind(`DELETE FROM login_throttle WHERE updated_at < ?`), db.Now().Add(-forget))
		return err
	})
	if err != nil {
		return fmt.Errorf("store: clear login failures: %w", err)
	}
	return nil
}

// UnlockLogin lifts every key of the account (a lower-case name), from
// every address, and writes the audit log: byUserID is the admin (0 for the
// command line), from where she asked. It returns how many keys it lifted.
func (db *DB) UnlockLogin(ctx context.Context, byUserID int64, account, from string) (int64, error) {
	var n int64
	err := db.Tx(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, db.Rebind(`DELETE FROM login_throttle WHERE account = ?`), account)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		return db.Audit(ctx, tx, byUserID, "user.unlock", "user:"+account, fmt.Sprintf("%d login throttles lifted; from %s", n, from))
	})
	if err != nil {
		return 0, fmt.Errorf("store: unlock login: %w", err)
	}
	return n, nil
}

// HeldLogin is an account whose logins wait now, from some address or all.
type HeldLogin struct {
	Account  string
	Until    time.Time // the latest of its keys' waits
	Failures int       // the most failures of one of its keys
}

const sqlHeldLogins = `SELECT account, next_at, failures FROM login_throttle
WHERE account <> '' AND next_at > ? ORDER BY account LIMIT ?`

// HeldLogins returns the accounts whose logins wait now, by name, from the
// first limit keys that wait.
func (db *DB) HeldLogins(ctx context.Context, limit int) ([]HeldLogin, error) {
	var rows []struct {
		Account  string    `db:"account"`
		NextAt   time.Time `db:"next_at"`
		Failures int       `db:"failures"`
	}
	if err := db.SelectContext(ctx, &rows, db.Rebind(sqlHeldLogins), db.Now(), limit); err != nil {
		return nil, fmt.Errorf("store: held logins: %w", err)
	}
	var held []HeldLogin
	for _, r := range rows {
		if len(held) == 0 || held[len(held)-1].Account != r.Account {
			held = append(held, HeldLogin{Account: r.Account})
		}
		h := &held[len(held)-1]
		if r.NextAt.After(h.Until) {
			h.Until = r.NextAt.UTC()
		}
		h.Failures = max(h.Failures, r.Failures)
	}
	return held, nil
}
