package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// SourceCLI is the audit source of what the command line does.
const SourceCLI = "cli"

type sourceKey struct{}

// WithSource returns ctx carrying where the request came from (the client
// address of a console or API request), for the audit rows written under it.
func WithSource(ctx context.Context, source string) context.Context {
	return context.WithValue(ctx, sourceKey{}, source)
}

// SourceOf returns what WithSource put in ctx, or "".
func SourceOf(ctx context.Context) string {
	s, _ := ctx.Value(sourceKey{}).(string)
	return s
}

// UserSummary is one row of the users list: the user and her sub-counties.
type UserSummary struct {
	User
	SubCounties []string
}

// Users returns every console user, by name, with her sub-counties.
func (db *DB) Users(ctx context.Context) ([]UserSummary, error) {
	var users []User
	if err := db.SelectContext(ctx, &users, sqlUserColumns+` ORDER BY name`); err != nil {
		return nil, fmt.Errorf("store: users: %w", err)
	}
	var links []struct {
		UserID    int64  `db:"user_id"`
		SubCounty string `db:"sub_county"`
	}
	if err := db.SelectContext(ctx, &links, `SELECT user_id, sub_county FROM user_sub_counties ORDER BY sub_county`); err != nil {
		return nil, fmt.Errorf("store: users: %w", err)
	}
	of := map[int64][]string{}
	for _, l := range links {
		of[l.UserID] = append(of[l.UserID], l.SubCounty)
	}
	out := make([]UserSummary, len(users))
	for i, u := range users {
		out[i] = UserSummary{User: u, SubCounties: of[u.ID]}
	}
	return out, nil
}

// SetUserDisabled disables (or enables again) the user, audited as done by
// byUserID (0: the command line). Disabling ends her console sessions at
// once; her API tokens are refused while she is disabled.
func (db *DB) SetUserDisabled(ctx context.Context, byUserID, userID int64, disabled bool) error {
	var at any
	action := "user.enable"
	if disabled {
		at, action = db.Now(), "user.disable"
	}
	err := db.Tx(ctx, func(tx *Tx) error {
		if err := updateUser(ctx, tx, db.Rebind(`UPDATE users SET disabled_at = ? WHERE id = ?`), at, userID); err != nil {
			return err
		}
		if disabled {
			if err := endSessions(ctx, db, tx, userID); err != nil {
				return err
			}
		}
		return db.Audit(ctx, tx, byUserID, action, fmt.Sprintf("user:%d", userID), "")
	})
	if err != nil {
		return fmt.Errorf("store: %s: %w", action, err)
	}
	return nil
}

// SetPassword replaces the user's password hash and ends her sessions (a
// reset is often for a password someone else learnt), audited.
func (db *DB) SetPassword(ctx context.Context, byUserID, userID int64, hash string) error {
	err := db.Tx(ctx, func(tx *Tx) error {
		if err := updateUser(ctx, tx, db.Rebind(`UPDATE users SET password_hash = ? WHERE id = ?`), hash, userID); err != nil {
			return err
		}
		if err := endSessions(ctx, db, tx, userID); err != nil {
			return err
		}
		return db.Audit(ctx, tx, byUserID, "user.reset", fmt.Sprintf("user:%d", userID), "password reset")
	})
	if err != nil {
		return fmt.Errorf("store: set password: %w", err)
	}
	return nil
}

// SetUserAccess gives the user role and exactly subCounties (none for an
// admin), audited. The caller has checked them (the roster's spelling).
func (db *DB) SetUserAccess(ctx context.Context, byUserID, userID int64, role string, subCounties []string) error {
	err := db.Tx(ctx, func(tx *Tx) error {
		if err := updateUser(ctx, tx, db.Rebind(`UPDATE users SET role = ? WHERE id = ?`), role, userID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, db.Rebind(`DELETE FROM user_sub_counties WHERE user_id = ?`), userID); err != nil {
			return err
		}
		for _, sc := range subCounties {
			_, err := tx.ExecContext(ctx, db.Rebind(`INSERT INTO user_sub_counties (user_id, sub_county) VALUES (?, ?) ON CONFLICT DO NOTHING`), userID, sc)
			if err != nil {
				return err
			}
		}
		return db.Audit(ctx, tx, byUserID, "user.set", fmt.Sprintf("user:%d", userID),
			"role "+role+"; sub-counties "+strings.Join(subCounties, ", "))
	})
	if err != nil {
		return fmt.Errorf("store: set user access: %w", err)
	}
	return nil
}

// updateUser runs an UPDATE of one user; no such user is ErrNotFound.
func updateUser(ctx context.Context, tx *Tx, query string, args ...any) error {
	res, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return ErrNotFound
	}
	return nil
}

func endSessions(ctx context.Context, db *DB, tx *Tx, userID int64) error {
	_, err := tx.ExecContext(ctx, db.Rebind(`DELETE FROM console_sessions WHERE user_id = ?`), userID)
	return err
}

// Token is one API token as the lists show it: never the token itself.
type Token struct {
	ID         int64        `db:"id"`
	UserName   string       `db:"user_name"`
	Name       string       `db:"name"`
	CreatedAt  time.Time    `db:"created_at"`
	LastUsedAt sql.NullTime `db:"last_used_at"`
	ExpiresAt  sql.NullTime `db:"expires_at"`
	RevokedAt  sql.NullTime `db:"revoked_at"`
}

// State says whether the token is live, "expired" or "revoked" at now.
func (t Token) State(now time.Time) string {
	switch {
	case t.RevokedAt.Valid:
		return "revoked"
	case t.ExpiresAt.Valid && !t.ExpiresAt.Time.After(now):
		return "expired"
	}
	return "live"
}

const sqlTokens = `SELECT t.id, u.name AS user_name, t.name, t.created_at, t.last_used_at, t.expires_at, t.revoked_at
FROM api_tokens t JOIN users u ON u.id = t.user_id`

// Tokens returns the API tokens of the user called userName, or of everyone
// when it is "", newest first.
func (db *DB) Tokens(ctx context.Context, userName string) ([]Token, error) {
	query, args := sqlTokens, []any{}
	if userName != "" {
		query, args = query+` WHERE u.name = ?`, append(args, userName)
	}
	tokens := []Token{}
	if err := db.SelectContext(ctx, &tokens, db.Rebind(query+` ORDER BY t.id DESC`), args...); err != nil {
		return nil, fmt.Errorf("store: tokens: %w", err)
	}
	return tokens, nil
}

// RevokeToken refuses the token from now on, audited as done by byUserID. An
// unknown id is ErrNotFound; revoking a revoked token changes nothing.
func (db *DB) RevokeToken(ctx context.Context, byUserID, tokenID int64) (Token, error) {
	var t Token
	err := db.Tx(ctx, func(tx *Tx) error {
		if err := tx.GetContext(ctx, &t, db.Rebind(sqlTokens+` WHERE t.id = ?`), tokenID); errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		} else if err != nil {
			return err
		}
		if t.RevokedAt.Valid {
			return nil
		}
		now := db.Now()
		if _, err := tx.ExecContext(ctx, db.Rebind(`UPDATE api_tokens SET revoked_at = ? WHERE id = ?`), now, tokenID); err != nil {
			return err
		}
		t.RevokedAt = sql.NullTime{Time: now, Valid: true}
		return db.Audit(ctx, tx, byUserID, "token.revoke", fmt.Sprintf("token:%d", tokenID), "token "+t.Name+" of "+t.UserName)
	})
	if err != nil {
		return Token{}, fmt.Errorf("store: revoke token: %w", err)
	}
	return t, nil
}

// RosterSubCounties returns the sub-counties of the roster's facilities,
// sorted: the only ones a supervisor may be given.
func (db *DB) RosterSubCounties(ctx context.Context) ([]string, error) {
	var scs []string
	if err := db.SelectContext(ctx, &scs, `SELECT DISTINCT sub_county FROM facilities WHERE sub_county <> ''`); err != nil {
		return nil, fmt.Errorf("store: roster sub-counties: %w", err)
	}
	sort.Strings(scs)
	return scs, nil
}
