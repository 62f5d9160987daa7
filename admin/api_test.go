package admin

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

func TestAPINeedsToken(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		token := h.token(h.user("script", store.RoleAdmin))
		calc := `{"vaccine": "penta", "stock_on_hand": 100, "amc": 50}`
		tests := []struct {
			name, method, path, token, body string
			status                          int
		}{
			{"workers without token", "GET", "/api/v1/workers", "", "", http.StatusUnauthorized},
			{"workers with a wrong token", "GET", "/api/v1/workers", "chj_nope", "", http.StatusUnauthorized},
			{"workers with token", "GET", "/api/v1/workers", token, "", http.StatusOK},
			{"calculator without token", "POST", "/api/v1/calculators/months-of-stock", "", calc, http.StatusUnauthorized},
			{"calculator with token", "POST", "/api/v1/calculators/months-of-stock", token, calc, http.StatusOK},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				rec := h.api(tt.method, tt.path, tt.token, tt.body)
				if rec.Code != tt.status {
					t.Fatalf("%s %s = %d, want %d: %s", tt.method, tt.path, rec.Code, tt.status, rec.Body)
				}
				if tt.status == http.StatusUnauthorized {
					var e errorBody
					if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error.Code != "unauthorized" || e.Error.Message == "" {
						t.Errorf("401 body = %s, want the error shape with code unauthorized", rec.Body)
					}
				}
			})
		}
	})
}

// workerList is the body of GET /api/v1/workers.
type workerList struct {
	Workers []workerJSON `json:"workers"`
	Total   int          `json:"total"`
}

func TestAPIWorkersScoped(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		token := h.token(h.user("wanjiru", store.RoleSupervisor, "Kibra"))
		mine := h.worker("Achieng", "+254711000001", "Kibra", store.StatusPending)
		h.worker("Baraka", "+254711000002", "Kibra", store.StatusActive)
		theirs := h.worker("Chebet", "+254711000003", "Embakasi", store.StatusPending)
		tests := []struct {
			query string
			want  []string
		}{
			{"", []string{"Achieng", "Baraka"}},
			{"?status=pending", []string{"Achieng"}},
			{"?q=0711000002", []string{"Baraka"}},
			{"?sub_county=Embakasi", []string{}},
			{"?limit=1&offset=1", []string{"Baraka"}},
		}
		for _, tt := range tests {
			rec := h.api("GET", "/api/v1/workers"+tt.query, token, "")
			var got workerList
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || rec.Code != http.StatusOK {
				t.Fatalf("GET /api/v1/workers%s = %d %s", tt.query, rec.Code, rec.Body)
			}
			names := []string{}
			for _, w := range got.Workers {
				names = append(names, w.Name)
			}
			if diff := cmp.Diff(tt.want, names); diff != "" {
				t.Errorf("GET /api/v1/workers%s names diff (-want +got):\n%s", tt.query, diff)
			}
		}
		statuses := []struct {
			method, path, body string
			status             int
		}{
			{"GET", fmt.Sprintf("/api/v1/workers/%d", theirs), "", http.StatusNotFound},
			{"PATCH", fmt.Sprintf("/api/v1/workers/%d", theirs), `{"status": "active"}`, http.StatusNotFound},
			{"GET", "/api/v1/workers/nope", "", http.StatusNotFound},
			{"GET", "/api/v1/workers?limit=-1&status=gone", "", http.StatusUnprocessableEntity},
			{"PATCH", fmt.Sprintf("/api/v1/workers/%d", mine), `{"status": "inactive"}`, http.StatusForbidden},
			{"PATCH", fmt.Sprintf("/api/v1/workers/%d", mine), `{"language": "fr", "colour": 1}`, http.StatusUnprocessableEntity},
			{"PATCH", fmt.Sprintf("/api/v1/workers/%d", mine), `{"language": "fr"}`, http.StatusUnprocessableEntity},
			{"GET", fmt.Sprintf("/api/v1/workers/%d", mine), "", http.StatusOK},
		}
		for _, tt := range statuses {
			if rec := h.api(tt.method, tt.path, token, tt.body); rec.Code != tt.status {
				t.Errorf("%s %s %s = %d, want %d: %s", tt.method, tt.path, tt.body, rec.Code, tt.status, rec.Body)
			}
		}
		if w := h.workerRow(theirs); w.Status != store.StatusPending {
			t.Errorf("other sub-county's worker changed: %+v", w)
		}
		if n := h.audits("worker.update"); n != 0 {
			t.Errorf("audit rows after refused changes = %d, want 0", n)
		}
	})
}

func TestAPIApprove(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		token := h.token(h.user("wanjiru", store.RoleSupervisor, "Kibra"))
		id := h.worker("Achieng", "+254711000001", "Kibra", store.StatusPending)
		rec := h.api("PATCH", fmt.Sprintf("/api/v1/workers/%d", id), token, `{"status": "active", "language": "sw", "opted_out": true}`)
		var got workerJSON
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || rec.Code != http.StatusOK {
			t.Fatalf("PATCH = %d %s", rec.Code, rec.Body)
		}
		if got.Status != store.StatusActive || got.Language != "sw" || !got.OptedOut || got.Facility.SubCounty != "Kibra" {
			t.Errorf("PATCH answer = %+v, want active, sw, opted out in Kibra", got)
		}
		if w := h.workerRow(id); w.Status != store.StatusActive || !w.OptedOut {
			t.Errorf("stored worker = %+v, want active and opted out", w)
		}
		if n := h.audits("worker.update"); n != 1 {
			t.Errorf("audit rows worker.update = %d, want 1", n)
		}
	})
}
