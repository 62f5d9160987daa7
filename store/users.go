package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// User is a console user: an administrator or a sub-county supervisor.
type User struct {
	ID           int64          `db:"id"`
	Name         string         `db:"name"`
	Role         string         `db:"role"` // admin | supervisor
	PasswordHash string         `db:"password_hash"`
	Phone        sql.NullString `db:"phone"`
	CreatedAt    time.Time      `db:"created_at"`
	// DisabledAt is set while an admin has disabled her: she cannot log
	// in and her tokens are refused.
	DisabledAt sql.NullTime `db:"disabled_at"`
}

// User roles.
const (
	RoleAdmin      = "admin"
	RoleSupervisor = "supervisor"
)

// ErrExists is returned when a user's name or phone is already taken.
var ErrExists = errors.New("already exists")

// NewUser is what `chanjo user add` gives to CreateUser.
type NewUser struct {
	Name, Role, PasswordHash string
	Phone                    string // +254…, or empty
	SubCounties              []string
}

const sqlCreateUser = `INSERT INTO users (name, role, password_hash, phone, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`

// CreateUser adds a console user with her sub-counties and writes the audit
// log. A taken name or phone gives ErrExists and changes nothing.
func (db *DB) CreateUser(ctx context.Context, u NewUser) (User, error) {
	var phone any
	if u.Phone != "" {
		phone = u.Phone
	}
	var id int64
	err := db.Tx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.GetContext(ctx, &n, db.Rebind(`SELECT COUNT(*) FROM users WHERE name = ? OR phone = ?`), u.Name, phone); err != nil {
			return err
		}
		if n > 0 {
			return ErrExists
		}
		if err := tx.GetContext(ctx, &id, db.Rebind(sqlCreateUser), u.Name, u.Role, u.PasswordHash, phone, db.Now()); err != nil {
			return err
		}
		for _, sc := range u.SubCounties {
			_, err := tx.ExecContext(ctx, db.Rebind(`INSERT INTO user_sub_counties (user_id, sub_county) VALUES (?, ?) ON CONFLICT DO NOTHING`), id, sc)
			if err != nil {
				return err
			}
		}
		return db.Audit(ctx, tx, 0, "user.add", "user:"+u.Name, "role "+u.Role+"; sub-counties "+strings.Join(u.SubCounties, ", "))
	})
	if err != nil {
		return User{}, fmt.Errorf("store: create user: %w", err)
	}
	return db.UserByID(ctx, id)
}

const sqlUserColumns = `SELECT id, name, role, password_hash, phone, created_at, disabled_at FROM users`

// UserByName returns the user called name, or ErrNotFound.
func (db *DB) UserByName(ctx context.Context, name string) (User, error) {
	return db.user(ctx, "user by name", sqlUserColumns+` WHERE name = ?`, name)
}

// UserByID returns the user with the id, or ErrNotFound.
func (db *DB) UserByID(ctx context.Context, id int64) (User, error) {
	return db.user(ctx, "user by id", sqlUserColumns+` WHERE id = ?`, id)
}

const sqlUserByTokenHash = `SELECT u.id, u.name, u.role, u.password_hash, u.phone, u.created_at, u.disabled_at
FROM users u JOIN api_tokens t ON t.user_id = u.id
WHERE t.token_hash = ? AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?) AND u.disabled_at IS NULL`

// UserByTokenHash returns the owner of the live API token whose SHA-256
// (hex) is hash, or ErrNotFound: a revoked or expired token, or one of a
// disabled user, is not found. It notes when the token was last used, at most once
// an hour, so that a busy script does not write on every request.
func (db *DB) UserByTokenHash(ctx context.Context, hash string) (User, error) {
	now := db.Now()
	u, err := db.user(ctx, "user by token", sqlUserByTokenHash, hash, now)
	if err != nil {
		return User{}, err
	}
	_, err = db.ExecContext(ctx, db.Rebind(`UPDATE api_tokens SET last_used_at = ?
WHERE token_hash = ? AND (last_used_at IS NULL OR last_used_at < ?)`), now, hash, now.Add(-time.Hour))
	if err != nil {
		return User{}, fmt.Errorf("store: user by token: %w", err)
	}
	return u, nil
}

func (db *DB) user(ctx context.Context, op, query string, args ...any) (User, error) {
	var u User
	err := db.GetContext(ctx, &u, db.Rebind(query), args...)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, ErrNotFound
	}
	if err != nil {
		return User{}, fmt.Errorf("store: %s: %w", op, err)
	}
	return u, nil
}

// UserSubCounties returns the sub-counties the user covers, sorted.
func (db *DB) UserSubCounties(ctx context.Context, userID int64) ([]string, error) {
	var scs []string
	err := db.SelectContext(ctx, &scs, db.Rebind(`SELECT sub_county FROM user_sub_counties WHERE user_id = ? ORDER BY sub_county`), userID)
	if err != nil {
		return nil, fmt.Errorf("store: user sub-counties: %w", err)
	}
	return scs, nil
}

// Scope returns what the user may see: everything for an admin, her
// sub-counties for a supervisor.
func (db *DB) Scope(ctx context.Context, u User) (Scope, error) {
	if u.Role == RoleAdmin {
		return Scope{Admin: true}, nil
	}
	scs, err := db.UserSubCounties(ctx, u.ID)
	return Scope{SubCounties: scs}, err
}

// CreateToken stores the SHA-256 (hex) of a new API token of the user, never
// the token itself, and writes the audit log. The token does not expire.
func (db *DB) CreateToken(ctx context.Context, userID int64, name, hash string) error {
	return db.CreateTokenExpiring(ctx, userID, name, hash, time.Time{})
}

// CreateTokenExpiring is CreateToken for a token refused from expires on; a
// zero expires never expires.
func (db *DB) CreateTokenExpiring(ctx context.Context, userID int64, name, hash string, expires time.Time) error {
	var exp any
	detail := "token " + name
	if !expires.IsZero() {
		exp = expires.UTC()
		detail += "; expires " + expires.UTC().Format(time.RFC3339)
	}
	err := db.Tx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, db.Rebind(`INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`),
			userID, name, hash, db.Now(), exp)
		if err != nil {
			return err
		}
		return db.Audit(ctx, tx, userID, "token.create", fmt.Sprintf("user:%d", userID), detail)
	})
	if err != nil {
		return fmt.Errorf("store: create token: %w", err)
	}
	return nil
}

// Audit writes one row of the audit log in q (the transaction of the change
// it records). userID 0 is the command line, not a console user. The row's
// source is the client address WithSource put in ctx, else "cli" for the
// command line.
func (db *DB) Audit(ctx context.Context, q sqlx.ExecerContext, userID int64, action, subject, detail string) error {
	var uid any
	if userID != 0 {
		uid = userID
	}
	source := SourceOf(ctx)
	if source == "" && userID == 0 {
		source = SourceCLI
	}
	_, err := q.ExecContext(ctx, db.Rebind(`INSERT INTO audit_log (user_id, action, subject, detail, created_at, source) VALUES (?, ?, ?, ?, ?, ?)`),
		uid, action, subject, detail, db.Now(), source)
	if err != nil {
		return fmt.Errorf("store: audit %s: %w", action, err)
	}
	return nil
}

// AuditEntry is one row of the audit log, with the user's name.
type AuditEntry struct {
	ID        int64     `db:"id"`
	UserName  string    `db:"user_name"`
	Action    string    `db:"action"`
	Subject   string    `db:"subject"`
	Detail    string    `db:"detail"`
	CreatedAt time.Time `db:"created_at"`
	// Source is where it came from: a client address, or "cli".
	Source string `db:"source"`
}

const sqlAuditLog = `SELECT a.id, COALESCE(u.name, '') AS user_name, a.action, a.subject, a.detail, a.created_at, a.source
FROM audit_log a LEFT JOIN users u ON u.id = a.user_id ORDER BY a.id DESC LIMIT ?`

// AuditLog returns the newest limit rows of the audit log, newest first.
func (db *DB) AuditLog(ctx context.Context, limit int) ([]AuditEntry, error) {
	var rows []AuditEntry
	if err := db.SelectContext(ctx, &rows, db.Rebind(sqlAuditLog), limit); err != nil {
		return nil, fmt.Errorf("store: audit log: %w", err)
	}
	return rows, nil
}
