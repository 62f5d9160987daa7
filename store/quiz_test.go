package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

func TestAssessmentTakenOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		id := nurse(t, db, "+254711000401")
		first, err := db.StartAttempt(ctx, id, store.FormBaseline, "", 7)
		if err != nil {
			t.Fatalf("StartAttempt(baseline) = %v", err)
		}
		if _, err := db.StartAttempt(ctx, id, store.FormBaseline, "", 8); !errors.Is(err, store.ErrAlreadyTaken) {
			t.Errorf("second StartAttempt(baseline) = %v, want ErrAlreadyTaken", err)
		}
		if _, err := db.StartAttempt(ctx, id, store.FormMidline, "", 9); err != nil {
			t.Errorf("StartAttempt(midline) after baseline = %v, want nil", err)
		}
		for range 2 {
			if _, err := db.StartAttempt(ctx, id, store.FormPractice, "stock", 1); err != nil {
				t.Errorf("StartAttempt(practice) = %v, want nil: practice repeats freely", err)
			}
		}
		if _, err := db.StartAttempt(ctx, id, "final", "", 1); !errors.Is(err, store.ErrUnknownForm) {
			t.Errorf("StartAttempt(final) = %v, want ErrUnknownForm", err)
		}
		other := nurse(t, db, "+254711000402")
		if _, err := db.StartAttempt(ctx, other, store.FormBaseline, "", 7); err != nil {
			t.Errorf("StartAttempt(baseline) by another nurse = %v, want nil", err)
		}
		if err := db.RecordAnswer(ctx, first, "q1", "stock", 2, true); err != nil {
			t.Fatal(err)
		}
		a, err := db.AssessmentAttempt(ctx, id, store.FormBaseline)
		if err != nil || a.ID != first || a.Seed != 7 || a.Finished.Valid || !cmp.Equal(a.Answers, map[string]int{"q1": 2}) {
			t.Errorf("AssessmentAttempt(baseline) = %+v, %v, want attempt %d, seed 7, unfinished, q1 answered 2", a, err, first)
		}
		if _, err := db.AssessmentAttempt(ctx, id, store.FormEndline); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("AssessmentAttempt(endline, not started) = %v, want ErrNotFound", err)
		}
	})
}

func TestRecordAnswerKeepsTheFirst(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		id := nurse(t, db, "+254711000501")
		att, err := db.StartAttempt(ctx, id, store.FormEndline, "", 3)
		if err != nil {
			t.Fatal(err)
		}
		answers := []struct {
			question string
			chosen   int
			correct  bool
		}{{"q1", 0, false}, {"q1", 1, true}, {"q2", 3, true}}
		for _, x := range answers {
			if err := db.RecordAnswer(ctx, att, x.question, "ipc", x.chosen, x.correct); err != nil {
				t.Fatalf("RecordAnswer(%s, %d) = %v", x.question, x.chosen, err)
			}
		}
		a, err := db.AssessmentAttempt(ctx, id, store.FormEndline)
		if want := map[string]int{"q1": 0, "q2": 3}; err != nil || !cmp.Equal(a.Answers, want) {
			t.Errorf("Answers = %v, %v, want %v", a.Answers, err, want)
		}
		if err := db.RecordAnswer(ctx, 9999, "q1", "ipc", 0, true); err == nil {
			t.Errorf("RecordAnswer(unknown attempt) = nil, want an error")
		}
	})
}

func TestQuizResults(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		id := nurse(t, db, "+254711000601")
		attempts := []struct {
			form, topic  string
			right, total int
			finish       bool
		}{
			{store.FormPractice, "stock", 3, 5, true},
			{store.FormPractice, "stock", 9, 10, true},
			{store.FormPractice, "stock", 4, 5, true},
			{store.FormPractice, "ipc", 5, 5, false}, // abandoned: not counted
			{store.FormPractice, "ipc", 1, 4, true},
			{store.FormBaseline, "", 7, 12, true},
			{store.FormMidline, "", 0, 0, false},
		}
		for _, a := range attempts {
			att, err := db.StartAttempt(ctx, id, a.form, a.topic, 1)
			if err != nil {
				t.Fatal(err)
			}
			if a.finish {
				if err := db.FinishAttempt(ctx, att, a.right, a.total); err != nil {
					t.Fatalf("FinishAttempt = %v", err)
				}
			}
		}
		got, err := db.QuizResults(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		want := store.QuizResults{
			Practice: map[string]store.TopicQuiz{
				"stock": {Attempts: 3, Best: store.Score{Right: 9, Total: 10}, All: store.Score{Right: 16, Total: 20}},
				"ipc":   {Attempts: 1, Best: store.Score{Right: 1, Total: 4}, All: store.Score{Right: 1, Total: 4}},
			},
			Assessments: map[string]store.Score{"baseline": {Right: 7, Total: 12}},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("QuizResults (-want +got):\n%s", diff)
		}
	})
}

func TestFinishAttemptOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		id := nurse(t, db, "+254711000701")
		att, err := db.StartAttempt(ctx, id, store.FormBaseline, "", 1)
		if err != nil {
			t.Fatal(err)
		}
		for _, score := range []int{10, 2} {
			if err := db.FinishAttempt(ctx, att, score, 12); err != nil {
				t.Errorf("FinishAttempt(%d) = %v, want nil", score, err)
			}
		}
		r, err := db.QuizResults(ctx, id)
		if want := (store.Score{Right: 10, Total: 12}); err != nil || r.Assessments["baseline"] != want {
			t.Errorf("baseline after finishing twice = %v, %v, want the first score %v", r.Assessments["baseline"], err, want)
		}
		if err := db.FinishAttempt(ctx, 9999, 1, 1); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("FinishAttempt(unknown) = %v, want ErrNotFound", err)
		}
	})
}

// TestEndAttemptCommitsTogether: the last answer, the score and the
// topic's completion are committed together (the feedback screen waits for
// them): a completion that fails leaves neither the answer nor the score,
// and ending again changes nothing.
func TestEndAttemptCommitsTogether(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		id := nurse(t, db, "+254711000801")
		att, err := db.StartAttempt(ctx, id, store.FormPractice, "stock", 1)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.RecordAnswer(ctx, att, "q1", "stock", 0, true); err != nil {
			t.Fatal(err)
		}
		last := &store.Answer{Attempt: att, Question: "q2", Topic: "stock", Chosen: 1, Correct: true}
		answers := func() int {
			var n int
			if err := db.GetContext(ctx, &n, db.Rebind(`SELECT COUNT(*) FROM quiz_answers WHERE attempt_id = ?`), att); err != nil {
				t.Fatal(err)
			}
			return n
		}
		bad := &store.TopicCompletion{WorkerID: id + 1000, Topic: "stock", Code: "ABCD2345", At: db.Now(), SMS: "Well done"}
		if _, err := db.EndAttempt(ctx, store.QuizEnd{Attempt: att, Last: last, Right: 2, Total: 2, Completion: bad}); err == nil {
			t.Fatal("EndAttempt with the completion of an unknown nurse = nil, want an error")
		}
		if r, err := db.QuizResults(ctx, id); err != nil || len(r.Practice) != 0 || answers() != 1 {
			t.Errorf("after a failed end: practice %v, %v, %d answers; want no score and the first answer only", r.Practice, err, answers())
		}
		done := &store.TopicCompletion{WorkerID: id, Topic: "stock", Code: "ABCD2345", At: db.Now(), SMS: "Well done"}
		fresh, err := db.EndAttempt(ctx, store.QuizEnd{Attempt: att, Last: last, Right: 2, Total: 2, Completion: done})
		if err != nil || !fresh {
			t.Fatalf("EndAttempt = %v, %v, want the completion recorded", fresh, err)
		}
		again := &store.Answer{Attempt: att, Question: "q2", Topic: "stock", Chosen: 0, Correct: false}
		if fresh, err := db.EndAttempt(ctx, store.QuizEnd{Attempt: att, Last: again, Right: 1, Total: 2, Completion: done}); err != nil || fresh {
			t.Errorf("EndAttempt again = %v, %v, want nothing recorded", fresh, err)
		}
		want := store.TopicQuiz{Attempts: 1, Best: store.Score{Right: 2, Total: 2}, All: store.Score{Right: 2, Total: 2}}
		if r, err := db.QuizResults(ctx, id); err != nil || r.Practice["stock"] != want || answers() != 2 {
			t.Errorf("after ending twice: %v, %v, %d answers; want %v and 2 answers", r.Practice, err, answers(), want)
		}
		var chosen, sms int
		if err := db.GetContext(ctx, &chosen, db.Rebind(`SELECT chosen FROM quiz_answers WHERE attempt_id = ? AND question_id = 'q2'`), att); err != nil || chosen != 1 {
			t.Errorf("the last answer = %d, %v, want the first (1)", chosen, err)
		}
		if err := db.GetContext(ctx, &sms, db.Rebind(`SELECT COUNT(*) FROM outbox WHERE worker_id = ?`), id); err != nil || sms != 1 {
			t.Errorf("SMS queued = %d, %v, want 1", sms, err)
		}
		if _, err := db.EndAttempt(ctx, store.QuizEnd{Attempt: 9999, Right: 1, Total: 1}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("EndAttempt(unknown) = %v, want ErrNotFound", err)
		}
	})
}
