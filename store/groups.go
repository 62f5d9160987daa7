package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Group is a cohort of workers. Members counts those inside the scope it
// was read with: a supervisor sees only her own nurses of a group.
type Group struct {
	ID        int64     `db:"id"`
	Name      string    `db:"name"`
	Members   int       `db:"members"`
	CreatedAt time.Time `db:"created_at"`
	// Relay is RelayAuto, RelayOn or RelayOff: whether members' G
	// messages are relayed (auto: up to RelayLimit members).
	Relay string `db:"relay"`
}

// MaxGroupName is the longest group name, as for a roster's group column.
const MaxGroupName = 100

// sqlGroupsInScope selects the groups inside a scope with the number of
// their members inside it. Its binds: whether the scope is an admin's, its
// sub-counties (Scope.inArgs), twice: an administrator sees every group, a
// supervisor those with a member of hers.
const sqlGroupsInScope = `SELECT g.id, g.name, g.created_at, g.relay,
  (SELECT COUNT(*) FROM group_members gm JOIN workers w ON w.id = gm.worker_id
   LEFT JOIN facilities f ON f.id = w.facility_id WHERE gm.group_id = g.id AND (? OR f.sub_county IN (?))) AS members
FROM groups g WHERE (? OR EXISTS (SELECT 1 FROM group_members gm JOIN workers w ON w.id = gm.worker_id
  LEFT JOIN facilities f ON f.id = w.facility_id WHERE gm.group_id = g.id AND f.sub_county IN (?)))`

const (
	sqlGroups = sqlGroupsInScope + ` ORDER BY g.name, g.id`
	sqlGroup  = sqlGroupsInScope + ` AND g.id = ?`
)

// sqlGroupMembers selects a group's members inside a scope (binds: the
// scope's two, then the group), by name.
const sqlGroupMembers = sqlWorkerRows + `(? OR f.sub_county IN (?))
  AND w.id IN (SELECT worker_id FROM group_members WHERE group_id = ?) ORDER BY w.name, w.id`

// Groups returns the groups inside the scope by name, with the number of
// their members inside it. An administrator also sees empty groups.
func (db *DB) Groups(ctx context.Context, sc Scope) ([]Group, error) {
	gs := []Group{}
	if sc.none() {
		return gs, nil
	}
	admin, subCounties := sc.inArgs()
	q, args, err := db.in(sqlGroups, admin, subCounties, admin, subCounties)
	if err == nil {
		err = db.SelectContext(ctx, &gs, q, args...)
	}
	if err != nil {
		return nil, fmt.Errorf("store: groups: %w", err)
	}
	for i := range gs {
		gs[i].CreatedAt = gs[i].CreatedAt.UTC()
	}
	return gs, nil
}

// GroupInScope returns the group with the id and its members inside the
// scope, by name; ErrNotFound when there is none or it is outside the scope.
func (db *DB) GroupInScope(ctx context.Context, sc Scope, id int64) (Group, []WorkerRow, error) {
	g, err := db.groupInScope(ctx, db, sc, id)
	if err != nil {
		return Group{}, nil, fmt.Errorf("store: group %d: %w", id, err)
	}
	admin, subCounties := sc.inArgs()
	members := []WorkerRow{}
	q, args, err := db.in(sqlGroupMembers, admin, subCounties, id)
	if err == nil {
		err = db.SelectContext(ctx, &members, q, args...)
	}
	if err != nil {
		return Group{}, nil, fmt.Errorf("store: group %d members: %w", id, err)
	}
	return g, members, nil
}

// Group returns the group with the id, without its members; ErrNotFound
// when there is none or it is outside the scope. A page of its members
// comes from Workers with WorkerFilter.Group.
func (db *DB) Group(ctx context.Context, sc Scope, id int64) (Group, error) {
	g, err := db.groupInScope(ctx, db, sc, id)
	if err != nil {
		return Group{}, fmt.Errorf("store: group %d: %w", id, err)
	}
	return g, nil
}

// groupInScope reads the group with the id through q; ErrNotFound when
// there is none or it is outside the scope.
func (db *DB) groupInScope(ctx context.Context, q getter, sc Scope, id int64) (Group, error) {
	if sc.none() {
		return Group{}, ErrNotFound
	}
	admin, subCounties := sc.inArgs()
	query, args, err := db.in(sqlGroup, admin, subCounties, admin, subCounties, id)
	if err != nil {
		return Group{}, err
	}
	var g Group
	err = q.GetContext(ctx, &g, query, args...)
	if errors.Is(err, sql.ErrNoRows) {
		return Group{}, ErrNotFound
	}
	g.CreatedAt = g.CreatedAt.UTC()
	return g, err
}

// CreateGroup creates a group named name with its first member, the worker
// with workerID inside the scope, and writes the audit log, in one
// transaction. A name already taken (in any case) or empty is an
// *InputError; a worker outside the scope is ErrNotFound.
func (db *DB) CreateGroup(ctx context.Context, sc Scope, userID int64, name string, workerID int64) (Group, error) {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > MaxGroupName {
		return Group{}, &InputError{Field: "name", Message: fmt.Sprintf("give the group a name of 1 to %d characters", MaxGroupName)}
	}
	var g Group
	err := db.Tx(ctx, func(tx *Tx) error {
		if _, err := workerInScope(ctx, tx, sc, workerID); err != nil {
			return err
		}
		var taken int
		if err := tx.GetContext(ctx, &taken, db.Rebind(`SELECT COUNT(*) FROM groups WHERE LOWER(name) = LOWER(?)`), name); err != nil {
			return err
		}
		if taken > 0 {
			return &InputError{Field: "name", Message: fmt.Sprintf("a group named %q already exists", name)}
		}
		var id int64
		if err := tx.GetContext(ctx, &id, db.Rebind(`INSERT INTO groups (name, created_at) VALUES (?, ?) RETURNING id`), name, db.Now()); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, db.Rebind(sqlAddMember), id, workerID); err != nil {
			return err
		}
		if err := db.Audit(ctx, tx, userID, "group.create", fmt.Sprintf("group:%d", id), fmt.Sprintf("%s, first member worker:%d", name, workerID)); err != nil {
			return err
		}
		var err error
		g, err = db.groupInScope(ctx, tx, sc, id)
		return err
	})
	if err != nil {
		return Group{}, fmt.Errorf("store: create group: %w", err)
	}
	return g, nil
}

const sqlAddMember = `INSERT INTO group_members (group_id, worker_id) VALUES (?, ?) ON CONFLICT (group_id, worker_id) DO NOTHING`

// AddGroupMember adds the worker to the group, both inside the scope, and
// writes the audit log in the same transaction. Adding her again changes
// nothing; ErrNotFound when either is outside the scope.
func (db *DB) AddGroupMember(ctx context.Context, sc Scope, userID, groupID, workerID int64) error {
	err := db.Tx(ctx, func(tx *Tx) error {
		if _, err := db.groupInScope(ctx, tx, sc, groupID); err != nil {
			return err
		}
		if _, err := workerInScope(ctx, tx, sc, workerID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, db.Rebind(sqlAddMember), groupID, workerID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		return db.Audit(ctx, tx, userID, "group.add", fmt.Sprintf("group:%d", groupID), fmt.Sprintf("worker:%d", workerID))
	})
	if err != nil {
		return fmt.Errorf("store: add worker %d to group %d: %w", workerID, groupID, err)
	}
	return nil
}

// RemoveGroupMember takes the worker inside the scope out of the group and
// writes the audit log in the same transaction; ErrNotFound when she is
// outside the scope or not a member.
func (db *DB) RemoveGroupMember(ctx context.Context, sc Scope, userID, groupID, workerID int64) error {
	err := db.Tx(ctx, func(tx *Tx) error {
		if _, err := workerInScope(ctx, tx, sc, workerID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, db.Rebind(`DELETE FROM group_members WHERE group_id = ? AND worker_id = ?`), groupID, workerID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return notFoundUnless(err)
		}
		return db.Audit(ctx, tx, userID, "group.remove", fmt.Sprintf("group:%d", groupID), fmt.Sprintf("worker:%d", workerID))
	})
	if err != nil {
		return fmt.Errorf("store: remove worker %d from group %d: %w", workerID, groupID, err)
	}
	return nil
}

// notFoundUnless returns err, or ErrNotFound when err is nil: a statement
// that changed no row found nothing to change.
func notFoundUnless(err error) error {
	if err != nil {
		return err
	}
	return ErrNotFound
}
