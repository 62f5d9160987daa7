package admin

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// personOption is a choice of a person in a form: an option whose value is
// a worker's id (a group's relay setting has options of words).
var personOption = regexp.MustCompile(`<option[^>]*value="\d`)

// TestPickersSearchOnTheServer: the groups and visits pages carry no list of
// people (the groups page listed all 10,424); a form names a person by
// name or number, one match is taken, several bring a page to choose from
// with each one's number, and another sub-county's people are never found.
func TestPickersSearchOnTheServer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		p := peopleFixture(h)
		twin := h.worker("Achieng", "+254711000013", "Kibra", store.StatusActive)
		b, csrf := h.loggedIn("wanjiru")
		for _, page := range []string{"/admin/groups", "/admin/groups/" + id(p.myGroup), "/admin/visits"} {
			body := b.get(page).Body.String()
			if personOption.MatchString(body) || strings.Contains(body, "Baraka") {
				t.Errorf("%s lists people in its forms:\n%s", page, body)
			}
		}

		// Two Achiengs in Kibra: the choice page tells them apart by number.
		rec := b.post("/admin/pairs", form("csrf", csrf, "mentee", "achieng", "mentor", "Mary"))
		body := rec.Body.String()
		if rec.Code != http.StatusOK || !strings.Contains(body, "254711000011") || !strings.Contains(body, "254711000013") ||
			!strings.Contains(body, `name="mentor" value="Mary"`) || strings.Contains(body, "Chebet") {
			t.Fatalf("pair with an ambiguous name = %d, want the choice page with both numbers and the mentor kept:\n%s", rec.Code, body)
		}
		rec = b.post("/admin/pairs", form("csrf", csrf, "mentee_id", id(twin), "mentor", "Mary"))
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("pair after choosing = %d, want 303: %s", rec.Code, rec.Body)
		}
		var mentor int64
		for _, pair := range storetest.Pairs(t, db) {
			if pair[1] == twin {
				mentor = pair[0]
			}
		}
		if mentor != p.myMentor {
			t.Errorf("the second Achieng's mentor = %d, want Mary (%d)", mentor, p.myMentor)
		}

		// A number in a local form finds one person; another sub-county's
		// nurse is not found; a nurse is no mentor.
		refused := []struct{ mentee, mentor string }{{"Chebet", "Mary"}, {"0711 000 012", "Achieng"}, {"", "Mary"}}
		for _, r := range refused {
			if rec := b.post("/admin/pairs", form("csrf", csrf, "mentee", r.mentee, "mentor", r.mentor)); rec.Code != http.StatusUnprocessableEntity {
				t.Errorf("pair %q with %q = %d, want 422", r.mentee, r.mentor, rec.Code)
			}
		}
		if rec := b.post("/admin/groups/"+id(p.myGroup)+"/members", form("csrf", csrf, "worker", "0711 000 012")); rec.Code != http.StatusSeeOther {
			t.Errorf("add Baraka by her local number = %d, want 303: %s", rec.Code, rec.Body)
		}

		// A visit given a date only is at 09:00; one given a time at that time.
		day := h.now.Add(72 * time.Hour).In(testZone).Format(time.DateOnly)
		for _, clock := range []string{"", "14:30"} {
			rec := b.post("/admin/visits", form("csrf", csrf, "mentor", "+254711000010", "mentee", "Baraka", "date", day, "time", clock))
			if rec.Code != http.StatusSeeOther {
				t.Fatalf("schedule at %q = %d, want 303: %s", clock, rec.Code, rec.Body)
			}
			want := "13 Mar 2025 " + map[string]string{"": "09:00", "14:30": "14:30"}[clock]
			if page := b.get(rec.Header().Get("Location")).Body.String(); !strings.Contains(page, want) {
				t.Errorf("visit scheduled at %q: page lacks %q:\n%s", clock, want, page)
			}
		}
	})
}
