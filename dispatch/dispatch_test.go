package dispatch_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/dispatch"
	"github.com/chanjo-health/chanjo/pause"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// channel is a provider whose answer to each request the test chooses; a
// request is one claimed row.
type channel struct {
	sent []string // bodies, in send order
	// answer returns the outcome of the n-th send (0-based) of row m.
	answer func(n int, m store.Claimed) dispatch.Outcome
	// before is called at each send, before it goes.
	before func(n int)
}

func (c *channel) Prepare(_ context.Context, l store.Lease) ([]store.Claimed, int, error) {
	return l.Msgs, 0, nil
}

func (c *channel) Wait(context.Context, store.Claimed) error { return nil }

func (c *channel) Send(_ context.Context, m store.Claimed) (dispatch.Outcome, error) {
	n := len(c.sent)
	if c.before != nil {
		c.before(n)
	}
	c.sent = append(c.sent, m.Body)
	return c.answer(n, m), nil
}

func (c *channel) Recorded(context.Context, store.Claimed, []store.Result) {}

// accepted is the outcome of a send the provider took.
func accepted(n int, m store.Claimed) dispatch.Outcome {
	return dispatch.Outcome{Results: []store.Result{{ID: m.ID, Status: store.OutAccepted, GatewayID: fmt.Sprint("gw-", n), Segments: 1}}, Rows: 1}
}

// setup queues n replies and returns a loop over them whose clock is *now.
func setup(t *testing.T, db *store.DB, n int, now *time.Time) (dispatch.Loop[store.Claimed], *channel) {
	t.Helper()
	db.Now = func() time.Time { return *now }
	for i := range n {
		if _, err := db.QueueSMS(context.Background(), store.Outgoing{DedupeKey: fmt.Sprint("k", i), Kind: store.KindReply,
			Phone: fmt.Sprintf("+2547000000%02d", i), Body: fmt.Sprint("m", i)}); err != nil {
			t.Fatal(err)
		}
	}
	c := &channel{answer: accepted}
	clock := func() time.Time { return *now }
	lp := dispatch.Loop[store.Claimed]{Name: "test", DB: db, Channel: c, TZ: time.UTC, Now: clock, SendTimeout: 10 * time.Second,
		Claim: store.ClaimOptions{Owner: "p1", Limit: 100, Lease: time.Minute, Channel: store.ChannelSMS},
		Pause: &pause.Channel{DB: db, Channel: store.ChannelSMS, Probe: 5 * time.Minute, Provider: "the gateway",
			Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: clock}}
	return lp, c
}

// status returns each row's status by body.
func status(t *testing.T, db *store.DB) map[string]string {
	out := map[string]string{}
	for _, m := range storetest.Outbox(t, db) {
		out[m.Body] = m.Status
	}
	return out
}

// TestLoopRecordsEachRequestBeforeTheNext: a crash mid-round repeats at
// most the request in flight, because each request's results are committed
// before the next request goes.
func TestLoopRecordsEachRequestBeforeTheNext(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
		lp, c := setup(t, db, 3, &now)
		c.before = func(n int) {
			st := status(t, db)
			for i := range n {
				if got := st[fmt.Sprint("m", i)]; got != string(store.OutAccepted) {
					t.Errorf("at send %d, m%d is %q in the outbox, want %q (recorded before the next send)", n, i, got, store.OutAccepted)
				}
			}
		}
		if n, err := lp.Once(context.Background()); err != nil || n != 3 {
			t.Fatalf("Once = %d, %v, want 3 claimed", n, err)
		}
		if len(c.sent) != 3 {
			t.Errorf("sent %q, want the 3 rows", c.sent)
		}
	})
}

// TestLoopStartsNoSendTheLeaseMightNotCover: a request that could outlast
// the lease is not started (another dispatcher could take its rows over and
// send them again); the rows left are given back at once, for any
// dispatcher to claim without waiting for the lease to run out.
func TestLoopStartsNoSendTheLeaseMightNotCover(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
		lp, c := setup(t, db, 3, &now)
		c.before = func(int) { now = now.Add(55 * time.Second) } // a slow provider: 5 s of the lease left after one send
		if _, err := lp.Once(context.Background()); err != nil {
			t.Fatal(err)
		}
		if len(c.sent) != 1 {
			t.Fatalf("sent %q, want only the first: the second could outlast the lease", c.sent)
		}
		l, err := db.Claim(context.Background(), store.ClaimOptions{Owner: "p2", Limit: 100, Lease: time.Minute, Channel: store.ChannelSMS})
		if err != nil {
			t.Fatal(err)
		}
		if len(l.Msgs) != 2 {
			t.Errorf("another dispatcher claims %d rows at once, want the 2 unsent (released, not left leased)", len(l.Msgs))
		}
	})
}

// TestLoopPausesOnARefusalAndProbes: a refused account costs no message an
// attempt; sending stops until the probe, one row sent alone, is taken,
// and then resumes in full.
func TestLoopPausesOnARefusalAndProbes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
		lp, c := setup(t, db, 3, &now)
		refuse := true
		c.answer = func(n int, m store.Claimed) dispatch.Outcome {
			if refuse {
				return dispatch.Outcome{Refusal: "The supplied authentication is invalid"}
			}
			return accepted(n, m)
		}
		if _, err := lp.Once(ctx); err != nil {
			t.Fatal(err)
		}
		for _, m := range storetest.Outbox(t, db) {
			if m.Status != "queued" || m.Attempts != 0 || m.LeaseOwner.Valid {
				t.Errorf("after the refusal %s is %s, %d attempts, leased %v; want queued, 0 attempts, released", m.Body, m.Status, m.Attempts, m.LeaseOwner.Valid)
			}
		}
		if _, paused, err := db.ChannelPause(ctx, store.ChannelSMS); err != nil || !paused {
			t.Fatalf("ChannelPause = %v, %v, want paused", paused, err)
		}
		now = now.Add(time.Minute)
		if n, err := lp.Once(ctx); err != nil || n != 0 {
			t.Errorf("Once before the probe is due = %d, %v, want nothing claimed", n, err)
		}
		now = now.Add(5 * time.Minute)
		refuse = false
		if n, err := lp.Once(ctx); err != nil || n != 1 {
			t.Errorf("Once at the probe = %d, %v, want 1 row, sent alone", n, err)
		}
		if _, paused, err := db.ChannelPause(ctx, store.ChannelSMS); err != nil || paused {
			t.Errorf("ChannelPause after a probe the gateway took = %v, %v, want resumed", paused, err)
		}
		if n, err := lp.Once(ctx); err != nil || n != 2 {
			t.Errorf("Once after the pause = %d, %v, want the 2 other rows", n, err)
		}
		for body, st := range status(t, db) {
			if st != string(store.OutAccepted) {
				t.Errorf("%s is %s at the end, want %s", body, st, store.OutAccepted)
			}
		}
	})
}

// TestLoopGivesBackOnlyItsChannel: an instance's SMS and WhatsApp
// dispatchers lease rows under the same process identity. When the SMS
// round stops early and gives back what it did not send, the WhatsApp
// dispatcher's lease, whose messages may be in flight, stays its own: given
// back, another instance would claim and send them a second time.
func TestLoopGivesBackOnlyItsChannel(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
		lp, c := setup(t, db, 3, &now)
		if _, err := db.QueueSMS(ctx, store.Outgoing{DedupeKey: "wa", Kind: store.KindReply, Phone: "+254700000099", Body: "wa",
			Channel: store.ChannelWhatsApp}); err != nil {
			t.Fatal(err)
		}
		wa, err := db.Claim(ctx, store.ClaimOptions{Owner: lp.Claim.Owner, Limit: 10, Lease: time.Minute, Channel: store.ChannelWhatsApp})
		if err != nil || len(wa.Msgs) != 1 {
			t.Fatalf("the WhatsApp dispatcher's claim = %d rows, %v; want 1", len(wa.Msgs), err)
		}
		c.before = func(int) { now = now.Add(55 * time.Second) } // the SMS round stops after one send
		if _, err := lp.Once(ctx); err != nil {
			t.Fatal(err)
		}
		if len(c.sent) != 1 {
			t.Fatalf("sent %q, want the SMS round to stop after its first", c.sent)
		}
		if o := storetest.OutByKey(t, db, "wa"); o.LeaseOwner.String != lp.Claim.Owner {
			t.Errorf("the WhatsApp row's lease owner after the SMS round gave back its rows = %q, want %q (still in flight)",
				o.LeaseOwner.String, lp.Claim.Owner)
		}
	})
}

// leased returns the bodies of the rows leased to owner and still queued.
func leased(t *testing.T, db *store.DB, owner string) []string {
	var out []string
	for _, m := range storetest.Outbox(t, db) {
		if m.Status == "queued" && m.LeaseOwner.String == owner {
			out = append(out, m.Body)
		}
	}
	return out
}

// TestLoopClaimsAheadAndSendsEachRowOnce: with Ahead the next lease is
// claimed while a round sends (the rows after the first lease are leased
// before that round ends), and over the rounds every row goes once, in
// order, with nothing left leased.
func TestLoopClaimsAheadAndSendsEachRowOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
		lp, c := setup(t, db, 5, &now)
		lp.Claim.Limit, lp.Ahead = 2, &dispatch.Ahead{}
		var aheadSeen []string
		c.before = func(n int) {
			if n != 1 {
				return
			}
			// The first round's second send: the claim made ahead has leased m2 and m3,
			// within a second on a loaded machine.
			for range 100 {
				if aheadSeen = leased(t, db, "p1"); len(aheadSeen) == 3 {
					return
				}
				time.Sleep(10 * time.Millisecond)
			}
		}
		for round := 0; ; round++ {
			n, err := lp.Once(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				break
			}
			if round > 5 {
				t.Fatal("still claiming after 5 rounds")
			}
		}
		if want := []string{"m1", "m2", "m3"}; !slices.Equal(aheadSeen, want) {
			t.Errorf("leased during the first round's second send = %q, want %q (its own m1, then m2 and m3 claimed ahead)", aheadSeen, want)
		}
		if want := []string{"m0", "m1", "m2", "m3", "m4"}; !slices.Equal(c.sent, want) {
			t.Errorf("sent %q, want %q", c.sent, want)
		}
		if l := leased(t, db, "p1"); len(l) != 0 {
			t.Errorf("left leased at the end: %q", l)
		}
	})
}

// TestLoopGivesBackWhatItClaimedAhead: a round that stops (the account
// refused at its first request, the dispatcher stopping during its last)
// gives back the rows it claimed ahead with its own: none waits for its
// lease to run out.
func TestLoopGivesBackWhatItClaimedAhead(t *testing.T) {
	for _, stop := range []string{"refused", "stopping"} {
		t.Run(stop, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
				lp, c := setup(t, db, 5, &now)
				lp.Claim.Limit, lp.Ahead = 2, &dispatch.Ahead{}
				c.answer = func(n int, m store.Claimed) dispatch.Outcome {
					// Once the claim made ahead has leased m2 and m3.
					for i := 0; i < 100 && len(leased(t, db, "p1")) < 4-n; i++ {
						time.Sleep(10 * time.Millisecond)
					}
					if stop == "refused" {
						return dispatch.Outcome{Refusal: "The supplied authentication is invalid"}
					}
					if n == 1 {
						cancel()
					}
					return accepted(n, m)
				}
				if _, err := lp.Once(ctx); err != nil {
					t.Fatal(err)
				}
				if l := leased(t, db, "p1"); len(l) != 0 {
					t.Errorf("left leased after the round: %q, want none", l)
				}
			})
		})
	}
}
