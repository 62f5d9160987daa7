package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// IdempotencyWindow is how long a broadcast's idempotency key holds: a
// retry within it returns the first broadcast, a key used after it creates
// a new one.
const IdempotencyWindow = 24 * time.Hour

// MaxIdempotencyKey is the longest idempotency key accepted, in bytes.
const MaxIdempotencyKey = 255

// ErrKeyReused is wrapped by CreateBroadcastOnce's error when the key was
// used within IdempotencyWindow for a different broadcast.
var ErrKeyReused = &InputError{"idempotency_key", "this key was used for a different broadcast in the last 24 hours"}

// CreateBroadcastOnce is CreateBroadcast under an idempotency key: the
// first call with key creates the broadcast (created is true); a call
// with the same key by the same user within IdempotencyWindow and the same
// request returns that broadcast and creates nothing, and one with a
// different request is refused with ErrKeyReused. Calls racing on one key
// create one broadcast: the key's row is written first, so the second
// waits for the first to commit (PostgreSQL) or to release the database
// (SQLite). A refused request keeps no key.
func (db *DB) CreateBroadcastOnce(ctx context.Context, sc Scope, userID int64, key string, nb NewBroadcast) (b Broadcast, created bool, err error) {
	if key == "" || len(key) > MaxIdempotencyKey {
		return Broadcast{}, false, fmt.Errorf("store: create broadcast: %w",
			&InputError{"idempotency_key", fmt.Sprintf("the key must be 1 to %d characters", MaxIdempotencyKey)})
	}
	hash := nb.hash()
	var id int64
	err = db.Tx(ctx, func(tx *Tx) error {
		var err error
		id, created, err = db.claimKey(ctx, tx, userID, key, hash)
		if err != nil || !created {
			return err
		}
		if id, err = db.createBroadcast(ctx, tx, sc, userID, nb); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, db.Rebind(`UPDATE broadcast_keys SET broadcast_id = ? WHERE user_id = ? AND key = ?`), id, userID, key)
		if err != nil {
			return fmt.Errorf("store: create broadcast: keep key: %w", err)
		}
		return nil
	})
	if err != nil {
		return Broadcast{}, false, err
	}
	b, err = db.Broadcast(ctx, sc, id)
	return b, created, err
}

const sqlClaimKey = `INSERT INTO broadcast_keys (user_id, key, request_hash, created_at) VALUES (?, ?, ?, ?)
ON CONFLICT (user_id, key) DO NOTHING`

// claimKey writes the key's row and reports true, or returns the broadcast
// an earlier request with the key created. Keys past the window are
// forgotten first, so an old key is free again.
func (db *DB) claimKey(ctx context.Context, tx *Tx, userID int64, key, hash string) (int64, bool, error) {
	id, created, err := db.claimKeyTx(ctx, tx, userID, key, hash)
	if err != nil {
		return 0, false, fmt.Errorf("store: create broadcast: claim key: %w", err)
	}
	return id, created, nil
}

func (db *DB) claimKeyTx(ctx context.Context, tx *Tx, userID int64, key, hash string) (int64, bool, error) {
	now := db.Now().UTC()
	if _, err := tx.ExecContext(ctx, db.Rebind(`DELETE FROM broadcast_keys WHERE created_at < ?`), now.Add(-IdempotencyWindow)); err != nil {
		return 0, false, err
	}
	res, err := tx.ExecContext(ctx, db.Rebind(sqlClaimKey), userID, key, hash, now)
	if err != nil {
		return 0, false, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return 0, err == nil, err
	}
	// The key's row and its broadcast commit together, so a committed row
	// found here has its broadcast id.
	var first struct {
		Hash string `db:"request_hash"`
		ID   int64  `db:"broadcast_id"`
	}
	err = tx.GetContext(ctx, &first, db.Rebind(`SELECT request_hash, COALESCE(broadcast_id, 0) AS broadcast_id
FROM broadcast_keys WHERE user_id = ? AND key = ?`), userID, key)
	switch {
	case err != nil:
		return 0, false, err
	case first.Hash != hash:
		return 0, false, ErrKeyReused
	}
	return first.ID, false, nil
}

// hash identifies the request: the broadcast as the store would write it,
// so a retry that spells the same request differently (spaces around the
// body, a repeated audience value) is still the same request.
func (nb NewBroadcast) hash() string {
	canon := struct {
		Audience    Audience
		Body        string
		Urgent      bool
		SendAt      time.Time
		ConfirmLong bool
	}{nb.Audience.clean(), strings.TrimSpace(nb.Body), nb.Urgent, nb.SendAt.UTC(), nb.ConfirmLong}
	b, _ := json.Marshal(canon) // plain strings, bools and a time: cannot fail
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
