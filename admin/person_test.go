package admin

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// An administrator exports a nurse's data and erases it from her page; a
// supervisor whose scope holds her can do neither.
func TestAdminExportsAndErasesAPerson(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		h.user("root", store.RoleAdmin)
		h.user("amina", store.RoleSupervisor, "Embakasi")
		id := h.worker("Chebet Kiprono", "+254711000003", "Embakasi", store.StatusActive)
		page := fmt.Sprintf("/admin/nurses/%d", id)

		sup, supCSRF := h.loggedIn("amina")
		if strings.Contains(sup.get(page).Body.String(), "export.json") {
			t.Errorf("a supervisor's %s offers the export", page)
		}
		if rec := sup.get(page + "/export.json"); rec.Code != http.StatusForbidden {
			t.Errorf("supervisor GET export.json = %d, want 403", rec.Code)
		}
		if rec := sup.post(page+"/erase", url.Values{"csrf": {supCSRF}, "confirm": {"1"}}); rec.Code != http.StatusForbidden {
			t.Errorf("supervisor POST erase = %d, want 403", rec.Code)
		}

		b, csrf := h.loggedIn("root")
		if !strings.Contains(b.get(page).Body.String(), "Erase her data") {
			t.Errorf("the admin's %s lacks the erase form", page)
		}
		rec := b.get(page + "/export.json")
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Chebet Kiprono") {
			t.Errorf("GET export.json = %d %q, want her worker row", rec.Code, rec.Body)
		}
		if rec := b.get(page + "/export.zip"); rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/zip" {
			t.Errorf("GET export.zip = %d %q, want a zip", rec.Code, rec.Header().Get("Content-Type"))
		}
		if n := h.audits("person.export"); n != 2 {
			t.Errorf("person.export audited %d times, want 2", n)
		}
		b.post(page+"/erase", url.Values{"csrf": {csrf}})
		if w := h.workerRow(id); w.Name != "Chebet Kiprono" {
			t.Errorf("erase without confirmation left name %q, want it kept", w.Name)
		}
		if rec := b.post(page+"/erase", url.Values{"csrf": {csrf}, "confirm": {"1"}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("POST erase = %d, want 303: %s", rec.Code, rec.Body)
		}
		want := fmt.Sprintf("erased-%d", id)
		if w := h.workerRow(id); w.Name != want || w.Phone != want {
			t.Errorf("after erasure name %q phone %q, want both %q", w.Name, w.Phone, want)
		}
		if n := h.audits("person.erase"); n != 1 {
			t.Errorf("person.erase audited %d times, want 1", n)
		}
	})
}
