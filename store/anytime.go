package store

import (
	"fmt"
	"time"
)

// anyTime scans a timestamp that SQLite returns as text: a column read
// through an expression or subquery loses its declared type, and the
// driver then hands over the stored string. NULL scans as the zero time.
type anyTime time.Time

// sqliteLayouts are the ways modernc's SQLite driver writes a time.Time.
var sqliteLayouts = []string{"2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999", time.RFC3339Nano}

// Scan implements sql.Scanner.
func (t *anyTime) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*t = anyTime{}
		return nil
	case time.Time:
		*t = anyTime(v)
		return nil
	case string:
		for _, layout := range sqliteLayouts {
			if p, err := time.Parse(layout, v); err == nil {
				*t = anyTime(p)
				return nil
			}
		}
	}
	return fmt.Errorf("store: scan time: unreadable %T %v", src, src)
}
