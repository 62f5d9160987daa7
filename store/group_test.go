package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// TestConcurrentAnswersAreEachCommitted: 50 nurses answer at the same moment
// (their answers share commits); each RecordAnswer returns only when her own
// answer is in the database, and an answer that cannot be stored (its
// attempt is gone) fails alone while the answers joined with it are kept.
func TestConcurrentAnswersAreEachCommitted(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const n = 50
		attempts := make([]int64, n)
		for i := range attempts {
			w := nurse(t, db, fmt.Sprintf("+2547110010%02d", i))
			a, err := db.StartAttempt(ctx, w, store.FormPractice, "stock", 1)
			if err != nil {
				t.Fatal(err)
			}
			attempts[i] = a
		}
		errs := make([]error, n+1)
		var wg sync.WaitGroup
		for i := 0; i <= n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				attempt := int64(1 << 40) // no such attempt
				if i < n {
					attempt = attempts[i]
				}
				if errs[i] = db.RecordAnswer(ctx, attempt, "s1", "stock", i%3, i%2 == 0); errs[i] != nil {
					return
				}
				// Her answer is there the moment RecordAnswer returns.
				var chosen int
				errs[i] = db.GetContext(ctx, &chosen, db.Rebind(`SELECT chosen FROM quiz_answers WHERE attempt_id = ? AND question_id = 's1'`), attempt)
				if errs[i] == nil && chosen != i%3 {
					errs[i] = fmt.Errorf("chosen %d, want %d", chosen, i%3)
				}
			}()
		}
		wg.Wait()
		for i, err := range errs[:n] {
			if err != nil {
				t.Errorf("answer %d: %v", i, err)
			}
		}
		if errs[n] == nil {
			t.Errorf("an answer to a missing attempt was accepted")
		}
		var stored int
		if err := db.GetContext(ctx, &stored, `SELECT COUNT(*) FROM quiz_answers`); err != nil || stored != n {
			t.Errorf("%d answers stored (%v), want %d", stored, err, n)
		}
	})
}

// TestJoinedWriteOfAnswers: one joined write holding her answer resent in
// the same attempt, and her answers to one question from two attempts,
// the newer listed first. The attempt keeps its first answer, and her
// misses follow her newer attempt, as when the answers come one by one;
// an older attempt's answer written later replaces nothing.
func TestJoinedWriteOfAnswers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := nurse(t, db, "+254711001200")
		older, err := db.StartAttempt(ctx, w, store.FormPractice, "stock", 1)
		if err != nil {
			t.Fatal(err)
		}
		newer, err := db.StartAttempt(ctx, w, store.FormPractice, "stock", 2)
		if err != nil {
			t.Fatal(err)
		}
		now := db.Now().UTC()
		rows := []store.JoinedAnswer{
			{AttemptID: newer, QuestionID: "s1", Topic: "stock", Chosen: 2, Correct: false, AnsweredAt: now},
			{AttemptID: older, QuestionID: "s1", Topic: "stock", Chosen: 1, Correct: true, AnsweredAt: now},
			{AttemptID: newer, QuestionID: "s1", Topic: "stock", Chosen: 1, Correct: true, AnsweredAt: now},
			{AttemptID: older, QuestionID: "s2", Topic: "stock", Chosen: 0, Correct: false, AnsweredAt: now},
		}
		if err := store.WriteAnswers(ctx, db, rows); err != nil {
			t.Fatal(err)
		}
		var chosen int
		if err := db.GetContext(ctx, &chosen, db.Rebind(`SELECT chosen FROM quiz_answers WHERE attempt_id = ? AND question_id = 's1'`), newer); err != nil || chosen != 2 {
			t.Errorf("the newer attempt's s1 = %d (%v), want its first answer 2", chosen, err)
		}
		missed, err := db.MissedQuestions(ctx, w, "stock")
		if err != nil || fmt.Sprint(missed) != "[s2 s1]" {
			t.Errorf("MissedQuestions = %v, %v, want [s2 s1]: s1 missed on her newer attempt", missed, err)
		}
		// The older attempt answers s3; the newer s2 right.
		later := []store.JoinedAnswer{
			{AttemptID: newer, QuestionID: "s2", Topic: "stock", Chosen: 1, Correct: true, AnsweredAt: now},
			{AttemptID: older, QuestionID: "s3", Topic: "stock", Chosen: 3, Correct: false, AnsweredAt: now},
		}
		if err := store.WriteAnswers(ctx, db, later); err != nil {
			t.Fatal(err)
		}
		// The newer attempt misses s4, then the older one answers it right.
		for _, a := range []store.JoinedAnswer{
			{AttemptID: newer, QuestionID: "s4", Topic: "stock", Chosen: 0, Correct: false, AnsweredAt: now},
			{AttemptID: older, QuestionID: "s4", Topic: "stock", Chosen: 1, Correct: true, AnsweredAt: now},
		} {
			if err := store.WriteAnswers(ctx, db, []store.JoinedAnswer{a}); err != nil {
				t.Fatal(err)
			}
		}
		missed, err = db.MissedQuestions(ctx, w, "stock")
		if err != nil || fmt.Sprint(missed) != "[s3 s1 s4]" {
			t.Errorf("MissedQuestions = %v, %v, want [s3 s1 s4]", missed, err)
		}
	})
}
