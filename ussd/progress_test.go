package ussd

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/store"
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

// workers returns the nurses whose marks were written.
func (l *pageLog) workers() map[int64]bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	w := map[int64]bool{}
	for _, b := range l.batches {
		for _, m := range b {
			w[m.WorkerID] = true
		}
	}
	return w
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

// mark returns a mark of nurse i: marks of different nurses are different
// rows, written apart.
func mark(i int) store.PageMark {
	return store.PageMark{WorkerID: int64(i + 1), Lesson: "rec-tally", Page: 2}
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

func TestProgressHoldsOneMarkPerLesson(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p, log, stop := startProgress(t, pageBatch)
		log.setFail(true)
		at := time.Now()
		for i, m := range []store.PageMark{{Page: 1}, {Page: 2, Done: true}, {Page: 3}} {
			m.WorkerID, m.Lesson, m.At = 7, "rec-tally", at.Add(time.Duration(i)*time.Second)
			if err := p.Mark(t.Context(), m); err != nil {
				t.Fatal(err)
			}
			time.Sleep(time.Second)
			synctest.Wait()
		}
		if n := p.Held(); n != 1 {
			t.Errorf("held during the outage = %d marks, want 1: one row per nurse and lesson", n)
		}
		log.setFail(false)
		if err := stop(); err != nil {
			t.Fatalf("Run() = %v, want nil", err)
		}
		want := []store.PageMark{{WorkerID: 7, Lesson: "rec-tally", Page: 3, Done: true, At: at.Add(2 * time.Second)}}
		if diff := cmp.Diff([][]store.PageMark{want}, log.batches); diff != "" {
			t.Errorf("writes (-want +got):\n%s", diff)
		}
	})
}

// TestProgressKeepsEveryMarkThroughAnOutage: an outage of a minute, far more
// nurses reading than the old write-behind kept, and every mark is written
// once the database answers; the tries back off meanwhile.
func TestProgressKeepsEveryMarkThroughAnOutage(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p, log, stop := startProgress(t, pageBatch)
		log.setFail(true)
		const nurses = 25_000
		for i := range nurses {
			if err := p.Mark(t.Context(), mark(i)); err != nil {
				t.Fatal(err)
			}
			if i%1000 == 0 {
				time.Sleep(2 * time.Second)
				synctest.Wait()
			}
		}
		log.setFail(false)
		time.Sleep(retryMax + time.Second)
		synctest.Wait()
		if written := log.workers(); len(written) != nurses || p.Held() != 0 {
			t.Errorf("after the outage %d nurses' marks written, %d held, want %d and 0", len(written), p.Held(), nurses)
		}
		if err := stop(); err != nil {
			t.Errorf("Run() = %v, want nil", err)
		}
	})
}

// TestProgressAtTheCap: past the cap a hop writes its own mark, and when
// that fails Mark says the page is not saved; the cap is counted.
func TestProgressAtTheCap(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p, log, stop := startProgress(t, pageBatch)
		p.cap = 2
		log.setFail(true)
		for i := range 2 {
			if err := p.Mark(t.Context(), mark(i)); err != nil {
				t.Fatalf("Mark(%d) under the cap = %v, want it held", i, err)
			}
		}
		if err := p.Mark(t.Context(), mark(0)); err != nil {
			t.Errorf("Mark of a lesson held already = %v, want it held", err)
		}
		if err := p.Mark(t.Context(), mark(2)); !errors.Is(err, ErrPageNotSaved) {
			t.Errorf("Mark past the cap with the database down = %v, want ErrPageNotSaved", err)
		}
		log.setFail(false)
		if err := p.Mark(t.Context(), mark(3)); err != nil || !cmp.Equal(log.sizes(), []int{1}) {
			t.Errorf("Mark past the cap with the database up = %v, writes %v, want it written at once", err, log.sizes())
		}
		if n := p.CapReached(); n != 2 {
			t.Errorf("CapReached() = %d, want 2", n)
		}
		if err := stop(); err != nil {
			t.Errorf("Run() = %v, want nil", err)
		}
	})
}

func TestProgressStopDuringAnOutage(t *testing.T) {
	for _, tt := range []struct {
		name string
		back time.Duration // when the database answers again after the stop; 0: never
		want string        // Run's error
	}{
		{"the database comes back within the flush", flushTimeout / 2, ""},
		{"the database stays down", 0, "ussd: 2 lesson page marks not saved: database down"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				p, log, stop := startProgress(t, pageBatch)
				log.setFail(true)
				for i := range 2 {
					if err := p.Mark(t.Context(), mark(i)); err != nil {
						t.Fatal(err)
					}
				}
				if tt.back > 0 {
					go func() { time.Sleep(tt.back); log.setFail(false) }()
				}
				err := stop()
				if got := fmt.Sprint(err); tt.want == "" && err != nil || tt.want != "" && got != tt.want {
					t.Errorf("Run() stopped = %v, want %q", err, tt.want)
				}
				if tt.want == "" && !cmp.Equal(log.sizes(), []int{2}) {
					t.Errorf("writes = %v, want [2]", log.sizes())
				}
			})
		})
	}
}
