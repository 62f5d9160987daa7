package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// A circle's WhatsApp group is claimed once however often the console asks (a second click creates
// no second group), only for a mentor inside the scope with at most six mentees; activating it marks
// every member invited and queues the invites with it; join states change once per webhook however
// often it comes; an SMS member's post is kept once per SMS and claimed by one sender.
func TestCircleGroups(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mary, achieng, chebet, _ := peopleSeed(t, db)
		storetest.Pair(t, db, mary, achieng, db.Now())
		kibra := store.Scope{SubCounties: []string{"Kibra"}}
		if _, _, err := db.BeginCircleGroup(ctx, store.Scope{SubCounties: []string{"Embakasi"}}, 0, mary); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("begin outside the scope = %v, want ErrNotFound", err)
		}
		if _, _, err := db.BeginCircleGroup(ctx, kibra, 0, achieng); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("begin for a nurse who is no mentor = %v, want ErrNotFound", err)
		}
		id, fresh, err := db.BeginCircleGroup(ctx, kibra, 0, mary)
		if err != nil || !fresh {
			t.Fatalf("begin = %d %v %v", id, fresh, err)
		}
		if _, again, err := db.BeginCircleGroup(ctx, kibra, 0, mary); err != nil || again {
			t.Errorf("second begin = %v %v, want no second group", again, err)
		}
		if err := db.FailCircleGroup(ctx, db, id, "code 131215"); err != nil {
			t.Fatal(err)
		}
		if retry, fresh, err := db.BeginCircleGroup(ctx, kibra, 0, mary); err != nil || !fresh || retry != id {
			t.Errorf("begin after a failure = %d %v %v, want the same row claimed again", retry, fresh, err)
		}
		invite := store.Outgoing{DedupeKey: "circle-invite:1", Kind: store.KindNudge, Phone: "+254711000011", Body: "join", WorkerID: achieng, Channel: store.ChannelSMS}
		// The create's answer, then Meta's group_create twice: the first finds the circle, the
		// second nothing.
		err = db.Tx(ctx, func(tx *store.Tx) error {
			_, answered, err := db.RecordCircleRequest(ctx, tx, id, "REQ1")
			if answered {
				t.Error("request answered before its webhook")
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		for i := range 2 {
			err := db.Tx(ctx, func(tx *store.Tx) error {
				c, ok, err := db.AnswerCircleRequest(ctx, tx, store.CircleAnswer{RequestID: "REQ1", GroupID: "G1", InviteLink: "https://chat.whatsapp.com/X"})
				if ok != (i == 0) || (ok && (c.ID != id || c.State != store.CircleCreating)) {
					t.Errorf("answer %d = %+v, %v; want the creating circle only the first time", i, c, ok)
				}
				if ok {
					done, err := db.ActivateCircleGroup(ctx, tx, id, "G1", "https://chat.whatsapp.com/X", []int64{mary, achieng}, []store.Outgoing{invite})
					if !done || err != nil {
						t.Errorf("activation = %v, %v", done, err)
					}
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		// A group_create for no circle's request has nothing to apply.
		err = db.Tx(ctx, func(tx *store.Tx) error {
			_, ok, err := db.AnswerCircleRequest(ctx, tx, store.CircleAnswer{RequestID: "REQ2", GroupID: "G2"})
			if ok {
				t.Error("an unknown request's answer found a circle")
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := storetest.Queued(t, db, "+254711000011", store.KindNudge); len(got) != 1 {
			t.Errorf("invites queued = %q, want 1", got)
		}
		c, err := db.CircleByGroup(ctx, db, "G1")
		if err != nil || c.ID != id || c.State != store.CircleActive || len(c.Members) != 2 || !c.Members[0].Mentor {
			t.Fatalf("circle = %+v, %v", c, err)
		}
		for i := range 2 {
			changed, err := db.SetCircleMemberState(ctx, db, id, achieng, store.JoinJoined, "")
			if err != nil || changed != (i == 0) {
				t.Errorf("join %d: changed %v, %v", i, changed, err)
			}
		}
		if changed, err := db.SetCircleMemberState(ctx, db, id, chebet, store.JoinJoined, ""); err != nil || changed {
			t.Errorf("join of a non-member: changed %v, %v", changed, err)
		}
		if c, err := db.CircleOfWorker(ctx, db, achieng); err != nil || c.ID != id || c.Members[1].State != store.JoinJoined {
			t.Errorf("circle of the mentee = %+v, %v", c, err)
		}
		for range 2 {
			if _, err := db.QueueCirclePost(ctx, db, id, achieng, "Achieng: hi", "sms:1"); err != nil {
				t.Fatal(err)
			}
		}
		posts, err := db.ClaimCirclePosts(ctx, store.RowClaim{Owner: "a", Limit: 10, Lease: time.Hour})
		if err != nil || len(posts) != 1 || posts[0].GroupID != "G1" {
			t.Fatalf("claimed = %+v, %v", posts, err)
		}
		if again, err := db.ClaimCirclePosts(ctx, store.RowClaim{Owner: "b", Limit: 10, Lease: time.Hour}); err != nil || len(again) != 0 {
			t.Errorf("claimed again = %+v, %v", again, err)
		}
	})
}

// A circle post is its claimer's while she lives: another process takes it only once her heartbeat
// stopped (ReapDead); a post retried waits for its time, and one failed for good shows its reason.
func TestCirclePostLeases(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Now().UTC().Truncate(time.Second)
		db.Now = func() time.Time { return now }
		mary, achieng, _, _ := peopleSeed(t, db)
		storetest.Pair(t, db, mary, achieng, now)
		id, _, err := db.BeginCircleGroup(ctx, store.Scope{Admin: true}, 0, mary)
		if err != nil {
			t.Fatal(err)
		}
		storetest.ActivateCircle(t, db, id, "G1", mary, achieng)
		if _, err := db.QueueCirclePost(ctx, db, id, achieng, "Achieng: hi", "sms:1"); err != nil {
			t.Fatal(err)
		}
		claim := func(owner string) []store.CirclePost {
			t.Helper()
			if err := db.Heartbeat(ctx, owner, "host"); err != nil {
				t.Fatal(err)
			}
			if _, err := db.ReapDead(ctx); err != nil {
				t.Fatal(err)
			}
			posts, err := db.ClaimCirclePosts(ctx, store.RowClaim{Owner: owner, Limit: 10, Lease: time.Hour})
			if err != nil {
				t.Fatal(err)
			}
			return posts
		}
		if got := claim("a"); len(got) != 1 {
			t.Fatalf("a claimed %d posts, want 1", len(got))
		}
		if err := db.Heartbeat(ctx, "a", "host"); err != nil {
			t.Fatal(err)
		}
		now = now.Add(store.ProcessTimeout / 2)
		if got := claim("b"); len(got) != 0 {
			t.Errorf("b took %d posts of a, alive", len(got))
		}
		now = now.Add(2 * store.ProcessTimeout) // a died: her heartbeat stopped, b keeps beating
		got := claim("b")
		if len(got) != 1 {
			t.Fatalf("b claimed %d posts of a, dead; want 1", len(got))
		}
		// a retry waits for its time
		if err := db.RetryCirclePost(ctx, "b", got[0].ID, "code 131020", now.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if got := claim("b"); len(got) != 0 {
			t.Errorf("claimed %d posts before their retry time", len(got))
		}
		now = now.Add(time.Minute)
		got = claim("b")
		if len(got) != 1 || got[0].Attempts != 1 {
			t.Fatalf("claimed at the retry time = %+v, want the post, 1 attempt", got)
		}
		if err := db.FinishCirclePost(ctx, "b", got[0].ID, "", "code 131009 bad parameter"); err != nil {
			t.Fatal(err)
		}
		failed, err := db.FailedCirclePosts(ctx, id)
		if err != nil || len(failed) != 1 || failed[0].Failure != "code 131009 bad parameter" || failed[0].Sender != "Achieng" {
			t.Errorf("failed posts = %+v, %v", failed, err)
		}
	})
}

// A mentor with seven mentees has no group: with her and the business they would not fit in 8.
func TestCircleGroupTooLarge(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		mary, _, _, _ := peopleSeed(t, db)
		for i := range store.MaxCircleMentees + 1 {
			w := seedWorker(t, db, fmt.Sprint("Mentee ", i), fmt.Sprintf("+25471100010%d", i), "Kibra", store.StatusActive)
			storetest.Pair(t, db, mary, w, db.Now())
		}
		if _, _, err := db.BeginCircleGroup(context.Background(), store.Scope{Admin: true}, 0, mary); !errors.Is(err, store.ErrCircleTooLarge) {
			t.Errorf("begin = %v, want ErrCircleTooLarge", err)
		}
	})
}
