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

// failAll plays the dispatcher and a gateway that refuses every queued SMS.
func (h *harness) failAll(reason string) {
	h.t.Helper()
	ctx := context.Background()
	lease, err := h.db.Claim(ctx, store.ClaimOptions{Owner: "test", Limit: 100, Lease: time.Minute})
	if err != nil {
		h.t.Fatal(err)
	}
	var rs []store.Result
	for _, m := range lease.Msgs {
		rs = append(rs, store.Result{ID: m.ID, Status: store.OutFailed, Reason: reason})
	}
	if err := h.db.Finish(ctx, "test", rs); err != nil {
		h.t.Fatal(err)
	}
}

func TestFailedRecipientsAndResendInConsole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		broadcastFixture(h)
		id := h.kibraBroadcast("Meeting moved to Monday.")
		h.failAll("InvalidPhoneNumber")
		b, csrf := h.loggedIn("wanjiru")
		path := fmt.Sprintf("/admin/broadcasts/%d", id)
		page := html.UnescapeString(b.get(path).Body.String())
		for _, want := range []string{"Resend to the 1 failed", "Achieng", "+254711000001", "InvalidPhoneNumber"} {
			if !strings.Contains(page, want) {
				t.Errorf("broadcast page lacks %q:\n%s", want, page)
			}
		}
		first := b.post(path+"/resend", url.Values{"csrf": {csrf}})
		second := b.post(path+"/resend", url.Values{"csrf": {csrf}})
		loc := first.Header().Get("Location")
		if first.Code != http.StatusSeeOther || loc == path || second.Header().Get("Location") != loc {
			t.Fatalf("two resends = %d to %q, %d to %q; want both 303 to one new broadcast",
				first.Code, loc, second.Code, second.Header().Get("Location"))
		}
		if page := b.get(loc).Body.String(); !strings.Contains(page, "This broadcast was already resent") || !strings.Contains(page, "resent the failed recipients of") {
			t.Errorf("resend page lacks the flash or the link back:\n%s", page)
		}
		if n := h.rows("broadcasts"); n != 2 {
			t.Errorf("broadcasts = %d, want the first and one resend", n)
		}
		if rec := b.get(path + "?after=x"); rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("GET %s?after=x = %d, want 422", path, rec.Code)
		}
	})
}

func TestFailedRecipientsAndResendByAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		broadcastFixture(h)
		token := h.token(h.user("kibra-script", store.RoleSupervisor, "Kibra"))
		id := h.kibraBroadcast("Meeting moved to Monday.")
		h.failAll("InvalidPhoneNumber")
		rec := h.api("GET", fmt.Sprintf("/api/v1/broadcasts/%d/failed?limit=1", id), token, "")
		var page struct {
			Failed    []store.FailedRecipient `json:"failed"`
			NextAfter int64                   `json:"next_after"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &page); rec.Code != http.StatusOK || err != nil || len(page.Failed) != 1 ||
			page.Failed[0].Reason != "InvalidPhoneNumber" || page.Failed[0].Phone != "+254711000001" {
			t.Fatalf("GET failed = %d %s, want the one failed recipient with its reason", rec.Code, rec.Body)
		}
		rec = h.api("GET", fmt.Sprintf("/api/v1/broadcasts/%d/failed?after=%d", id, page.NextAfter), token, "")
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"failed":[]`) {
			t.Errorf("GET the page after the last = %d %s, want an empty list", rec.Code, rec.Body)
		}
		var first, second broadcastJSON
		rec = h.api("POST", fmt.Sprintf("/api/v1/broadcasts/%d/resend", id), token, "")
		if err := json.Unmarshal(rec.Body.Bytes(), &first); rec.Code != http.StatusCreated || err != nil || first.Recipients != 1 || first.ResendOf == nil || *first.ResendOf != id {
			t.Fatalf("POST resend = %d %s, want 201 to 1 recipient, resend_of %d", rec.Code, rec.Body, id)
		}
		rec = h.api("POST", fmt.Sprintf("/api/v1/broadcasts/%d/resend", id), token, "")
		if err := json.Unmarshal(rec.Body.Bytes(), &second); rec.Code != http.StatusOK || err != nil || second.ID != first.ID {
			t.Errorf("POST resend again = %d %s, want 200 with broadcast %d", rec.Code, rec.Body, first.ID)
		}
		rec = h.api("POST", fmt.Sprintf("/api/v1/broadcasts/%d/resend", first.ID), token, "")
		if rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("POST resend of a resend with nothing failed = %d %s, want 422", rec.Code, rec.Body)
		}
	})
}
