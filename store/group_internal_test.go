package store

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestGroupCommitJoinsWaitingWrites: writes that arrive while a commit runs
// go together in the next one, at most max at a time; when a joined write
// fails, each item is written alone, so only the bad one's caller fails.
func TestGroupCommitJoinsWaitingWrites(t *testing.T) {
	var mu sync.Mutex
	var batches [][]int
	started, release := make(chan struct{}), make(chan struct{})
	g := &groupCommit[int]{max: 4, write: func(_ context.Context, items []int) error {
		mu.Lock()
		batches = append(batches, append([]int(nil), items...))
		first := len(batches) == 1
		mu.Unlock()
		if first {
			close(started)
			<-release // the first commit runs while the others arrive
		}
		for _, it := range items {
			if it < 0 {
				return errors.New("bad item")
			}
		}
		return nil
	}}
	items := []int{0, 1, 2, 3, 4, -5, 6}
	errs := make([]error, len(items))
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); errs[0] = g.add(items[0]) }()
	<-started
	for i := 1; i < len(items); i++ {
		wg.Add(1)
		go func() { defer wg.Done(); errs[i] = g.add(items[i]) }()
	}
	for queued := 0; queued < len(items)-1; {
		time.Sleep(time.Millisecond)
		g.mu.Lock()
		queued = len(g.queue)
		g.mu.Unlock()
	}
	close(release)
	wg.Wait()
	for i, err := range errs {
		if (err != nil) != (items[i] < 0) {
			t.Errorf("item %d: error %v", items[i], err)
		}
	}
	// The first alone; the six that waited in joined writes of at most 4;
	// the joined write holding -5 failed and its items went one by one.
	if len(batches) < 3 || !cmp.Equal(batches[0], []int{0}) || len(batches[1]) != 4 {
		t.Fatalf("writes %v, want [0], then a joined write of 4", batches)
	}
	var joined []int
	for i := 1; i < len(batches); i++ {
		b := batches[i]
		joined = append(joined, b...)
		if slices.Contains(b, -5) {
			var alone []int
			for _, single := range batches[i+1 : min(len(batches), i+1+len(b))] {
				alone = append(alone, single...)
			}
			if !cmp.Equal(alone, b) {
				t.Errorf("after the failed write %v, writes %v, want each of its items alone", b, batches[i+1:])
			}
			i += len(b)
		}
	}
	slices.Sort(joined)
	if !cmp.Equal(joined, []int{-5, 1, 2, 3, 4, 6}) {
		t.Errorf("joined writes %v, want each waiting item once", batches)
	}
}

// TestGroupCommitParallel: with two commits allowed at once, a caller that
// arrives while one commit runs writes at once rather than waiting for it,
// and every item is still written exactly once, each caller answered.
func TestGroupCommitParallel(t *testing.T) {
	var mu sync.Mutex
	written := map[int]int{}
	release := make(chan struct{})
	g := &groupCommit[int]{max: 4, parallel: 2, write: func(_ context.Context, items []int) error {
		if slices.Contains(items, 0) {
			<-release // the first commit hangs until the second is written
		}
		mu.Lock()
		defer mu.Unlock()
		for _, it := range items {
			written[it]++
		}
		return nil
	}}
	first := make(chan error, 1)
	go func() { first <- g.add(0) }()
	for {
		g.mu.Lock()
		taken := len(g.queue) == 0 && g.leaders == 1
		g.mu.Unlock()
		if taken {
			break
		}
		time.Sleep(time.Millisecond)
	}
	if err := g.add(1); err != nil { // on the old code this waits for the first commit: the test hangs
		t.Fatalf("second add = %v", err)
	}
	close(release)
	if err := <-first; err != nil {
		t.Fatalf("first add = %v", err)
	}
	errs := make([]error, 40)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() { errs[i] = g.add(i + 2) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("add %d = %v", i+2, err)
		}
	}
	for i := range len(errs) + 2 {
		if written[i] != 1 {
			t.Errorf("item %d written %d times, want once", i, written[i])
		}
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.leaders != 0 || len(g.queue) != 0 {
		t.Errorf("after every commit: %d leaders, %d queued; want none", g.leaders, len(g.queue))
	}
}
