package admin

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// post posts text from member to group as a G message and queues a copy to
// each other member, as the peer package does.
func (h *harness) post(group, member int64, key, text string) (int64, error) {
	h.t.Helper()
	var id int64
	err := h.db.Tx(h.t.Context(), func(tx *store.Tx) error {
		gs, err := h.db.MemberGroups(h.t.Context(), tx, member)
		if err != nil {
			return err
		}
		for _, g := range gs {
			if g.ID != group {
				continue
			}
			var rcpts []store.GroupRecipient
			id, rcpts, err = h.db.PostGroupMessage(h.t.Context(), tx, store.GroupPost{Group: g, Sender: store.Worker{ID: member},
				Text: text, Source: store.ChannelSMS, Key: key})
			if err != nil {
				return err
			}
			copies := make([]store.GroupCopy, len(rcpts))
			for i, r := range rcpts {
				copies[i] = store.GroupCopy{To: r, Body: text}
			}
			_, err = h.db.QueueGroupCopies(h.t.Context(), tx, id, copies)
			return err
		}
		return store.ErrNotFound
	})
	return id, err
}

// TestGroupModerationFromConsole: the group page lists its recent messages
// with their copies by channel, the text only of senders in the
// supervisor's sub-counties; she withdraws a message (its copies not yet
// sent are stopped) and mutes a member for a day, with CSRF, inside her
// scope, audited.
func TestGroupModerationFromConsole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		p := peopleFixture(h)
		storetest.Join(t, db, p.myGroup, p.theirNurse)
		mine, err := h.post(p.myGroup, p.myNurse, "sms:1", "Fridge at 9 degrees, what now?")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := h.post(p.myGroup, p.theirNurse, "sms:2", "Embakasi stock count done"); err != nil {
			t.Fatal(err)
		}
		b, csrf := h.loggedIn("wanjiru")
		page := "/admin/groups/" + id(p.myGroup)
		body := b.get(page).Body.String()
		for _, want := range []string{"Fridge at 9 degrees, what now?", "from outside your sub-counties", "SMS: 0 sent, 2 pending"} {
			if !strings.Contains(body, want) {
				t.Errorf("GET %s does not show %q", page, want)
			}
		}
		if strings.Contains(body, "Embakasi stock count done") {
			t.Errorf("GET %s shows the text of a sender outside the supervisor's sub-counties", page)
		}

		withdraw := page + "/messages/" + id(mine) + "/withdraw"
		if rec := b.post(withdraw, form()); rec.Code != http.StatusForbidden {
			t.Errorf("POST %s without csrf = %d, want 403", withdraw, rec.Code)
		}
		other := "/admin/groups/" + id(p.theirGroup) + "/messages/" + id(mine) + "/withdraw"
		if rec := b.post(other, form("csrf", csrf)); rec.Code != http.StatusNotFound {
			t.Errorf("POST %s (a group outside her scope) = %d, want 404", other, rec.Code)
		}
		if rec := b.post(withdraw, form("csrf", csrf)); rec.Code != http.StatusSeeOther {
			t.Fatalf("POST %s = %d, want 303: %s", withdraw, rec.Code, rec.Body)
		}
		body = b.get(page).Body.String()
		if !strings.Contains(body, "SMS: 0 sent, 0 pending, 2 stopped") || !strings.Contains(body, "withdrawn") {
			t.Errorf("after the withdrawal the page does not show the copies stopped")
		}

		mute := page + "/members/" + id(p.myNurse) + "/mute"
		if rec := b.post(mute, form("csrf", csrf)); rec.Code != http.StatusSeeOther {
			t.Fatalf("POST %s = %d, want 303: %s", mute, rec.Code, rec.Body)
		}
		if _, err := h.post(p.myGroup, p.myNurse, "sms:4", "again"); !errors.Is(err, store.ErrMuted) {
			t.Errorf("a muted member's post = %v, want ErrMuted", err)
		}
		muteOther := "/admin/groups/" + id(p.theirGroup) + "/members/" + id(p.theirNurse) + "/mute"
		if rec := b.post(muteOther, form("csrf", csrf)); rec.Code != http.StatusNotFound {
			t.Errorf("POST %s (outside her scope) = %d, want 404", muteOther, rec.Code)
		}
		for action, n := range map[string]int{"group.withdraw": 1, "group.mute": 1} {
			if got := h.audits(action); got != n {
				t.Errorf("audit rows %s = %d, want %d", action, got, n)
			}
		}
	})
}

// TestGroupTrafficAndCost: the group page and the API show the messages
// posted, the copies by channel and the SMS parts sent with their estimated
// cost (SMS_SEGMENT_COST); a copy not yet sent costs nothing.
func TestGroupTrafficAndCost(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		p := peopleFixture(h)
		storetest.Join(t, db, p.myGroup, p.myOther)
		if _, err := h.post(p.myGroup, p.myNurse, "sms:1", "Fridge at 9 degrees, what now?"); err != nil {
			t.Fatal(err)
		}
		ctx := t.Context()
		// One of the two copies is sent, in two parts; the other waits.
		l, err := db.Claim(ctx, store.ClaimOptions{Owner: "t", Limit: 100, Lease: time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range l.Msgs {
			if m.GroupMessageID != 0 {
				if err := db.Finish(ctx, "t", []store.Result{{ID: m.ID, Status: store.OutAccepted, GatewayID: "ATX1", Segments: 2}}); err != nil {
					t.Fatal(err)
				}
				break
			}
		}
		if _, err := db.Release(ctx, "t", ""); err != nil {
			t.Fatal(err)
		}
		b, _ := h.loggedIn("wanjiru")
		page := "/admin/groups/" + id(p.myGroup)
		want := "Messages posted: 1. SMS: 2 copies, 2 parts sent, about KES 1.60."
		if body := b.get(page).Body.String(); !strings.Contains(body, want) {
			t.Errorf("GET %s does not show %q", page, want)
		}
		rec := h.api(http.MethodGet, "/api/v1/groups/"+id(p.myGroup), h.token(h.userByName("wanjiru")), "")
		var got struct {
			Traffic struct {
				Messages int `json:"messages"`
				Channels []struct {
					Channel string  `json:"channel"`
					Copies  int     `json:"copies"`
					Parts   int     `json:"parts"`
					Cost    float64 `json:"estimated_cost"`
				} `json:"channels"`
			} `json:"traffic"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
			t.Fatalf("GET /api/v1/groups/%d: %v: %s", p.myGroup, err, rec.Body)
		}
		tr := got.Traffic
		if tr.Messages != 1 || len(tr.Channels) != 1 || tr.Channels[0].Copies != 2 || tr.Channels[0].Parts != 2 || tr.Channels[0].Cost != 1.6 {
			t.Errorf("API traffic = %+v, want 1 message, SMS 2 copies, 2 parts, 1.60", tr)
		}
	})
}
