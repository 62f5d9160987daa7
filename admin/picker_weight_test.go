package admin

import (
	"fmt"
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
		const n = 10_000
		kibra := storetest.Facility(t, db, "F-Kibra", "", "", "", h.now)
		storetest.Nurses(t, db, kibra, "Nurse Wanjiku Achieng", 20_000_000, n, h.now)
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
