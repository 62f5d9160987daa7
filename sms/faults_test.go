package sms_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/chanjo-health/chanjo/sms"
	"github.com/chanjo-health/chanjo/sms/africastalking"
	"github.com/chanjo-health/chanjo/sms/fakegateway"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// statuses counts the outbox rows by status, and the attempts they made.
func (r *rig) statuses(t *testing.T) (map[string]int, int) {
	t.Helper()
	out, attempts := map[string]int{}, 0
	for _, x := range storetest.Outbox(t, r.db) {
		out[x.Status]++
		attempts += x.Attempts
	}
	return out, attempts
}

// gauge reads the gauge called name from reg.
func gauge(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fams {
		if f.GetName() == name && len(f.GetMetric()) > 0 {
			return f.GetMetric()[0].GetGauge().GetValue()
		}
	}
	return 0
}

// TestRotatedKeyPausesThenResumes is case 1 of issue 12: the gateway
// answers 401 for 20 minutes (a key just rotated), then 201. No message
// fails or loses an attempt; a single message probes every 3 minutes; all
// are sent once the key works.
func TestRotatedKeyPausesThenResumes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		r := newRig(t, db, sms.Config{})
		reg := prometheus.NewRegistry()
		r.disp.Metrics = sms.NewMetrics(reg)
		ctx := context.Background()
		r.fake.SetAPIKey("rotated")
		r.enqueue(t, broadcast(98, "clinic moved")...)
		start := r.clock.Now()
		for m := range 20 {
			r.clock.Set(start.Add(time.Duration(m) * time.Minute))
			r.drain(t)
		}
		got, attempts := r.statuses(t)
		if diff := cmp.Diff(map[string]int{"queued": 98}, got); diff != "" || attempts != 0 {
			t.Errorf("during the 401s: statuses (-want +got):\n%s attempts %d, want 0", diff, attempts)
		}
		// The first request, then one probe at 3, 6, ... 18 minutes.
		if n := r.fake.Refused(); n != 7 {
			t.Errorf("requests refused during the 401s = %d, want 7", n)
		}
		p, paused, err := db.ChannelPause(ctx, store.ChannelSMS)
		if err != nil || !paused || p.Reason != "The supplied authentication is invalid" || !p.BeganAt.Equal(start) {
			t.Errorf("ChannelPause = %+v, %v, %v, want paused since %s with the gateway's words", p, paused, err, start)
		}
		if v := gauge(t, reg, "chanjo_sms_paused"); v != 1 {
			t.Errorf("chanjo_sms_paused = %v during the pause, want 1", v)
		}

		r.fake.SetAPIKey(fakegateway.DefaultAPIKey)
		for m := 20; m <= 25; m++ {
			r.clock.Set(start.Add(time.Duration(m) * time.Minute))
			r.drain(t)
		}
		got, attempts = r.statuses(t)
		if diff := cmp.Diff(map[string]int{"accepted": 98}, got); diff != "" || attempts != 98 {
			t.Errorf("after the key works: statuses (-want +got):\n%s attempts %d, want 98 (one each)", diff, attempts)
		}
		if n, dups := r.fake.SentCount(), r.fake.Duplicates(); n != 98 || dups != 0 {
			t.Errorf("gateway sent %d with %d duplicates, want 98 and 0", n, dups)
		}
		if _, paused, _ := db.ChannelPause(ctx, store.ChannelSMS); paused || gauge(t, reg, "chanjo_sms_paused") != 0 {
			t.Errorf("still paused after a probe went through")
		}
	})
}

// TestNoCreditPausesEveryInstance: InsufficientBalance on every recipient
// pauses sending (not failing anything), and another instance sharing the
// database sends nothing either.
func TestNoCreditPausesEveryInstance(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		r := newRig(t, db, sms.Config{})
		msgs := broadcast(5, "stock count friday")
		for _, m := range msgs {
			r.fake.SetCode(m.Phone, africastalking.CodeInsufficientBalance)
		}
		r.enqueue(t, msgs...)
		r.drain(t)
		got, attempts := r.statuses(t)
		if diff := cmp.Diff(map[string]int{"queued": 5}, got); diff != "" || attempts != 0 {
			t.Errorf("statuses (-want +got):\n%s attempts %d, want 0", diff, attempts)
		}
		p, paused, err := db.ChannelPause(context.Background(), store.ChannelSMS)
		if err != nil || !paused || p.Reason != "InsufficientBalance" {
			t.Fatalf("ChannelPause = %+v, %v, %v, want paused for InsufficientBalance", p, paused, err)
		}
		client := africastalking.New(africastalking.Config{Username: "sandbox", APIKey: fakegateway.DefaultAPIKey, BaseURL: r.fake.URL})
		other := sms.NewDispatcher(db, client, sms.Config{})
		other.Now = r.clock.Now
		before := r.fake.Requests()
		if n, err := other.Once(context.Background()); n != 0 || err != nil || r.fake.Requests() != before {
			t.Errorf("another instance during the pause: Once = %d, %v and %d requests, want 0, nil, 0", n, err, r.fake.Requests()-before)
		}
	})
}

// TestBlacklistedNumberOptedOut: a 406 UserInBlacklist opts the number out
// with the reason kept, and the next broadcast is not sent to it.
func TestBlacklistedNumberOptedOut(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		r := newRig(t, db, sms.Config{})
		const p = "+254711000001"
		r.fake.SetCode(p, africastalking.CodeUserInBlacklist)
		r.enqueue(t, store.Outgoing{DedupeKey: "b1", Kind: store.KindBroadcast, Phone: p, Body: "first"})
		r.drain(t)
		if got, want := r.row(t, "b1"), (row{"failed", 1, "UserInBlacklist"}); got != want {
			t.Errorf("row = %+v, want %+v", got, want)
		}
		o, ok, err := db.OptOutOf(context.Background(), p)
		if err != nil || !ok || o.Reason != store.OptOutGatewayBlacklist || o.Channel != store.ChannelSMS {
			t.Fatalf("OptOutOf = %+v, %v, %v, want a gateway_blacklist opt-out on sms", o, ok, err)
		}
		before := r.fake.Requests()
		r.enqueue(t, store.Outgoing{DedupeKey: "b2", Kind: store.KindBroadcast, Phone: p, Body: "second"})
		r.drain(t)
		if got := r.row(t, "b2"); got.Status != store.OutSuppressed || r.fake.Requests() != before {
			t.Errorf("next broadcast = %+v after %d requests, want suppressed and none", got, r.fake.Requests()-before)
		}
	})
}

// TestPastHorizonDuringPauseExpires: a reply that waited out a whole pause
// longer than its horizon ends expired, unsent, when sending resumes.
func TestPastHorizonDuringPauseExpires(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		r := newRig(t, db, sms.Config{RetryReply: time.Hour})
		r.fake.SetAPIKey("rotated")
		r.enqueue(t, store.Outgoing{DedupeKey: "r", Kind: store.KindReply, Phone: "+254711000001", Body: "reply"})
		r.drain(t)
		r.fake.SetAPIKey(fakegateway.DefaultAPIKey)
		r.clock.Set(r.clock.Now().Add(61 * time.Minute))
		r.drain(t)
		if got := r.row(t, "r"); got.Status != store.OutExpired || got.Attempts != 1 {
			t.Errorf("row = %+v, want expired after its one recorded end", got)
		}
		if n := r.fake.SentCount(); n != 0 {
			t.Errorf("gateway sent %d, want 0: past its horizon", n)
		}
	})
}

// TestOptOutCallbacks: /sms/optout opts out only on a removal from this
// service's sender; a delivery report failing with UserInBlackList opts the
// number out too. Every callback answers 200.
func TestOptOutCallbacks(t *testing.T) {
	tests := []struct {
		name   string
		path   string
		form   url.Values
		reason store.OptOutReason // "" = not opted out
	}{
		{"our sender", "/sms/optout", url.Values{"senderId": {"CHANJO"}, "phoneNumber": {nurseEN}}, store.OptOutGatewayCallback},
		{"another sender", "/sms/optout", url.Values{"senderId": {"OTHERCO"}, "phoneNumber": {nurseEN}}, ""},
		{"subscription added", "/sms/optout", url.Values{"shortCode": {"CHANJO"}, "phoneNumber": {nurseEN}, "updateType": {"addition"}}, ""},
		{"subscription deleted", "/sms/optout", url.Values{"shortCode": {"CHANJO"}, "phoneNumber": {nurseEN}, "updateType": {"Deletion"}}, store.OptOutGatewayCallback},
		{"STOP by SMS", "/sms/inbound", incoming("s1", nurseEN, "STOP"), store.OptOutKeyword},
		{"report UserInBlackList", "/sms/delivery", url.Values{"id": {"ATXid_1"}, "status": {"Failed"}, "phoneNumber": {nurseEN}, "failureReason": {"UserInBlackList"}}, store.OptOutGatewayBlacklist},
		{"report other failure", "/sms/delivery", url.Values{"id": {"ATXid_2"}, "status": {"Failed"}, "phoneNumber": {nurseEN}, "failureReason": {"DeliveryFailure"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				h := sms.NewHandler(db, "*384*123#", nairobi, slog.New(slog.DiscardHandler), nil)
				h.SenderID = "CHANJO"
				g := gin.New()
				h.Register(g)
				req := httptest.NewRequest(http.MethodPost, tt.path, strings.NewReader(tt.form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				w := httptest.NewRecorder()
				g.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					t.Fatalf("POST %s = %d %q, want 200", tt.path, w.Code, w.Body.String())
				}
				o, ok, err := db.OptOutOf(context.Background(), nurseEN)
				if err != nil || o.Reason != tt.reason || ok != (tt.reason != "") {
					t.Errorf("OptOutOf = %+v, %v, %v, want reason %q", o, ok, err, tt.reason)
				}
			})
		})
	}
}
