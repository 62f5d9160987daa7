package admin

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// TestPeoplePagesStayLight: with 10,000 active nurses in one sub-county the
// pages whose forms name people (groups, a group, visits, a question) stay
// under maxPageBytes for her supervisor: they search on submit instead of
// listing everyone.
func TestPeoplePagesStayLight(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		p := peopleFixture(h)
		ctx, now := context.Background(), h.now
		const n, chunk = 10_000, 500
		for start := 0; start < n; start += chunk {
			args := make([]any, 0, 3*chunk)
			for i := start; i < start+chunk; i++ {
				args = append(args, fmt.Sprintf("+2547%08d", 20_000_000+i), now, now)
			}
			q := `INSERT INTO workers (phone, name, facility_id, status, created_at, updated_at) VALUES ` +
				strings.TrimSuffix(strings.Repeat(`(?, 'Nurse Wanjiku Achieng', (SELECT id FROM facilities WHERE code = 'F-Kibra'), 'active', ?, ?),`, chunk), ",")
			if _, err := db.ExecContext(ctx, db.Rebind(q), args...); err != nil {
				t.Fatal(err)
			}
		}
		q := h.ask(p.myOther, "Where is the MOH 710?")
		b, _ := h.loggedIn("wanjiru")
		for _, page := range []string{"/admin/groups", "/admin/groups/" + id(p.myGroup), "/admin/visits", fmt.Sprintf("/admin/questions/%d", q)} {
			rec := b.get(page)
			t.Logf("%s: %d bytes with %d nurses", page, rec.Body.Len(), n)
			if rec.Code != 200 || rec.Body.Len() > maxPageBytes {
				t.Errorf("GET %s = %d, %d bytes, want 200 under %d bytes", page, rec.Code, rec.Body.Len(), maxPageBytes)
			}
		}
	})
}
