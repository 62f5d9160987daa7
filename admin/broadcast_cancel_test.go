package admin

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// kibraBroadcast queues a broadcast to Kibra as its supervisor (1 recipient
// in broadcastFixture) and returns its id.
func (h *harness) kibraBroadcast(body string) int64 {
	h.t.Helper()
	b, err := h.db.CreateBroadcast(context.Background(), store.Scope{SubCounties: []string{"Kibra"}}, 0, store.NewBroadcast{Body: body})
	if err != nil {
		h.t.Fatal(err)
	}
	return b.ID
}

func TestCancelBroadcastInConsole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		broadcastFixture(h)
		id := h.kibraBroadcast("Meeting moved to Monday.")
		b, csrf := h.loggedIn("wanjiru")
		path := fmt.Sprintf("/admin/broadcasts/%d", id)
		if page := b.get(path).Body.String(); !strings.Contains(page, "Cancel the 1 SMS not yet sent") {
			t.Fatalf("broadcast page offers no cancel:\n%s", page)
		}
		if rec := b.post(path+"/cancel", url.Values{"csrf": {csrf}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("POST cancel = %d, want 303: %s", rec.Code, rec.Body)
		}
		page := html.UnescapeString(b.get(path).Body.String())
		for _, want := range []string{"Cancelled: 1 SMS will not be sent.", `Cancelled (never sent)</th><td class="num">1<`} {
			if !strings.Contains(page, want) {
				t.Errorf("page after cancel lacks %q:\n%s", want, page)
			}
		}
		if strings.Contains(page, "not yet sent</button>") || strings.Contains(page, `http-equiv="refresh"`) {
			t.Error("page after cancel still offers cancel or refreshes")
		}
		lease, err := db.Claim(context.Background(), store.ClaimOptions{Owner: "test", Limit: 10, Lease: time.Minute})
		if err != nil || len(lease.Msgs) != 0 {
			t.Errorf("dispatcher claimed %d SMS after cancel (%v), want none", len(lease.Msgs), err)
		}
		b.post(path+"/cancel", url.Values{"csrf": {csrf}})
		if page := html.UnescapeString(b.get(path).Body.String()); !strings.Contains(page, nothingToCancel) {
			t.Errorf("second cancel lacks %q", nothingToCancel)
		}
		if n := h.audits("broadcast.cancel"); n != 1 {
			t.Errorf("audit rows broadcast.cancel = %d, want 1", n)
		}
		if rec := b.post(path+"/cancel", url.Values{}); rec.Code == http.StatusSeeOther {
			t.Error("cancel without the CSRF token was accepted")
		}
	})
}

func TestCancelBroadcastByAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		broadcastFixture(h)
		token := h.token(h.user("kibra-script", store.RoleSupervisor, "Kibra"))
		id, theirs := h.kibraBroadcast("Meeting moved to Monday."), otherBroadcast(t, db)
		path := fmt.Sprintf("/api/v1/broadcasts/%d/cancel", id)
		rec := h.api("POST", path, token, "")
		var got struct {
			Cancelled int           `json:"cancelled"`
			Broadcast broadcastJSON `json:"broadcast"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &got); rec.Code != http.StatusOK || err != nil {
			t.Fatalf("POST %s = %d %s, want 200", path, rec.Code, rec.Body)
		}
		if got.Cancelled != 1 || got.Broadcast.Counts != (store.BroadcastCounts{Cancelled: 1}) || got.Broadcast.EstimatedCost != 0 {
			t.Errorf("cancel answered %+v, want 1 cancelled costing nothing", got)
		}
		if rec := h.api("POST", path, token, ""); rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), "nothing_to_cancel") {
			t.Errorf("second cancel = %d %s, want 409 nothing_to_cancel", rec.Code, rec.Body)
		}
		if rec := h.api("POST", fmt.Sprintf("/api/v1/broadcasts/%d/cancel", theirs), token, ""); rec.Code != http.StatusNotFound {
			t.Errorf("cancel of Embakasi's broadcast = %d, want 404", rec.Code)
		}
		queued := storetest.OutWhere(t, db, func(o storetest.Out) bool {
			return o.BroadcastID.Int64 == theirs && o.Status == store.OutQueued
		})
		if len(queued) != 1 {
			t.Errorf("Embakasi's queued SMS = %d; want 1, untouched", len(queued))
		}
	})
}
