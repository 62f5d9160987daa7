package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Session is a logged-in console session. The cookie holds a random id;
// the store knows only its hash.
type Session struct {
	IDHash    string    `db:"id_hash"`
	UserID    int64     `db:"user_id"`
	CSRF      string    `db:"csrf"`
	Flash     string    `db:"flash"`
	CreatedAt time.Time `db:"created_at"`
	ExpiresAt time.Time `db:"expires_at"`
}

// CreateSession stores a new session and forgets expired ones.
func (db *DB) CreateSession(ctx context.Context, s Session) error {
	err := db.Tx(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, db.Rebind(`DELETE FROM console_sessions WHERE expires_at < ?`), db.Now()); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, db.Rebind(`INSERT INTO console_sessions (id_hash, user_id, csrf, flash, created_at, expires_at)
VALUES (?, ?, ?, ?, ?, ?)`), s.IDHash, s.UserID, s.CSRF, s.Flash, s.CreatedAt, s.ExpiresAt)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: create session: %w", err)
	}
	return nil
}

// SessionByHash returns the unexpired session whose id hashes to idHash, or
// ErrNotFound.
func (db *DB) SessionByHash(ctx context.Context, idHash string) (Session, error) {
	var s Session
	err := db.GetContext(ctx, &s, db.Rebind(`SELECT id_hash, user_id, csrf, flash, created_at, expires_at
FROM console_sessions WHERE id_hash = ? AND expires_at > ?`), idHash, db.Now())
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, ErrNotFound
	}
	if err != nil {
		return Session{}, fmt.Errorf("store: session: %w", err)
	}
	return s, nil
}

// SetFlash keeps msg to show once on the session's next page; "" clears it.
func (db *DB) SetFlash(ctx context.Context, idHash, msg string) error {
	_, err := db.ExecContext(ctx, db.Rebind(`UPDATE console_sessions SET flash = ? WHERE id_hash = ?`), msg, idHash)
	if err != nil {
		return fmt.Errorf("store: set flash: %w", err)
	}
	return nil
}

// DeleteSession ends the session (logout).
func (db *DB) DeleteSession(ctx context.Context, idHash string) error {
	_, err := db.ExecContext(ctx, db.Rebind(`DELETE FROM console_sessions WHERE id_hash = ?`), idHash)
	if err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}
