package admin

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/lessons/i18n"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// testRegistrationNotice words the decision so the tests can read it.
var testRegistrationNotice = &store.RegistrationNotice{
	Approved: i18n.Text{"en": "approved=true lang=en", "sw": "approved=true lang=sw"},
	Rejected: i18n.Text{"en": "approved=false lang=en", "sw": "approved=false lang=sw"},
}

// A supervisor approves a pending registration on the console, an
// administrator rejects one (a supervisor may not); each nurse gets one SMS
// of the decision, and a second click sends nothing.
func TestRegistrationDecisionsAreSent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		h.user("wanjiru", store.RoleSupervisor, "Kibra")
		h.user("amina", store.RoleAdmin)
		achieng := h.worker("Achieng", "+254711000001", "Kibra", store.StatusPending)
		otieno := h.worker("Otieno", "+254711000002", "Kibra", store.StatusPending)
		sup, supCSRF := h.loggedIn("wanjiru")
		admin, adminCSRF := h.loggedIn("amina")
		steps := []struct {
			who    *browser
			csrf   string
			path   string
			status int
		}{
			{sup, supCSRF, fmt.Sprintf("/admin/nurses/%d/reject", otieno), http.StatusForbidden},
			{sup, supCSRF, fmt.Sprintf("/admin/nurses/%d/approve", achieng), http.StatusSeeOther},
			{admin, adminCSRF, fmt.Sprintf("/admin/nurses/%d/reject", otieno), http.StatusSeeOther},
			{sup, supCSRF, fmt.Sprintf("/admin/nurses/%d/approve", achieng), http.StatusSeeOther},
			{admin, adminCSRF, fmt.Sprintf("/admin/nurses/%d/approve", otieno), http.StatusSeeOther},
		}
		for _, s := range steps {
			if rec := s.who.post(s.path, url.Values{"csrf": {s.csrf}}); rec.Code != s.status {
				t.Errorf("POST %s = %d, want %d", s.path, rec.Code, s.status)
			}
		}
		if got := h.workerRow(otieno).Status; got != store.StatusInactive {
			t.Errorf("rejected registration: status %s, want inactive", got)
		}
		var sent []string
		for _, o := range storetest.Outbox(t, db) {
			sent = append(sent, o.Phone+" "+o.Body)
		}
		want := []string{"+254711000001 approved=true lang=en", "+254711000002 approved=false lang=en"}
		if diff := cmp.Diff(want, sent); diff != "" {
			t.Errorf("SMS queued (-want +got):\n%s", diff)
		}
	})
}
