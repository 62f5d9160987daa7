package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// TestMentorInbox follows two questions through a mentor's inbox: Mary sees
// her mentee's and the group's, answers one (relayed to the nurse once, an
// SMS answer after it refused) and passes the other on; Olive, in another
// group, sees neither and may pass neither.
func TestMentorInbox(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ids := questionRoster(t, db)
		jane, err := mentors(db).AskQuestion(ctx, ids[qJane], "Is BCG good after 6 hours?", "sms")
		if err != nil {
			t.Fatal(err)
		}
		inbox := func(mentor string) []string {
			qs, err := db.MentorInbox(ctx, ids[mentor], 10)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, q := range qs {
				out = append(out, q.Name+" ("+q.Facility+"): "+q.Body)
			}
			return out
		}
		if diff := cmp.Diff([]string{"Jane Mutua (Kithimani Dispensary): Is BCG good after 6 hours?"}, inbox(qMary)); diff != "" {
			t.Errorf("Mary's inbox (-want +got):\n%s", diff)
		}
		if got := inbox(qOlive); len(got) != 0 {
			t.Errorf("Olive's inbox = %q, want none", got)
		}
		if _, err := mentors(db).PassQuestion(ctx, jane.ID, ids[qOlive]); !errors.Is(err, store.ErrNotYours) {
			t.Errorf("PassQuestion(Olive) = %v, want ErrNotYours", err)
		}
		sent, err := mentors(db).PassQuestion(ctx, jane.ID, ids[qMary])
		if err != nil || sent != 1 {
			t.Fatalf("PassQuestion(Mary) = %d, %v, want 1 (Rose)", sent, err)
		}
		if got := inbox(qRose); len(got) != 1 {
			t.Errorf("Rose's inbox after passing = %q, want Jane's question", got)
		}
		if _, err := mentors(db).AnswerQuestion(ctx, jane.ID, ids[qRose], "Yes, within 6 hours at 2-8C."); err != nil {
			t.Fatal(err)
		}
		if _, err := mentors(db).AnswerQuestion(ctx, jane.ID, ids[qMary], "No."); !errors.Is(err, store.ErrAlreadyAnswered) {
			t.Errorf("second RelayAnswer = %v, want ErrAlreadyAnswered", err)
		}
		if got := inbox(qMary); len(got) != 0 {
			t.Errorf("Mary's inbox after the answer = %q, want none", got)
		}
		out := outbox(t, db)
		if want := qJane + ": Chanjo: Rose answered your question Q1: Yes, within 6 hours at 2-8C."; len(out) == 0 || out[len(out)-1] != want {
			t.Errorf("last SMS = %q, want %q", out, want)
		}
	})
}
