package ussd

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/kv/kvtest"
	"github.com/chanjo-health/chanjo/store"
)

// TestProgressKeepsMarksInRedisForAnyInstance: with a real Redis, the marks
// the database does not take, at a write or at SIGTERM, go to Redis; another
// instance writes them once the database answers.
func TestProgressKeepsMarksInRedisForAnyInstance(t *testing.T) {
	ctx := context.Background()
	c := kvtest.New(t)
	down := &pageLog{fail: true}
	a := NewProgress(down, nil)
	a.SpillTo(c)
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- a.Run(runCtx) }()
	if err := a.Sync(ctx); err != nil { // Run is going
		t.Fatal(err)
	}
	for i := range 3 {
		if err := a.Mark(ctx, mark(i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Sync(ctx); err != nil || a.Held() != 0 {
		t.Fatalf("Sync() with the database down = %v, %d held; want nil, 0: the marks are in Redis", err, a.Held())
	}
	for i := 3; i < 5; i++ {
		if err := a.Mark(ctx, mark(i)); err != nil {
			t.Fatal(err)
		}
	}
	stop()
	if err := <-done; err != nil {
		t.Errorf("Run() stopped during the outage = %v, want nil: every mark kept in Redis", err)
	}
	if n, err := c.HLen(ctx, c.Key("ussd", "pages-held")).Result(); err != nil || n != 5 {
		t.Fatalf("marks in Redis = %d, %v, want 5", n, err)
	}
	up := &pageLog{}
	b := NewProgress(up, nil)
	b.SpillTo(c)
	b.drain()
	if w := up.workers(); len(w) != 5 {
		t.Errorf("another instance wrote the marks of %d nurses, want 5", len(w))
	}
	if n, _ := c.HLen(ctx, c.Key("ussd", "pages-held")).Result(); n != 0 {
		t.Errorf("marks left in Redis after they were written = %d, want 0", n)
	}
}

// TestPageSpillKeepsTheNewestMark: an older mark does not replace a newer
// one in Redis, and a mark replaced while it was being written stays.
func TestPageSpillKeepsTheNewestMark(t *testing.T) {
	ctx := context.Background()
	c := kvtest.New(t)
	s := &pageSpill{kv: c, key: c.Key("ussd", "pages-held")}
	at := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	newer := store.PageMark{WorkerID: 1, Lesson: "rec-tally", Page: 3, At: at.Add(time.Minute)}
	older := store.PageMark{WorkerID: 1, Lesson: "rec-tally", Page: 1, Done: true, At: at}
	for _, m := range []store.PageMark{newer, older} {
		if err := s.put(ctx, []store.PageMark{m}); err != nil {
			t.Fatal(err)
		}
	}
	got, kvs, err := s.take(ctx, 10)
	if err != nil || !cmp.Equal(got, []store.PageMark{newer}) {
		t.Fatalf("take() = %v, %v, want the newer mark", got, err)
	}
	newest := newer
	newest.Page, newest.At = 4, at.Add(2*time.Minute)
	if err := s.put(ctx, []store.PageMark{newest}); err != nil {
		t.Fatal(err)
	}
	if err := s.done(ctx, kvs); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := s.take(ctx, 10); !cmp.Equal(got, []store.PageMark{newest}) {
		t.Errorf("after writing a mark replaced meanwhile, Redis holds %v, want %v", got, newest)
	}
}
