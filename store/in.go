package store

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jmoiron/sqlx"
)

// The store's one way to write a list of binds. A statement that is whole
// in the source writes "IN (?)" and passes the slice: in expands it
// (sqlx.In). A condition assembled from parts (a scope, an audience) takes
// its placeholders from binds, and a bulk INSERT its rows from rowBinds.

// planned puts in front of a PostgreSQL statement's binds the request that
// it be planned with them (pgx's unnamed statement, parsed and bound in one
// round trip). The statements in runs are written out in full with their
// optional conditions bound, "(? OR f.sub_county IN (?))": the planner folds
// such a condition away only when it sees the values, while the generic plan
// PostgreSQL keeps for a prepared statement after five runs cannot, and a
// supervisor's per-nurse report then read every worker of the country. Only
// these statements pay the planning: the hot paths keep their prepared
// statements (forcing custom plans everywhere slowed queuing a 100,000-nurse
// broadcast by half, docs/performance.md).
func (db *DB) planned(args []any) []any {
	if db.Dialect != Postgres {
		return args
	}
	return append([]any{pgx.QueryExecModeExec}, args...)
}

// in expands each slice argument of query's "IN (?)" into one bind per
// element and rebinds the statement for the dialect. A slice must not be
// empty.
func (db *DB) in(query string, args ...any) (string, []any, error) {
	q, a, err := sqlx.In(query, args...)
	if err != nil {
		return "", nil, err
	}
	return db.Rebind(q), a, nil
}

// inGet runs through q the statement query, whose "IN (?)" lists in
// expands, and scans its one row into dst.
func (db *DB) inGet(ctx context.Context, q sqlx.QueryerContext, dst any, query string, args ...any) error {
	query, args, err := db.in(query, args...)
	if err != nil {
		return err
	}
	return sqlx.GetContext(ctx, q, dst, query, db.planned(args)...)
}

// inSelect runs through q the statement query, whose "IN (?)" lists in
// expands, and scans its rows into the slice dst.
func (db *DB) inSelect(ctx context.Context, q sqlx.QueryerContext, dst any, query string, args ...any) error {
	query, args, err := db.in(query, args...)
	if err != nil {
		return err
	}
	return sqlx.SelectContext(ctx, q, dst, query, db.planned(args)...)
}

// inExec runs through e the statement query, whose "IN (?)" lists in
// expands, and returns how many rows it changed.
func (db *DB) inExec(ctx context.Context, e sqlx.ExecerContext, query string, args ...any) (int64, error) {
	query, args, err := db.in(query, args...)
	if err != nil {
		return 0, err
	}
	res, err := e.ExecContext(ctx, query, db.planned(args)...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// optionalIn returns the two binds of an optional list's condition, written
// out in full as "(? OR col IN (?))": whether the list is empty (it keeps
// every row), and the list for db.in to expand (an empty one's is a
// stand-in the OR never needs).
func optionalIn[T ~string](vals []T) (bool, []T) {
	if len(vals) == 0 {
		return true, []T{""}
	}
	return false, vals
}

// rowBinds returns "(?, ?), (?, ?)": rows rows of width binds each, the
// VALUES of a bulk INSERT.
func rowBinds(rows, width int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", width), ", ") + ")"
	return strings.TrimSuffix(strings.Repeat(one+", ", rows), ", ")
}
