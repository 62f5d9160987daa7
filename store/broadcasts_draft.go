package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// DraftTTL is how long a broadcast asked for by SMS waits for its YES.
const DraftTTL = 10 * time.Minute

// Errors of the broadcast-by-SMS steps; their callers answer each with a
// reply of its own.
var (
	// ErrOutsideScope: the named sub-county exists but is not the sender's.
	ErrOutsideScope = errors.New("outside the sender's sub-counties")
	// ErrNoDraft: a YES with no broadcast waiting for it.
	ErrNoDraft = errors.New("no broadcast waiting for confirmation")
	// ErrDraftExpired: a YES more than DraftTTL after its BC.
	ErrDraftExpired = errors.New("broadcast confirmation expired")
)

// UserByPhone returns the console user with the phone number (+254…), or
// ErrNotFound.
func (db *DB) UserByPhone(ctx context.Context, p string) (User, error) {
	return db.user(ctx, "user by phone", sqlUserColumns+` WHERE phone = ?`, p)
}

// AudienceNamed returns the audience a supervisor means by name in
// "BC <name> <message>": one of her sub-counties, or a group (which the
// scope then narrows), matched without regard to case. A sub-county that
// exists outside the scope is ErrOutsideScope; an unknown name ErrNotFound.
func (db *DB) AudienceNamed(ctx context.Context, sc Scope, name string) (Audience, error) {
	name = strings.TrimSpace(name)
	var found []string
	err := db.SelectContext(ctx, &found, db.Rebind(`SELECT DISTINCT sub_county FROM facilities WHERE LOWER(sub_county) = LOWER(?)`), name)
	if err != nil {
		return Audience{}, fmt.Errorf("store: audience named: %w", err)
	}
	if i := slices.IndexFunc(found, sc.Allows); i >= 0 {
		return Audience{SubCounties: found[i : i+1]}, nil
	}
	var groups []string
	err = db.SelectContext(ctx, &groups, db.Rebind(`SELECT name FROM groups WHERE LOWER(name) = LOWER(?) ORDER BY name`), name)
	switch {
	case err != nil:
		return Audience{}, fmt.Errorf("store: audience named: %w", err)
	case len(groups) > 0:
		return Audience{Groups: groups[:1]}, nil
	case len(found) > 0:
		return Audience{}, ErrOutsideScope
	}
	return Audience{}, ErrNotFound
}

const sqlSaveDraft = `INSERT INTO broadcast_drafts (user_id, audience, body, urgent, recipients, created_at, expires_at)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (user_id) DO UPDATE SET audience = excluded.audience, body = excluded.body, urgent = excluded.urgent,
    recipients = excluded.recipients, created_at = excluded.created_at, expires_at = excluded.expires_at`

// DraftBroadcast previews a broadcast a user asked for by SMS and keeps it
// through q (the transaction of her incoming SMS) until her YES, replacing
// any earlier draft of hers; urgent lets it go during quiet hours. Bad
// input is an *InputError and keeps nothing.
func (db *DB) DraftBroadcast(ctx context.Context, q *Tx, sc Scope, userID int64, a Audience, body string, urgent bool) (Preview, error) {
	body, a = strings.TrimSpace(body), a.clean()
	now := db.Now().UTC()
	if err := (NewBroadcast{Body: body, ConfirmLong: true}).check(now); err != nil {
		return Preview{}, fmt.Errorf("store: draft broadcast: %w", err)
	}
	p, err := previewBroadcast(ctx, db, q, sc, a, body)
	if err != nil {
		return Preview{}, err
	}
	if p.Recipients == 0 {
		return p, fmt.Errorf("store: draft broadcast: %w", ErrNoRecipients)
	}
	if _, err := q.ExecContext(ctx, db.Rebind(sqlSaveDraft), userID, a, body, urgent, p.Recipients, now, now.Add(DraftTTL)); err != nil {
		return Preview{}, fmt.Errorf("store: draft broadcast: %w", err)
	}
	return p, nil
}

type draft struct {
	Audience  Audience  `db:"audience"`
	Body      string    `db:"body"`
	Urgent    bool      `db:"urgent"`
	ExpiresAt time.Time `db:"expires_at"`
}

const sqlTakeDraft = `DELETE FROM broadcast_drafts WHERE user_id = ? RETURNING audience, body, urgent, expires_at`

// ConfirmDraft turns the user's draft into a broadcast through q (the
// transaction of her YES) and returns it. The draft is used up either way:
// with none it returns ErrNoDraft, after DraftTTL ErrDraftExpired. The
// audience is counted again, inside the scope she has now.
func (db *DB) ConfirmDraft(ctx context.Context, q *Tx, sc Scope, userID int64) (Broadcast, error) {
	var d draft
	err := q.GetContext(ctx, &d, db.Rebind(sqlTakeDraft), userID)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return Broadcast{}, ErrNoDraft
	case err != nil:
		return Broadcast{}, fmt.Errorf("store: confirm draft: %w", err)
	case !db.Now().Before(d.ExpiresAt):
		return Broadcast{}, ErrDraftExpired
	}
	id, err := db.createBroadcast(ctx, q, sc, userID, NewBroadcast{Audience: d.Audience, Body: d.Body, Urgent: d.Urgent, ConfirmLong: true})
	if err != nil {
		return Broadcast{}, err
	}
	bs, err := db.broadcasts(ctx, sc, q, id, 1)
	if err != nil {
		return Broadcast{}, fmt.Errorf("store: confirm draft: %w", err)
	}
	return bs[0], nil
}

// DropDraft forgets, through q, the user's broadcast waiting for YES, and
// reports whether there was one.
func (db *DB) DropDraft(ctx context.Context, q *Tx, userID int64) (bool, error) {
	res, err := q.ExecContext(ctx, db.Rebind(`DELETE FROM broadcast_drafts WHERE user_id = ?`), userID)
	if err != nil {
		return false, fmt.Errorf("store: drop draft: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: drop draft: %w", err)
	}
	return n > 0, nil
}
