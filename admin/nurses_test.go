package admin

import (
	"encoding/csv"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// TestSupervisorCannotUndoStop: a nurse who sent STOP stays opted out
// whatever a supervisor posts, on the console or the API, and her page says
// how and when she opted out, in a box no one can tick.
func TestSupervisorCannotUndoStop(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		h.user("wanjiru", store.RoleSupervisor, "Kibra")
		id := h.worker("Achieng", "+254722000123", "Kibra", store.StatusActive)
		err := db.RecordOptOut(t.Context(), db, store.OptOut{Phone: "+254722000123", Channel: store.ChannelSMS, Reason: store.OptOutKeyword, Detail: "STOP by SMS"})
		if err != nil {
			t.Fatal(err)
		}
		b, csrf := h.loggedIn("wanjiru")
		path := fmt.Sprintf("/admin/nurses/%d", id)
		page := b.get(path).Body.String()
		if !strings.Contains(page, "opted out by SMS on") || !regexp.MustCompile(`<input type="checkbox" disabled checked>`).MatchString(page) {
			t.Errorf("nurse page does not show a read-only, ticked opt-out with its date:\n%s", page)
		}
		// The form of a page loaded before this change still posted opted_out.
		for _, out := range []string{"", "0"} {
			b.post(path, url.Values{"csrf": {csrf}, "language": {"sw"}, "opted_out": {out}})
		}
		if rec := h.api("PATCH", fmt.Sprintf("/api/v1/workers/%d", id), h.token(h.userByName("wanjiru")), `{"opted_out": false}`); rec.Code != http.StatusUnprocessableEntity ||
			!strings.Contains(rec.Body.String(), "START") {
			t.Errorf("API opted_out false = %d %s, want 422 naming START", rec.Code, rec.Body)
		}
		if w := h.workerRow(id); !w.OptedOut || w.Language != "sw" {
			t.Errorf("after the supervisor's saves: opted out %t, language %s; want still opted out, sw saved", w.OptedOut, w.Language)
		}
	})
}

// TestNurseSearchAndCSVKeepTheFilter: part of a number in a local form
// finds the nurse, the sub-county filter ignores case, and the page's
// "Download CSV" link gives exactly the rows the page shows.
func TestNurseSearchAndCSVKeepTheFilter(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		h.user("root", store.RoleAdmin)
		h.worker("Achieng", "+254722000123", "Kibra", store.StatusActive)
		h.worker("Akinyi", "+254733111222", "Kibra", store.StatusActive)
		h.worker("Baraka", "+254722999888", "Embakasi", store.StatusActive)
		b, _ := h.loggedIn("root")
		for _, q := range []string{"0722000", "0722 000", "+254722000", "722000"} {
			page := b.get("/admin/nurses?q=" + url.QueryEscape(q)).Body.String()
			if !strings.Contains(page, "Achieng") || strings.Contains(page, "Baraka") || strings.Contains(page, "Akinyi") {
				t.Errorf("search %q: want Achieng only", q)
			}
		}
		page := b.get("/admin/nurses?sub_county=kibra").Body.String()
		if !strings.Contains(page, "Achieng") || !strings.Contains(page, "Akinyi") || strings.Contains(page, "Baraka") {
			t.Errorf("sub_county=kibra: want Kibra's two nurses only")
		}
		m := regexp.MustCompile(`<a href="([^"]+)">Download CSV</a>`).FindStringSubmatch(page)
		if m == nil {
			t.Fatal("no Download CSV link on the filtered page")
		}
		link := html.UnescapeString(m[1])
		rec := b.get(link)
		rows, err := csv.NewReader(rec.Body).ReadAll()
		if err != nil {
			t.Fatalf("GET %s: %v", link, err)
		}
		var names []string
		for _, r := range rows[1:] {
			names = append(names, r[1])
		}
		if strings.Join(names, ",") != "Achieng,Akinyi" {
			t.Errorf("CSV of %s has %v, want the page's rows Achieng,Akinyi", link, names)
		}
	})
}

// TestNurseLanguagesFromThePack: the language choice lists the content
// pack's languages by name, and a code the pack does not declare is
// refused on the console and the API with nothing saved.
func TestNurseLanguagesFromThePack(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		h.user("root", store.RoleAdmin)
		id := h.worker("Achieng", "+254722000123", "Kibra", store.StatusActive)
		b, csrf := h.loggedIn("root")
		path := fmt.Sprintf("/admin/nurses/%d", id)
		page := b.get(path).Body.String()
		for _, want := range []string{`<option value="en" selected>English</option>`, `<option value="sw">Kiswahili</option>`} {
			if !strings.Contains(page, want) {
				t.Errorf("nurse page lacks %s", want)
			}
		}
		if rec := b.post(path, url.Values{"csrf": {csrf}, "language": {"kam"}}); rec.Code != http.StatusUnprocessableEntity ||
			!strings.Contains(rec.Body.String(), "English, Kiswahili") {
			t.Errorf("console language kam = %d, want 422 naming the languages", rec.Code)
		}
		if rec := h.api("PATCH", fmt.Sprintf("/api/v1/workers/%d", id), h.token(h.userByName("root")), `{"language": "kam"}`); rec.Code != http.StatusUnprocessableEntity ||
			!strings.Contains(rec.Body.String(), "must be en or sw") {
			t.Errorf("API language kam = %d %s, want 422 must be en or sw", rec.Code, rec.Body)
		}
		if w := h.workerRow(id); w.Language != "en" {
			t.Errorf("language after refused changes = %s, want en", w.Language)
		}
	})
}
