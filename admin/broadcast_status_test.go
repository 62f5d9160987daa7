package admin

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

func TestBroadcastSaysQuietHoursHoldIt(t *testing.T) {
	tests := []struct {
		name string
		form url.Values
		page string // what the broadcast's page says, "" for nothing
		api  string
		held time.Time
	}{
		{"sent at 23:21", url.Values{}, "The SMS not yet sent are held for quiet hours until 07:00.",
			"held for quiet hours until 07:00", time.Date(2025, 3, 11, 4, 0, 0, 0, time.UTC)},
		{"urgent", url.Values{"urgent": {"1"}}, "", "", time.Time{}},
		{"scheduled for the morning", url.Values{"send_at": {"2025-03-11T09:30"}}, "The SMS not yet sent are scheduled for 09:30.",
			"scheduled for 09:30", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				h := newHarness(t, db)
				h.now = time.Date(2025, 3, 10, 20, 21, 0, 0, time.UTC) // 23:21 in Nairobi
				broadcastFixture(h)
				b, csrf := h.loggedIn("wanjiru")
				form := url.Values{"csrf": {csrf}, "body": {"Outreach tomorrow."}, "action": {"send"}}
				for k, v := range tt.form {
					form[k] = v
				}
				rec := b.post("/admin/broadcasts/new", b.counted(form))
				if rec.Code != http.StatusSeeOther {
					t.Fatalf("send = %d, want 303: %s", rec.Code, rec.Body)
				}
				page := b.get(rec.Header().Get("Location")).Body.String()
				if tt.page != "" && !strings.Contains(page, tt.page) || tt.page == "" && strings.Contains(page, "The SMS not yet sent are") {
					t.Errorf("broadcast page says %q, want %q:\n%s", between(page, "<h2>Status</h2>", "<table"), tt.page, page)
				}
				if tt.api != "" && !strings.Contains(b.get("/admin/broadcasts").Body.String(), tt.api) {
					t.Errorf("history lacks %q", tt.api)
				}
				token := h.token(h.user("kibra-script", store.RoleSupervisor, "Kibra"))
				var got struct{ Broadcasts []broadcastJSON }
				list := h.api("GET", "/api/v1/broadcasts", token, "")
				if err := json.Unmarshal(list.Body.Bytes(), &got); err != nil || len(got.Broadcasts) != 1 {
					t.Fatalf("API list = %s (%v), want one broadcast", list.Body, err)
				}
				var held time.Time
				if bj := got.Broadcasts[0]; bj.HeldUntil != nil {
					held = *bj.HeldUntil
				}
				if bj := got.Broadcasts[0]; bj.GoesOut != tt.api || !held.Equal(tt.held) {
					t.Errorf("API goes_out %q, held_until %v; want %q, %v", bj.GoesOut, held, tt.api, tt.held)
				}
			})
		})
	}
}

// between returns the part of s after the first from and before the next to.
func between(s, from, to string) string {
	_, after, _ := strings.Cut(s, from)
	before, _, _ := strings.Cut(after, to)
	return before
}

func TestSendNeedsACountFirst(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		broadcastFixture(h)
		b, csrf := h.loggedIn("wanjiru")
		if page := b.get("/admin/broadcasts/new").Body.String(); strings.Contains(page, `value="send"`) {
			t.Error("the empty form offers Send before any count")
		}
		form := url.Values{"csrf": {csrf}, "body": {"Cold chain meeting on Friday."}, "action": {"send"}}
		rec := b.post("/admin/broadcasts/new", form)
		if page := rec.Body.String(); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(page, "check the count below first") ||
			!strings.Contains(page, "<strong>1</strong> recipients") {
			t.Errorf("Send without a count = %d, want 422 showing the count:\n%s", rec.Code, page)
		}
		form = b.counted(form)
		form.Set("body", "Cold chain meeting on Saturday.")
		if rec := b.post("/admin/broadcasts/new", form); rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("Send of a message changed after its count = %d, want 422", rec.Code)
		}
		if n := h.rows("broadcasts"); n != 0 {
			t.Fatalf("broadcasts = %d, want none before a count of what is sent", n)
		}
		if rec := b.post("/admin/broadcasts/new", b.counted(form)); rec.Code != http.StatusSeeOther {
			t.Errorf("Send after the count = %d, want 303", rec.Code)
		}
	})
}
