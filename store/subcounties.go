package store

import (
	"context"
	"fmt"
)

// sqlPlaceFacility puts an unverified facility without a sub-county in the
// one a registering nurse picked; the roster's facilities keep theirs.
const sqlPlaceFacility = `UPDATE facilities SET sub_county = ?, updated_at = ?
WHERE id = ? AND NOT verified AND sub_county = ''`

// SubCounties returns the sub-counties of the roster's facilities, by name:
// the list a nurse with a facility code the roster does not know picks from.
func (db *DB) SubCounties(ctx context.Context) ([]string, error) {
	var out []string
	err := db.SelectContext(ctx, &out, `SELECT DISTINCT sub_county FROM facilities WHERE verified AND sub_county <> '' ORDER BY sub_county`)
	if err != nil {
		return nil, fmt.Errorf("store: sub-counties: %w", err)
	}
	return out, nil
}
