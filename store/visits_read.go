package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// VisitRow is a visit as the console and the API list it: with the
// mentee's facility, where the visit happens.
type VisitRow struct {
	Visit
	FacilityName string `db:"facility_name"`
	SubCounty    string `db:"sub_county"`
}

// VisitFilter narrows a visit listing; zero values do not filter.
type VisitFilter struct {
	From, To time.Time // scheduled at From or later, before To
	MentorID int64
	Status   string // scheduled | done | cancelled
	// Newest lists the latest first (recent visits done) instead of the
	// earliest first (a calendar).
	Newest bool
	Limit  int // at most MaxVisitRows; 0 means MaxVisitRows
}

// MaxVisitRows is the most visits one listing returns.
const MaxVisitRows = 1000

const sqlVisitRows = `SELECT v.id, v.mentor_id, v.mentee_id, m.name AS mentor_name, e.name AS mentee_name,
       v.scheduled_at, v.status, v.done_at, COALESCE(f.name, '') AS facility_name, COALESCE(f.sub_county, '') AS sub_county
FROM visits v JOIN workers m ON m.id = v.mentor_id JOIN workers e ON e.id = v.mentee_id
LEFT JOIN facilities f ON f.id = e.facility_id`

// sqlVisitsWhere keeps the visits whose mentee is inside the scope that
// match a VisitFilter (each condition off when its first bind says so).
const sqlVisitsWhere = `
WHERE (? OR f.sub_county IN (?))
  AND (? OR v.scheduled_at >= ?) AND (? OR v.scheduled_at < ?)
  AND (? = 0 OR v.mentor_id = ?) AND (? = '' OR v.status = ?)`

// A listing of visits, the earliest first (a calendar) or the latest first
// (recent visits done); one visit.
const (
	sqlVisitsCalendar = sqlVisitRows + sqlVisitsWhere + `
ORDER BY v.scheduled_at, v.id LIMIT ?`
	sqlVisitsNewest = sqlVisitRows + sqlVisitsWhere + `
ORDER BY COALESCE(v.done_at, v.scheduled_at) DESC, v.id DESC LIMIT ?`
	sqlVisitInScope = sqlVisitRows + `
WHERE (? OR f.sub_county IN (?)) AND v.id = ?`
)

// Visits returns the visits whose mentee is inside the scope that match
// the filter, ordered by time.
func (db *DB) Visits(ctx context.Context, sc Scope, f VisitFilter) ([]VisitRow, error) {
	query := sqlVisitsCalendar
	if f.Newest {
		query = sqlVisitsNewest
	}
	limit := f.Limit
	if limit <= 0 || limit > MaxVisitRows {
		limit = MaxVisitRows
	}
	admin, subCounties := sc.inArgs()
	rows := []VisitRow{}
	err := db.inSelect(ctx, db, &rows, query, admin, subCounties, f.From.IsZero(), f.From.UTC(), f.To.IsZero(), f.To.UTC(),
		f.MentorID, f.MentorID, f.Status, f.Status, limit)
	if err != nil {
		return nil, fmt.Errorf("store: visits: %w", err)
	}
	for i := range rows {
		rows[i].utc()
	}
	return rows, nil
}

// VisitInScope returns the visit with the id if its mentee is inside the
// scope, else ErrNotFound: the caller cannot tell the two apart.
func (db *DB) VisitInScope(ctx context.Context, sc Scope, id int64) (VisitRow, error) {
	admin, subCounties := sc.inArgs()
	var v VisitRow
	err := db.inGet(ctx, db, &v, sqlVisitInScope, admin, subCounties, id)
	if errors.Is(err, sql.ErrNoRows) {
		return VisitRow{}, ErrNotFound
	}
	if err != nil {
		return VisitRow{}, fmt.Errorf("store: visit %d: %w", id, err)
	}
	v.utc()
	return v, nil
}
