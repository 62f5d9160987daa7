package admin

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// TestUnknownFacilityRegistrantReachesHerSupervisor: a nurse who registered
// with a facility code the roster does not know, and picked Kibra, is shown
// flagged to Kibra's supervisor (only an admin saw her before), who sets her
// facility; Embakasi's supervisor never sees her.
func TestUnknownFacilityRegistrantReachesHerSupervisor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		peopleFixture(h)
		h.user("otieno", store.RoleSupervisor, "Embakasi")
		w, err := db.Register(t.Context(), store.Registration{Phone: "+254711000099", Name: "Zawadi", FacilityCode: "99999",
			Language: "sw", SubCounty: "Kibra"})
		if err != nil {
			t.Fatal(err)
		}
		nurse := "/admin/nurses/" + id(w.ID)

		mine, csrf := h.loggedIn("wanjiru")
		list := mine.get("/admin/nurses?status=pending").Body.String()
		if !strings.Contains(list, "Zawadi") || !strings.Contains(list, "code not in the roster") {
			t.Errorf("Kibra's pending list lacks Zawadi, flagged:\n%s", list)
		}
		theirs, theirCSRF := h.loggedIn("otieno")
		if list := theirs.get("/admin/nurses?status=pending").Body.String(); strings.Contains(list, "Zawadi") {
			t.Errorf("Embakasi's pending list shows Zawadi:\n%s", list)
		}
		if rec := theirs.get(nurse); rec.Code != http.StatusNotFound {
			t.Errorf("Embakasi's supervisor GET %s = %d, want 404", nurse, rec.Code)
		}
		if rec := theirs.post(nurse+"/facility", form("csrf", theirCSRF, "facility_code", "F-Embakasi")); rec.Code != http.StatusNotFound {
			t.Errorf("Embakasi's supervisor sets her facility = %d, want 404", rec.Code)
		}

		mineAPI := h.api("GET", "/api/v1/workers?status=pending", h.token(h.userByName("wanjiru")), "").Body.String()
		theirAPI := h.api("GET", "/api/v1/workers?status=pending", h.token(h.userByName("otieno")), "").Body.String()
		if !strings.Contains(mineAPI, `"Zawadi"`) || !strings.Contains(mineAPI, `"unknown_facility":true`) || strings.Contains(theirAPI, "Zawadi") {
			t.Errorf("API pending workers: Kibra's %s, Embakasi's %s; want Zawadi flagged in Kibra's only", mineAPI, theirAPI)
		}

		for _, code := range []string{"F-Embakasi", "nope"} {
			if rec := mine.post(nurse+"/facility", form("csrf", csrf, "facility_code", code)); rec.Code != http.StatusUnprocessableEntity {
				t.Errorf("set facility %q = %d, want 422", code, rec.Code)
			}
		}
		if rec := mine.post(nurse+"/facility", form("csrf", csrf, "facility_code", "f-kibra")); rec.Code != http.StatusSeeOther {
			t.Fatalf("set facility F-Kibra = %d, want 303: %s", rec.Code, rec.Body)
		}
		got := h.workerRow(w.ID)
		if got.FacilityName != "Kibra Health Centre" || got.UnknownFacility {
			t.Errorf("after setting her facility: %q, unknown %v, want Kibra Health Centre from the roster", got.FacilityName, got.UnknownFacility)
		}
		if page := mine.get(nurse).Body.String(); strings.Contains(page, "code not in the roster") {
			t.Errorf("nurse page still flags her facility:\n%s", page)
		}
		if n := h.audits("worker.facility"); n != 1 {
			t.Errorf("audit rows worker.facility = %d, want 1", n)
		}
	})
}

// TestAPISetsAnUnknownFacilityRegistrantsFacility: the API places a
// registrant whose code the roster did not know, as the console does: 404 to
// another sub-county's supervisor, 422 for a code the roster does not know
// or a facility outside the scope (nothing changes), audited once.
func TestAPISetsAnUnknownFacilityRegistrantsFacility(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		peopleFixture(h)
		h.user("otieno", store.RoleSupervisor, "Embakasi")
		w, err := db.Register(t.Context(), store.Registration{Phone: "+254711000099", Name: "Zawadi", FacilityCode: "99999",
			Language: "sw", SubCounty: "Kibra"})
		if err != nil {
			t.Fatal(err)
		}
		path := "/api/v1/workers/" + id(w.ID) + "/facility"
		mine, theirs := h.token(h.userByName("wanjiru")), h.token(h.userByName("otieno"))

		if rec := h.api("POST", path, theirs, `{"facility_code":"F-Embakasi"}`); rec.Code != http.StatusNotFound {
			t.Errorf("Embakasi's supervisor POST %s = %d, want 404", path, rec.Code)
		}
		for _, body := range []string{`{"facility_code":"F-Embakasi"}`, `{"facility_code":"nope"}`, `{"facility_code":""}`, `{"code":"F-Kibra"}`} {
			if rec := h.api("POST", path, mine, body); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `"invalid"`) {
				t.Errorf("POST %s %s = %d %s, want 422 invalid", path, body, rec.Code, rec.Body)
			}
		}
		if got := h.workerRow(w.ID); !got.UnknownFacility {
			t.Fatalf("a refused code changed her facility to %q", got.FacilityName)
		}
		rec := h.api("POST", path, mine, `{"facility_code":"f-kibra"}`)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"name":"Kibra Health Centre"`) || !strings.Contains(rec.Body.String(), `"unknown_facility":false`) {
			t.Fatalf("POST %s F-Kibra = %d %s, want 200 with Kibra Health Centre, no longer flagged", path, rec.Code, rec.Body)
		}
		if n := h.audits("worker.facility"); n != 1 {
			t.Errorf("audit rows worker.facility = %d, want 1", n)
		}
	})
}
