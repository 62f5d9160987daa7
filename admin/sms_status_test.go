package admin

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// TestSMSStateShownInConsole: a pause of sending is a banner on every
// page with when it began and the gateway's words; a nurse's page says why
// she opted out; a broadcast's status counts its unconfirmed SMS.
func TestSMSStateShownInConsole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		ctx := context.Background()
		h.user("amina", store.RoleAdmin)
		nurse := h.worker("Achieng", "+254711000001", "Kibra", store.StatusActive)
		b, _ := h.loggedIn("amina")
		if body := b.get("/admin").Body.String(); strings.Contains(body, "SMS sending is paused") {
			t.Error("banner shown while sending is not paused")
		}
		if _, err := db.PauseChannel(ctx, store.ChannelSMS, "The supplied authentication is invalid", h.now.Add(3*time.Minute)); err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/admin", "/admin/nurses", "/admin/broadcasts"} {
			body := b.get(path).Body.String()
			// h.now is 06:00 UTC, 09:00 in the console's zone.
			if !strings.Contains(body, "SMS sending is paused") || !strings.Contains(body, "since 10 Mar 2025 09:00") ||
				!strings.Contains(body, "The supplied authentication is invalid") {
				t.Errorf("GET %s lacks the pause banner with its time and the gateway's words", path)
			}
		}

		err := db.RecordOptOut(ctx, db, store.OptOut{Phone: "+254711000001", Channel: store.ChannelSMS,
			Reason: store.OptOutGatewayBlacklist, Detail: "send answer: UserInBlacklist"})
		if err != nil {
			t.Fatal(err)
		}
		if body := b.get(fmt.Sprintf("/admin/nurses/%d", nurse)).Body.String(); !strings.Contains(body, "UserInBlacklist") ||
			!strings.Contains(body, "opted out 10 Mar 2025 09:00 by sms") {
			t.Errorf("nurse page lacks why she opted out:\n%s", body)
		}

		if err := db.OptIn(ctx, db, "+254711000001"); err != nil {
			t.Fatal(err)
		}
		bc, err := db.CreateBroadcast(ctx, store.Scope{Admin: true}, 0, store.NewBroadcast{
			Audience: store.Audience{SubCounties: []string{"Kibra"}}, Body: "Clinic moved."})
		if err != nil {
			t.Fatal(err)
		}
		l, err := db.Claim(ctx, store.ClaimOptions{Owner: "a", Limit: 10, Lease: time.Minute})
		if err != nil || len(l.Msgs) != 1 {
			t.Fatalf("Claim = %+v, %v", l, err)
		}
		if err := db.Finish(ctx, "a", []store.Result{{ID: l.Msgs[0].ID, Status: store.OutUnconfirmed, Reason: "unreadable answer"}}); err != nil {
			t.Fatal(err)
		}
		body := b.get(fmt.Sprintf("/admin/broadcasts/%d", bc.ID)).Body.String()
		if !strings.Contains(body, `Unconfirmed (probably sent; the gateway's answer was unreadable, so never resent)</th><td class="num">1<`) {
			t.Errorf("broadcast page lacks its unconfirmed SMS:\n%s", body)
		}
	})
}
