package store

import (
	"strings"

	"github.com/jmoiron/sqlx"
)

// The store's one way to write a list of binds. A statement that is whole
// in the source writes "IN (?)" and passes the slice: in expands it
// (sqlx.In). A condition assembled from parts (a scope, an audience) takes
// its placeholders from binds, and a bulk INSERT its rows from rowBinds.

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

// binds returns "?, ?, ?", one bind per value, and the values as bind
// arguments.
func binds[T any](vals []T) (string, []any) {
	args := make([]any, len(vals))
	for i, v := range vals {
		args[i] = v
	}
	return strings.TrimSuffix(strings.Repeat("?, ", len(vals)), ", "), args
}

// rowBinds returns "(?, ?), (?, ?)": rows rows of width binds each, the
// VALUES of a bulk INSERT.
func rowBinds(rows, width int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", width), ", ") + ")"
	return strings.TrimSuffix(strings.Repeat(one+", ", rows), ", ")
}
