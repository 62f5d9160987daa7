package admin

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/mentoring"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// testZone is Nairobi's, the zone of visit days in these tests.
var testZone = time.FixedZone("EAT", 3*3600)

// testMentoring changes visits with the shipped pack's rules moved to
// remind mentor and mentee the day before a visit at 08:00 in Nairobi, and
// the mentee the day after it at 08:00.
func testMentoring(db *store.DB) *mentoring.Service {
	shipped, err := lessons.Default()
	if err != nil {
		panic(err)
	}
	p := *shipped
	p.Reminders = slices.Clone(shipped.Reminders)
	for i, r := range p.Reminders {
		switch r.ID {
		case lessons.VisitBefore:
			p.Reminders[i].When.DaysBeforeVisit, p.Reminders[i].When.At = 1, lessons.Clock{Hour: 8}
		case lessons.VisitReview:
			p.Reminders[i].When.DaysAfterVisit, p.Reminders[i].When.At = 1, lessons.Clock{Hour: 8}
		}
	}
	return mentoring.New(db, &p, mentoring.Config{TZ: testZone, USSDCode: "*384*123#"})
}

// testChecklist is a content pack's checklist of two items.
var testChecklist = []lessons.ChecklistItem{
	{ID: "chk-tally", Topic: "recording", Text: lessons.Text{"en": "Tally sheet matches the register", "sw": "Alama zinalingana na rejista"}},
	{ID: "chk-ledger", Topic: "stock", Text: lessons.Text{"en": "Stock ledger matches a count", "sw": "Daftari linalingana na hesabu"}},
}

// people are the ids of peopleFixture: Kibra's (mine) and Embakasi's (theirs).
type people struct {
	myMentor, myNurse, myOther, theirMentor, theirNurse int64
	myGroup, theirGroup                                 int64
	myVisit, theirVisit                                 int64
}

// peopleFixture adds Kibra's supervisor wanjiru and an administrator; in
// Kibra the mentor Mary with her mentee Achieng and the nurse Baraka, in
// Embakasi the mentor Eve with her mentee Chebet; a group and a visit in
// each sub-county, two days from now.
func peopleFixture(h *harness) people {
	h.t.Helper()
	h.user("wanjiru", store.RoleSupervisor, "Kibra")
	h.user("root", store.RoleAdmin)
	var p people
	p.myMentor = h.worker("Mary", "+254711000010", "Kibra", store.StatusActive)
	p.myNurse = h.worker("Achieng", "+254711000011", "Kibra", store.StatusActive)
	p.myOther = h.worker("Baraka", "+254711000012", "Kibra", store.StatusActive)
	p.theirMentor = h.worker("Eve", "+254711000020", "Embakasi", store.StatusActive)
	p.theirNurse = h.worker("Chebet", "+254711000021", "Embakasi", store.StatusActive)
	storetest.Mentors(h.t, h.db, p.myMentor, p.theirMentor)
	storetest.Pair(h.t, h.db, p.myMentor, p.myNurse, h.now)
	storetest.Pair(h.t, h.db, p.theirMentor, p.theirNurse, h.now)
	p.myGroup = storetest.Group(h.t, h.db, "Kibra cohort", h.now, p.myMentor, p.myNurse)
	p.theirGroup = storetest.Group(h.t, h.db, "Embakasi cohort", h.now, p.theirNurse)
	at := h.now.Add(48 * time.Hour)
	p.myVisit = h.visit(p.myMentor, p.myNurse, at)
	p.theirVisit = h.visit(p.theirMentor, p.theirNurse, at)
	return p
}

func (h *harness) visit(mentor, mentee int64, at time.Time) int64 {
	h.t.Helper()
	v, err := testMentoring(h.db).ScheduleVisit(h.t.Context(), mentor, mentee, at)
	if err != nil {
		h.t.Fatal(err)
	}
	return v.ID
}

// snapshot is what the people routes may change, to show a refused
// request changed nothing.
func (h *harness) snapshot() string {
	h.t.Helper()
	return storetest.PeopleSnapshot(h.t, h.db)
}

func form(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

func id(n int64) string { return fmt.Sprint(n) }

// TestPeopleRoutesScoped: every console and API route of groups, pairs
// and visits answers a supervisor of Kibra 404 for Embakasi's objects and
// changes nothing; the lists and exports leave them out.
func TestPeopleRoutesScoped(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		p := peopleFixture(h)
		b, csrf := h.loggedIn("wanjiru")
		token := h.token(h.userByName("wanjiru"))
		before := h.snapshot()
		at := h.now.Add(72 * time.Hour).In(testZone).Format(sendAtLayout)
		posts := []struct {
			path string
			form url.Values
		}{
			{"/admin/groups", form("name", "New", "worker_id", id(p.theirNurse))},
			{"/admin/groups/" + id(p.theirGroup) + "/members", form("worker_id", id(p.myNurse))},
			{"/admin/groups/" + id(p.myGroup) + "/members", form("worker_id", id(p.theirNurse))},
			{"/admin/groups/" + id(p.theirGroup) + "/members/" + id(p.theirNurse) + "/remove", form()},
			{"/admin/pairs", form("mentor_id", id(p.theirMentor), "mentee_id", id(p.myOther))},
			{"/admin/pairs", form("mentor_id", id(p.myMentor), "mentee_id", id(p.theirNurse))},
			{"/admin/pairs/remove", form("mentor_id", id(p.theirMentor), "mentee_id", id(p.theirNurse))},
			{"/admin/visits", form("mentor_id", id(p.theirMentor), "mentee_id", id(p.theirNurse), "date", at[:10], "time", at[11:])},
			{"/admin/visits", form("mentor_id", id(p.myMentor), "mentee_id", id(p.theirNurse), "date", at[:10], "time", at[11:])},
			{"/admin/visits/" + id(p.theirVisit) + "/reschedule", form("date", at[:10], "time", at[11:])},
			{"/admin/visits/" + id(p.theirVisit) + "/cancel", form()},
		}
		for _, tt := range posts {
			tt.form.Set("csrf", csrf)
			if rec := b.post(tt.path, tt.form); rec.Code != http.StatusNotFound {
				t.Errorf("POST %s %v = %d, want 404", tt.path, tt.form, rec.Code)
			}
		}
		for _, path := range []string{"/admin/groups/" + id(p.theirGroup), "/admin/visits/" + id(p.theirVisit)} {
			if rec := b.get(path); rec.Code != http.StatusNotFound {
				t.Errorf("GET %s = %d, want 404", path, rec.Code)
			}
		}
		api := []struct{ method, path, body string }{
			{"GET", "/api/v1/groups/" + id(p.theirGroup), ""},
			{"GET", "/api/v1/visits/" + id(p.theirVisit), ""},
			{"PATCH", "/api/v1/visits/" + id(p.theirVisit), `{"status": "cancelled"}`},
			{"PATCH", "/api/v1/visits/" + id(p.theirVisit), `{"at": "2025-03-14T09:00:00+03:00"}`},
			{"POST", "/api/v1/visits", fmt.Sprintf(`{"mentor_id": %d, "mentee_id": %d, "at": "2025-03-14T09:00:00+03:00"}`, p.theirMentor, p.theirNurse)},
			{"POST", "/api/v1/visits", fmt.Sprintf(`{"mentor_id": %d, "mentee_id": %d, "at": "2025-03-14T09:00:00+03:00"}`, p.theirMentor, p.myNurse)},
		}
		for _, tt := range api {
			if rec := h.api(tt.method, tt.path, token, tt.body); rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), `"not_found"`) {
				t.Errorf("%s %s = %d %s, want 404 not_found", tt.method, tt.path, rec.Code, rec.Body)
			}
		}
		if diff := cmp.Diff(before, h.snapshot()); diff != "" {
			t.Errorf("refused requests changed the database (-before +after):\n%s", diff)
		}
		lists := []string{"/admin/groups", "/admin/groups.csv", "/admin/pairs.csv", "/admin/visits", "/admin/visits.csv"}
		for _, path := range lists {
			body := b.get(path).Body.String()
			if strings.Contains(body, "Chebet") || strings.Contains(body, "Embakasi") || !strings.Contains(body, "Achieng") {
				t.Errorf("GET %s shows Embakasi's people, or not Kibra's:\n%s", path, body)
			}
		}
		for _, path := range []string{"/api/v1/groups", "/api/v1/visits", "/api/v1/visits?mentor_id=" + id(p.theirMentor)} {
			if body := h.api("GET", path, token, "").Body.String(); strings.Contains(body, "Embakasi") || strings.Contains(body, "Chebet") {
				t.Errorf("GET %s shows Embakasi's objects: %s", path, body)
			}
		}
	})
}

// userByName returns the console user called name.
func (h *harness) userByName(name string) store.User {
	h.t.Helper()
	u, err := h.db.UserByName(h.t.Context(), name)
	if err != nil {
		h.t.Fatal(err)
	}
	return u
}

// TestPeopleFormsNeedCSRF: every form of groups, pairs, visits and the
// roster import without the CSRF token gets 403 and changes nothing.
func TestPeopleFormsNeedCSRF(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		p := peopleFixture(h)
		b, _ := h.loggedIn("wanjiru")
		before := h.snapshot()
		at := h.now.Add(72 * time.Hour).In(testZone).Format(sendAtLayout)
		tests := []struct {
			path string
			form url.Values
		}{
			{"/admin/groups", form("name", "New", "worker_id", id(p.myOther))},
			{"/admin/groups/" + id(p.myGroup) + "/members", form("worker_id", id(p.myOther))},
			{"/admin/groups/" + id(p.myGroup) + "/members/" + id(p.myNurse) + "/remove", form()},
			{"/admin/pairs", form("mentor_id", id(p.myMentor), "mentee_id", id(p.myOther))},
			{"/admin/pairs/remove", form("mentor_id", id(p.myMentor), "mentee_id", id(p.myNurse))},
			{"/admin/visits", form("mentor_id", id(p.myMentor), "mentee_id", id(p.myOther), "date", at[:10], "time", at[11:])},
			{"/admin/visits/" + id(p.myVisit) + "/reschedule", form("date", at[:10], "time", at[11:])},
			{"/admin/visits/" + id(p.myVisit) + "/cancel", form()},
		}
		for _, tt := range tests {
			if rec := b.post(tt.path, tt.form); rec.Code != http.StatusForbidden {
				t.Errorf("POST %s without csrf = %d, want 403", tt.path, rec.Code)
			}
		}
		rec := b.do(uploadRequest(t, "/admin/nurses/import", "", rosterHeader+"\nNeema,0711000099,nurse,sw,F-Kibra,Kibra HC,Kibra,Nairobi\n"))
		if rec.Code != http.StatusForbidden {
			t.Errorf("POST /admin/nurses/import without csrf = %d, want 403", rec.Code)
		}
		if diff := cmp.Diff(before, h.snapshot()); diff != "" {
			t.Errorf("forms without csrf changed the database (-before +after):\n%s", diff)
		}
	})
}
