package ussd

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"chanjo/store"
)

// pageLog is a PageSaver that notes each write and when it happened (on
// synctest's clock), and fails while fail is set.
type pageLog struct {
	mu      sync.Mutex
	batches [][]store.PageMark
	at      []time.Time
	fail    bool
}

func (l *pageLog) SaveLessonPages(_ context.Context, marks []store.PageMark) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.fail {
		return errors.New("database down")
	}
	l.batches = append(l.batches, append([]store.PageMark(nil), marks...))
	l.at = append(l.at, time.Now())
	return nil
}

func (l *pageLog) setFail(fail bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.fail = fail
}

func (l *pageLog) firstAt() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.at[0]
}

// sizes returns the number of marks of each write.
func (l *pageLog) sizes() []int {
	l.mu.Lock()
	defer l.mu.Unlock()
	var n []int
	for _, b := range l.batches {
		n = append(n, len(b))
	}
	return n
}

func mark(page int) store.PageMark {
	return store.PageMark{WorkerID: 1, Lesson: "rec-tally", Page: page}
}

// startProgress runs a Progress into a fresh pageLog inside the synctest
// bubble; stop cancels Run and returns its error.
func startProgress(t *testing.T, size int) (*Progress, *pageLog, func() error) {
	log := &pageLog{}
	p := NewProgress(log, nil)
	p.size = size
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	synctest.Wait()
	return p, log, func() error { cancel(); return <-done }
}

func TestProgressWritesWithinASecond(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p, log, stop := startProgress(t, pageBatch)
		start := time.Now()
		if err := p.Mark(t.Context(), mark(1)); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		if got := log.sizes(); got != nil {
			t.Errorf("writes right after Mark = %v, want none: the mark waits for others", got)
		}
		time.Sleep(time.Second)
		synctest.Wait()
		if got := log.sizes(); !cmp.Equal(got, []int{1}) {
			t.Fatalf("writes a second after Mark = %v, want [1]", got)
		}
		if late := log.firstAt().Sub(start); late > time.Second {
			t.Errorf("mark written %v after Mark, want at most 1s", late)
		}
		if err := stop(); err != nil {
			t.Errorf("Run() = %v, want nil", err)
		}
	})
}

func TestProgressBatches(t *testing.T) {
	tests := []struct {
		name  string
		size  int
		marks int
		want  []int
		// now: the first write happens at once, not after pageWait
		now bool
	}{
		{"marks of one wait go in one write", pageBatch, 3, []int{3}, false},
		{"a full batch is written at once", 2, 5, []int{2, 2, 1}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				p, log, stop := startProgress(t, tt.size)
				start := time.Now()
				for i := range tt.marks {
					if err := p.Mark(t.Context(), mark(i)); err != nil {
						t.Fatal(err)
					}
					synctest.Wait() // the hops come one after another
				}
				if tt.now && (len(log.sizes()) == 0 || !log.firstAt().Equal(start)) {
					t.Errorf("a full batch was not written at once: writes %v", log.sizes())
				}
				time.Sleep(time.Second)
				synctest.Wait()
				if got := log.sizes(); !cmp.Equal(got, tt.want) {
					t.Errorf("writes of %d marks = %v, want %v", tt.marks, got, tt.want)
				}
				if err := stop(); err != nil {
					t.Errorf("Run() = %v, want nil", err)
				}
			})
		})
	}
}

func TestProgressWritesAtShutdown(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p, log, stop := startProgress(t, pageBatch)
		for i := range 3 {
			if err := p.Mark(t.Context(), mark(i)); err != nil {
				t.Fatal(err)
			}
		}
		if err := stop(); err != nil {
			t.Errorf("Run() = %v, want nil", err)
		}
		if got := log.sizes(); !cmp.Equal(got, []int{3}) {
			t.Errorf("writes at shutdown = %v, want [3]", got)
		}
		if err := p.Mark(t.Context(), mark(9)); err != nil || !cmp.Equal(log.sizes(), []int{3, 1}) {
			t.Errorf("Mark after Run = %v, writes %v; want the mark written at once", err, log.sizes())
		}
	})
}

func TestProgressKeepsMarksWhileTheDatabaseFails(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p, log, stop := startProgress(t, pageBatch)
		log.setFail(true)
		if err := p.Mark(t.Context(), mark(1)); err != nil {
			t.Fatal(err)
		}
		time.Sleep(2 * time.Second)
		synctest.Wait()
		log.setFail(false)
		if err := p.Mark(t.Context(), mark(2)); err != nil {
			t.Fatal(err)
		}
		if err := p.Sync(t.Context()); err != nil {
			t.Errorf("Sync() = %v, want nil", err)
		}
		if got := log.sizes(); !cmp.Equal(got, []int{2}) {
			t.Errorf("writes after the database came back = %v, want [2]: the failed mark and the new one", got)
		}
		log.setFail(true)
		if err := p.Mark(t.Context(), mark(3)); err != nil {
			t.Fatal(err)
		}
		if err := stop(); err == nil {
			t.Errorf("Run() with a mark it could not write = nil, want an error")
		}
	})
}

func TestProgressWithoutRunWritesAtOnce(t *testing.T) {
	log := &pageLog{}
	p := NewProgress(log, nil)
	if err := p.Mark(context.Background(), mark(1)); err != nil || !cmp.Equal(log.sizes(), []int{1}) {
		t.Errorf("Mark() without Run = %v, writes %v; want nil, [1]", err, log.sizes())
	}
	log.setFail(true)
	if err := p.Mark(context.Background(), mark(2)); err == nil {
		t.Errorf("Mark() without Run on a failing database = nil, want the error")
	}
}
