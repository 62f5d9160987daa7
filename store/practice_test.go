package store_test

import (
	"context"
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
