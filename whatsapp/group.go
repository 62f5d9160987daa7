package whatsapp

import (
	"context"
	"sync"
	"time"
)

// groupCommit writes webhook bodies to the inbox so that the POSTs arriving while one commit runs
// share the next one: under load each POST waits for about one commit, not for a queue of them.
// No goroutine of its own: the first waiting request writes (leads), and hands the lead to the next
// waiting request when its own body is written.
type groupCommit struct {
	write    func(ctx context.Context, bodies [][]byte) error
	deadline time.Duration

	mu      sync.Mutex
	leading bool
	queue   []*queued
}

// queued is one request's body; done receives the outcome of its commit, lead the turn to write.
type queued struct {
	body []byte
	done chan error
	lead chan struct{}
}

// add writes body and returns once it is committed (nil) or not. It never waits longer than about
// two deadlines: the commit under way and its own.
func (g *groupCommit) add(body []byte) error {
	q := &queued{body: body, done: make(chan error, 1), lead: make(chan struct{}, 1)}
	g.mu.Lock()
	g.queue = append(g.queue, q)
	if !g.leading {
		g.leading = true
		q.lead <- struct{}{}
	}
	g.mu.Unlock()
	for {
		select {
		case err := <-q.done:
			return err
		case <-q.lead:
			g.commit()
		}
	}
}

// commit writes everything queued in one transaction, answers each request, and passes the lead to
// the oldest request still waiting (or gives it up). The writes use their own deadline, not one
// request's context, so a client that hangs up cannot fail the others' commit.
func (g *groupCommit) commit() {
	g.mu.Lock()
	batch := g.queue
	g.queue = nil
	g.mu.Unlock()
	bodies := make([][]byte, len(batch))
	for i, q := range batch {
		bodies[i] = q.body
	}
	ctx, cancel := context.WithTimeout(context.Background(), g.deadline)
	err := g.write(ctx, bodies)
	cancel()
	for _, q := range batch {
		q.done <- err
	}
	g.mu.Lock()
	if len(g.queue) > 0 {
		g.queue[0].lead <- struct{}{}
	} else {
		g.leading = false
	}
	g.mu.Unlock()
}
