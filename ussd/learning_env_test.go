package ussd

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
)

// runProgress runs the write-behind of lesson pages into st for the test.
func runProgress(t testing.TB, st PageSaver) *Progress {
	p := NewProgress(st, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Progress.Run() = %v", err)
		}
	})
	return p
}

// setUp carries out a transcript directive that sends no hop.
func (e *testEnv) setUp(t *testing.T, d, phone string) {
	t.Helper()
	ctx := context.Background()
	var err error
	switch {
	case d == "@flush":
		err = e.pages.Sync(ctx)
	case d == "@forget":
		last := keysOf(e.kv.Prefix, "", phone).phone
		err = e.kv.Del(ctx, last).Err()
	case strings.HasPrefix(d, "@window "):
		err = e.db.OpenAssessment(ctx, strings.TrimPrefix(d, "@window "), testNow.Add(-24*time.Hour), testNow.Add(7*24*time.Hour))
	}
	if err != nil {
		t.Fatalf("%s: %v", d, err)
	}
}

func (s *countingStore) SaveLessonPages(ctx context.Context, marks []store.PageMark) error {
	if err := s.hit(); err != nil {
		return err
	}
	return s.Store.SaveLessonPages(ctx, marks)
}

func (s *countingStore) ProgressSummary(ctx context.Context, id int64) (store.Summary, error) {
	if err := s.hit(); err != nil {
		return store.Summary{}, err
	}
	return s.Store.ProgressSummary(ctx, id)
}

func (s *countingStore) CompleteTopic(ctx context.Context, c store.TopicCompletion) (bool, error) {
	if err := s.hit(); err != nil {
		return false, err
	}
	return s.Store.CompleteTopic(ctx, c)
}

func (s *countingStore) StartPractice(ctx context.Context, id int64, topic string, seed int64) (int64, []string, error) {
	if err := s.hit(); err != nil {
		return 0, nil, err
	}
	return s.Store.StartPractice(ctx, id, topic, seed)
}

func (s *countingStore) StartAttempt(ctx context.Context, id int64, form, topic string, seed int64) (int64, error) {
	if err := s.hit(); err != nil {
		return 0, err
	}
	return s.Store.StartAttempt(ctx, id, form, topic, seed)
}

func (s *countingStore) RecordAnswer(ctx context.Context, attempt int64, q, topic string, chosen int, correct bool) error {
	if err := s.hit(); err != nil {
		return err
	}
	return s.Store.RecordAnswer(ctx, attempt, q, topic, chosen, correct)
}

func (s *countingStore) EndAttempt(ctx context.Context, e store.QuizEnd) (bool, error) {
	if err := s.hit(); err != nil {
		return false, err
	}
	return s.Store.EndAttempt(ctx, e)
}

func (s *countingStore) AssessmentAttempt(ctx context.Context, id int64, form string) (store.Attempt, error) {
	if err := s.hit(); err != nil {
		return store.Attempt{}, err
	}
	return s.Store.AssessmentAttempt(ctx, id, form)
}

func (s *countingStore) AssessmentBlocker(ctx context.Context, id int64, form string) (string, error) {
	if err := s.hit(); err != nil {
		return "", err
	}
	return s.Store.AssessmentBlocker(ctx, id, form)
}

func (s *countingStore) OpenAssessments(ctx context.Context, now time.Time) ([]store.Window, error) {
	if err := s.hit(); err != nil {
		return nil, err
	}
	return s.Store.OpenAssessments(ctx, now)
}
