package store

import (
	"context"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// PersonTableNames lists the tables an export covers, in its order, for the
// tests of package store_test.
func PersonTableNames() []string {
	names := make([]string, len(personTables))
	for i, t := range personTables {
		names[i] = t.name
	}
	return names
}

// ClaimPlan is PostgreSQL's plan of a claim of limit rows now.
func ClaimPlan(db *DB, limit int) (string, error) {
	now := db.Now().UTC()
	var lines []string
	err := db.Select(&lines, db.Rebind("EXPLAIN "+sqlClaimPostgres), "x", now.Add(time.Minute), now, now, now, true, "", "", limit)
	return strings.Join(lines, "\n"), err
}

// InGet is db.inGet for the tests of package store_test.
func InGet(ctx context.Context, db *DB, q sqlx.QueryerContext, dst any, query string, args ...any) error {
	return db.inGet(ctx, q, dst, query, args...)
}

// JoinedAnswer is one answer of a joined write (WriteAnswers).
type JoinedAnswer = answerRow

// WriteAnswers is the joined write of RecordAnswer, called with answers
// that concurrent callers would have to meet in one commit to share it.
func WriteAnswers(ctx context.Context, db *DB, rows []JoinedAnswer) error {
	return db.writeAnswers(ctx, rows)
}
