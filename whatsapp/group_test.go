package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// TestGroupCommit: POSTs arriving together share commits, each body is written exactly once, and
// each request learns the outcome of its own commit.
func TestGroupCommit(t *testing.T) {
	var mu sync.Mutex
	written := map[string]int{}
	commits := 0
	release := make(chan struct{})
	g := &groupCommit{deadline: time.Second, write: func(_ context.Context, bodies [][]byte) error {
		if commits == 0 {
			<-release // the first commit runs while the others queue
		}
		mu.Lock()
		defer mu.Unlock()
		commits++
		for _, b := range bodies {
			written[string(b)]++
		}
		if string(bodies[0]) == "fail" {
			return errors.New("database gone")
		}
		return nil
	}}
	first := make(chan error, 1)
	go func() { first <- g.add([]byte("first")) }()
	for g.queueLen() != 0 { // the first is taken by its commit
		time.Sleep(time.Millisecond)
	}
	var wg sync.WaitGroup
	errs := make([]error, 50)
	for i := range errs {
		wg.Go(func() { errs[i] = g.add(fmt.Appendf(nil, "b%d", i)) })
	}
	for g.queueLen() != len(errs) {
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	if err := <-first; err != nil {
		t.Errorf("first add = %v", err)
	}
	for i, err := range errs {
		if err != nil || written[fmt.Sprintf("b%d", i)] != 1 {
			t.Errorf("add b%d = %v, written %d times; want nil and once", i, err, written[fmt.Sprintf("b%d", i)])
		}
	}
	if commits != 2 {
		t.Errorf("%d commits for 51 bodies queued behind one, want 2", commits)
	}
	if err := g.add([]byte("fail")); err == nil {
		t.Errorf("add when the commit fails = nil, want its error")
	}
}

// queueLen is for tests: how many requests wait for a commit.
func (g *groupCommit) queueLen() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.queue)
}
