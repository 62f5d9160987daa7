package admin

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

func TestAPIRefusesBadParameters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		broadcastFixture(h)
		token := h.token(h.user("kibra-script", store.RoleSupervisor, "Kibra"))
		failed := fmt.Sprintf("/api/v1/broadcasts/%d/failed", h.kibraBroadcast("Meeting moved to Monday."))
		tests := []struct {
			path  string
			field string // "" when the query is good
		}{
			{"/api/v1/workers?limit=1;", "limit"},
			{"/api/v1/workers?q=Achieng&limit=1;", "limit"},
			{"/api/v1/workers?offset=2;drop", "offset"},
			{"/api/v1/workers?q=%zz", "q"},
			{"/api/v1/workers?limit=501", "limit"},
			{"/api/v1/workers?limit=-1", "limit"},
			{"/api/v1/workers?offset=x", "offset"},
			{"/api/v1/workers?status=gone", "status"},
			{"/api/v1/workers?limit=1", ""},
			{"/api/v1/visits?status=done;", "status"},
			{"/api/v1/visits?from=Friday", "from"},
			{"/api/v1/visits?mentor_id=0", "mentor_id"},
			{"/api/v1/visits?from=2025-03-10", ""},
			{"/api/v1/broadcasts?x=1;", "x"},
			{"/api/v1/groups?x=1;", "x"},
			{"/api/v1/questions?x=1;", "x"},
			{"/api/v1/reports/completion?x=1;", "x"},
			{failed + "?limit=1;", "limit"},
			{failed + "?limit=0", "limit"},
			{failed + "?limit=501", "limit"},
			{failed + "?after=-1", "after"},
			{failed + "?after=1&limit=10", ""},
		}
		for _, tt := range tests {
			rec := h.api("GET", tt.path, token, "")
			if tt.field == "" {
				if rec.Code != http.StatusOK {
					t.Errorf("GET %s = %d %s, want 200", tt.path, rec.Code, rec.Body)
				}
				continue
			}
			var got struct {
				Error apiError `json:"error"`
			}
			err := json.Unmarshal(rec.Body.Bytes(), &got)
			if _, named := got.Error.Fields[tt.field]; rec.Code != http.StatusUnprocessableEntity || err != nil || !named {
				t.Errorf("GET %s = %d %s, want 422 naming %q", tt.path, rec.Code, rec.Body, tt.field)
			}
		}
	})
}
