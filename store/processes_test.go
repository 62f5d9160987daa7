package store_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// TestSchedulersClaimDisjointReminders: two schedulers settle the same due
// reminders side by side; each reminder is claimed by one of them only and
// sent once, and both get work.
func TestSchedulersClaimDisjointReminders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		db.Now = func() time.Time { return march(3, 12, 0).UTC() }
		const workers = 40
		for i := range workers {
			nurse(t, db, fmt.Sprintf("+2547110%05d", i))
		}
		if _, err := db.ScheduleForActive(ctx, store.RuleWeekly, "2025-03-03", march(3, 11, 0)); err != nil {
			t.Fatal(err)
		}
		claimedBy := map[int64]string{}
		var mu sync.Mutex
		var wg sync.WaitGroup
		errs := make(chan error, 2)
		claim := func(owner string) ([]store.DueReminder, error) {
			return db.ClaimReminders(ctx, store.RowClaim{Owner: owner, Limit: 3, Lease: time.Minute}, db.Now())
		}
		// Each takes its first batch before either settles one, then both
		// go on side by side.
		first := map[string][]store.DueReminder{}
		for _, owner := range []string{"a", "b"} {
			rs, err := claim(owner)
			if err != nil {
				t.Fatal(err)
			}
			first[owner] = rs
		}
		for owner, rs := range first {
			var err error
			wg.Add(1)
			go func() {
				defer wg.Done()
				for ; len(rs) > 0; rs, err = claim(owner) {
					for _, r := range rs {
						mu.Lock()
						if other, dup := claimedBy[r.ID]; dup {
							errs <- fmt.Errorf("reminder %d claimed by %s and %s", r.ID, other, owner)
						}
						claimedBy[r.ID] = owner
						mu.Unlock()
						if _, _, err := db.SendReminder(ctx, store.Caps{}, r.ID, store.Outgoing{Phone: r.Phone, Body: "hi"}); err != nil {
							errs <- err
							return
						}
					}
				}
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Error(err)
			}
		}
		per := map[string]int{}
		for _, o := range claimedBy {
			per[o]++
		}
		var nudges, leased int
		db.Get(&nudges, `SELECT COUNT(*) FROM outbox WHERE kind = 'nudge'`)
		db.Get(&leased, `SELECT COUNT(*) FROM reminders WHERE lease_owner IS NOT NULL`)
		if len(claimedBy) != workers || nudges != workers || per["a"] == 0 || per["b"] == 0 || leased != 0 {
			t.Errorf("claimed %d (per scheduler %v), nudges %d, still leased %d; want %d, both > 0, %d, 0",
				len(claimedBy), per, nudges, leased, workers, workers)
		}
	})
}

// TestDeadProcessLeasesReturn: a process that stops beating loses its leases
// (outbox, reminders, questions) to the others once ProcessTimeout has
// passed, never before, and never those of a process that still beats.
func TestDeadProcessLeasesReturn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clock := &outboxClock{t: march(3, 12, 0).UTC()}
		db.Now = clock.now
		nurse(t, db, "+254711000001")
		if _, err := db.ScheduleForActive(ctx, store.RuleWeekly, "2025-03-03", march(3, 11, 0)); err != nil {
			t.Fatal(err)
		}
		var msgs []store.Outgoing
		for i := range 4 {
			msgs = append(msgs, store.Outgoing{DedupeKey: fmt.Sprint("m", i), Kind: store.KindBroadcast, Phone: "+254711000002", Body: "b"})
		}
		enqueueAll(t, db, msgs...)
		dead, live := store.NewProcessID(), store.NewProcessID()
		for _, p := range []string{dead, live} {
			if err := db.Heartbeat(ctx, p, "host"); err != nil {
				t.Fatal(err)
			}
		}
		long := time.Hour // leases far longer than the timeout: only the heartbeat frees them
		for _, c := range []struct {
			owner string
			n     int
		}{{dead, 2}, {live, 2}} {
			if l, err := db.Claim(ctx, store.ClaimOptions{Owner: c.owner, Limit: c.n, Lease: long}); err != nil || len(l.Msgs) != c.n {
				t.Fatalf("Claim(%s) = %d, %v", c.owner, len(l.Msgs), err)
			}
		}
		if rs, err := db.ClaimReminders(ctx, store.RowClaim{Owner: dead, Limit: 5, Lease: long}, clock.t); err != nil || len(rs) != 1 {
			t.Fatalf("ClaimReminders = %d, %v", len(rs), err)
		}
		free := func() (msgs, reminders int) {
			db.Get(&msgs, `SELECT COUNT(*) FROM outbox WHERE lease_owner IS NULL AND status = 'queued'`)
			db.Get(&reminders, `SELECT COUNT(*) FROM reminders WHERE lease_owner IS NULL AND status = 'scheduled'`)
			return msgs, reminders
		}
		for _, step := range []struct {
			after          time.Duration
			wantReleased   int
			wantMsgs, wRem int
		}{
			{store.ProcessTimeout - time.Second, 0, 0, 0}, // late, not dead
			{2 * time.Second, 3, 2, 1},                    // dead: its two messages and its reminder
			{time.Minute, 0, 2, 1},                        // the live one's stay its own
		} {
			clock.t = clock.t.Add(step.after)
			if err := db.Heartbeat(ctx, live, "host"); err != nil {
				t.Fatal(err)
			}
			n, err := db.ReapDead(ctx)
			m, r := free()
			if err != nil || n != step.wantReleased || m != step.wantMsgs || r != step.wRem {
				t.Errorf("%v later: ReapDead = %d, %v; free messages %d, reminders %d; want %d released, %d and %d free",
					step.after, n, err, m, r, step.wantReleased, step.wantMsgs, step.wRem)
			}
		}
		var rows int
		db.Get(&rows, `SELECT COUNT(*) FROM processes`)
		if rows != 1 {
			t.Errorf("process rows = %d, want the live one only", rows)
		}
		if err := db.EndProcess(ctx, live); err != nil {
			t.Fatal(err)
		}
		if m, _ := free(); m != 4 {
			t.Errorf("free messages after the live process ended = %d, want 4", m)
		}
	})
}

// TestEscalationClaimsAreDisjoint: two relays claim the stale questions
// without sharing one, and a dead relay's claims go back to the other.
func TestEscalationClaimsAreDisjoint(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ids := questionRoster(t, db)
		for i := range 3 {
			if _, err := mentors(db).AskQuestion(ctx, ids[qJane], fmt.Sprint("question ", i), "sms"); err != nil {
				t.Fatal(err)
			}
		}
		now := askedAt.Add(25 * time.Hour)
		db.Now = func() time.Time { return now }
		a, b := store.NewProcessID(), store.NewProcessID()
		claim := func(owner string) []int64 {
			got, err := db.ClaimStaleQuestions(ctx, store.RowClaim{Owner: owner, Limit: 2, Lease: time.Hour}, now.Add(-24*time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		for _, p := range []string{a, b} {
			db.Heartbeat(ctx, p, "host")
		}
		gotA, gotB := claim(a), claim(b)
		if len(gotA) != 2 || len(gotB) != 1 || slices.Contains(gotA, gotB[0]) {
			t.Fatalf("claims = %v and %v, want two and the third", gotA, gotB)
		}
		if again := claim(b); len(again) != 0 {
			t.Errorf("claim while a holds its two = %v, want none", again)
		}
		now = now.Add(store.ProcessTimeout + time.Second)
		db.Heartbeat(ctx, b, "host")
		if _, err := db.ReapDead(ctx); err != nil {
			t.Fatal(err)
		}
		if got := claim(b); !slices.Equal(got, gotA) {
			t.Errorf("claim after a died = %v, want a's %v", got, gotA)
		}
	})
}
