package store_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

func TestMissedQuestions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		id := nurse(t, db, "+254711000901")
		other := nurse(t, db, "+254711000902")
		type answer struct {
			q       string
			correct bool
		}
		attempt := func(worker int64, form, topic string, answers ...answer) {
			t.Helper()
			a, err := db.StartAttempt(ctx, worker, form, topic, 1)
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range answers {
				if err := db.RecordAnswer(ctx, a, x.q, topic, 0, x.correct); err != nil {
					t.Fatal(err)
				}
			}
		}
		attempt(id, store.FormPractice, "stock", answer{"s1", false}, answer{"s2", false}, answer{"s3", true})
		attempt(id, store.FormPractice, "stock", answer{"s2", true}, answer{"s4", false})
		attempt(id, store.FormPractice, "ipc", answer{"i1", false})
		attempt(id, store.FormBaseline, "stock", answer{"s5", false})
		attempt(other, store.FormPractice, "stock", answer{"s3", false})
		tests := []struct {
			worker int64
			topic  string
			want   []string
		}{
			{id, "stock", []string{"s1", "s4"}}, // s2 put right later; s5 is an assessment's
			{id, "ipc", []string{"i1"}},
			{id, "recording", nil},
			{other, "stock", []string{"s3"}},
		}
		for _, tt := range tests {
			got, err := db.MissedQuestions(ctx, tt.worker, tt.topic)
			if err != nil || !cmp.Equal(got, tt.want) {
				t.Errorf("MissedQuestions(%d, %s) = %v, %v, want %v", tt.worker, tt.topic, got, err, tt.want)
			}
			// A practice quiz starts with the same misses, read before its
			// own start (one statement on PostgreSQL).
			id, got, err := db.StartPractice(ctx, tt.worker, tt.topic, 1)
			if err != nil || id == 0 || !cmp.Equal(got, tt.want) {
				t.Errorf("StartPractice(%d, %s) = %d, %v, %v, want a new attempt and %v", tt.worker, tt.topic, id, got, err, tt.want)
			}
			if err := db.FinishAttempt(ctx, id, 0, 0); err != nil {
				t.Errorf("FinishAttempt of the started practice = %v", err)
			}
		}
	})
}

// sqlOldMissed is the read of her misses from all her practice answers that
// practice_latest replaced (its cost grew with her quizzes), kept as the
// definition the table must agree with.
const sqlOldMissed = `SELECT m.question_id FROM (SELECT a.attempt_id, a.question_id FROM quiz_answers a
JOIN (SELECT b.question_id, MAX(b.attempt_id) AS attempt_id FROM quiz_answers b
	JOIN quiz_attempts u ON u.id = b.attempt_id
	WHERE u.worker_id = ? AND u.form = 'practice' GROUP BY b.question_id) l
ON l.question_id = a.question_id AND l.attempt_id = a.attempt_id
WHERE a.topic = ? AND NOT a.correct) m ORDER BY m.attempt_id, m.question_id`

// TestMissesAgreeWithAllHerAnswers: over a history of practice quizzes
// whose questions come back, put right, missed again and resent (the same
// hop twice), written one by one, with the score and in joined writes,
// StartPractice and MissedQuestions return the misses that the read of all
// her answers returns, for each topic and nurse, after every quiz.
func TestMissesAgreeWithAllHerAnswers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		workers := []int64{nurse(t, db, "+254711000911"), nurse(t, db, "+254711000912")}
		topics := []string{"stock", "ipc"}
		check := func(round int) {
			t.Helper()
			for _, w := range workers {
				for _, topic := range topics {
					var want []string
					if err := db.SelectContext(ctx, &want, db.Rebind(sqlOldMissed), w, topic); err != nil {
						t.Fatal(err)
					}
					got, err := db.MissedQuestions(ctx, w, topic)
					if err != nil || !cmp.Equal(got, want) {
						t.Errorf("round %d: MissedQuestions(%d, %s) = %v, %v, want %v", round, w, topic, got, err, want)
					}
				}
			}
		}
		for round := range 12 {
			w, topic := workers[round%2], topics[round/2%2]
			a, missed, err := db.StartPractice(ctx, w, topic, int64(round))
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			if err := db.SelectContext(ctx, &want, db.Rebind(sqlOldMissed), w, topic); err != nil {
				t.Fatal(err)
			}
			// StartPractice's own attempt has no answers yet: the old read
			// after it is the old read before it.
			if !cmp.Equal(missed, want) {
				t.Errorf("round %d: StartPractice(%d, %s) misses = %v, want %v", round, w, topic, missed, want)
			}
			qs := []string{"q1", "q2", "q3", "q4"}
			for i, q := range qs[:3] {
				right := (round+i)%3 == 0
				if err := db.RecordAnswer(ctx, a, topic+q, topic, i, right); err != nil {
					t.Fatal(err)
				}
				// The same hop resent with another choice keeps the first.
				if err := db.RecordAnswer(ctx, a, topic+q, topic, i+1, !right); err != nil {
					t.Fatal(err)
				}
			}
			last := &store.Answer{Attempt: a, Question: topic + qs[3], Topic: topic, Correct: round%4 == 1}
			if _, err := db.EndAttempt(ctx, store.QuizEnd{Attempt: a, Last: last, Right: 1, Total: 4}); err != nil {
				t.Fatal(err)
			}
			// An assessment's answers are not practice: they change nothing.
			if round == 3 {
				b, err := db.StartAttempt(ctx, w, store.FormBaseline, "", 1)
				if err != nil {
					t.Fatal(err)
				}
				if err := db.RecordAnswer(ctx, b, topic+"q1", topic, 0, false); err != nil {
					t.Fatal(err)
				}
			}
			check(round)
		}
		// Migration 0050 fills the table from the answers before it: its
		// fill agrees with the read of them all too.
		if _, err := db.ExecContext(ctx, `DELETE FROM practice_latest`); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, backfill0050(t, db)); err != nil {
			t.Fatal(err)
		}
		check(-1)
	})
}

// backfill0050 is the statement of migration 0050 in db's dialect that
// fills practice_latest from the answers already stored.
func backfill0050(t *testing.T, db *store.DB) string {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("migrations", string(db.Dialect), "0050_practice_latest.sql"))
	if err != nil {
		t.Fatal(err)
	}
	_, stmt, ok := strings.Cut(string(body), "\nINSERT INTO practice_latest")
	stmt, _, end := strings.Cut(stmt, ";\n")
	if !ok || !end {
		t.Fatal("migration 0050 has no statement filling practice_latest")
	}
	return "INSERT INTO practice_latest" + stmt
}
