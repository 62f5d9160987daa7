package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// An answer without its code goes to the oldest question the mentor may
// answer; answering it moves her on to the next, and her own questions and
// other mentors' mentees' are never hers.
func TestOldestOpenQuestionFor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ids := questionRoster(t, db)
		ctx := context.Background()
		ask := func(who, body string, after time.Duration) int64 {
			db.Now = func() time.Time { return askedAt.Add(after) }
			a, err := mentors(db).AskQuestion(ctx, ids[who], body, "sms")
			if err != nil {
				t.Fatal(err)
			}
			return a.ID
		}
		own := ask(qMary, "Mary's own question", 0)
		first := ask(qJane, "Jane's first", time.Minute)
		second := ask(qJane, "Jane's second", 2*time.Minute)
		oldest := func(who string) int64 {
			q, ok, err := db.OldestOpenQuestionFor(ctx, db, ids[who])
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				return 0
			}
			if q.State() != store.QuestionOpen {
				t.Errorf("oldest open question of %s: State = %q, want open", who, q.State())
			}
			return q.ID
		}
		if got := oldest(qMary); got != first {
			t.Errorf("Mary's oldest open question = %d, want %d (not her own %d)", got, first, own)
		}
		if got := oldest(qOlive); got != 0 {
			t.Errorf("Olive's oldest open question = %d, want none", got)
		}
		if err := db.Tx(ctx, func(tx *store.Tx) error {
			_, err := db.AnswerQuestion(ctx, tx, first, ids[qMary], "Yes.")
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if got := oldest(qMary); got != second {
			t.Errorf("Mary's oldest open question after answering %d = %d, want %d", first, got, second)
		}
		q, err := db.WorkerQuestion(ctx, ids[qJane], first)
		if err != nil || q.State() != store.QuestionAnswered {
			t.Errorf("question %d: State = %q, %v; want answered", first, q.State(), err)
		}
	})
}
