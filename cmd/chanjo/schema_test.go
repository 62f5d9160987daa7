package main

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store/storetest"
)

// fakeMigration is a migration no binary of this tree knows: what a newer
// binary leaves in schema_migrations during a rolling upgrade.
const fakeMigration = "9999_from_a_newer_binary"

func applyFakeMigration(t *testing.T, a *app) {
	t.Helper()
	storetest.FutureMigration(t, a.db, fakeMigration)
}

// TestOlderBinaryRefusesToStart: a binary one migration behind the database
// refuses to start, with one line naming both versions.
func TestOlderBinaryRefusesToStart(t *testing.T) {
	a, _ := testApp(t, nil)
	last := lastKnownMigration(t, a)
	applyFakeMigration(t, a)
	b, err := newApp(context.Background(), a.cfg, a.log, &bytes.Buffer{})
	if err == nil {
		b.close()
		t.Fatal("newApp on a database with an unknown migration succeeded, want a refusal")
	}
	if msg := err.Error(); !strings.Contains(msg, fakeMigration) || !strings.Contains(msg, last) || strings.Contains(msg, "\n") {
		t.Errorf("refusal = %q, want one line naming %s and %s", msg, fakeMigration, last)
	}
}

// lastKnownMigration returns the newest migration applied, before a fake one.
func lastKnownMigration(t *testing.T, a *app) string {
	return storetest.LastMigration(t, a.db)
}

// TestRunningInstanceStopsWorkersUnderANewerSchema: a newer binary migrates
// the database under a running one; its background workers stop, and it
// says so once, at error level.
func TestRunningInstanceStopsWorkersUnderANewerSchema(t *testing.T) {
	a, _ := testApp(t, nil)
	var logs lockedBuffer
	a.log = slog.New(slog.NewTextHandler(&logs, nil))
	halted := make(chan struct{})
	a.workers = append(a.workers, worker{"probe", func(ctx context.Context) error { <-ctx.Done(); close(halted); return nil }})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.serve(ctx, ln, a.router()) }()
	applyFakeMigration(t, a)
	select {
	case <-halted:
	case <-time.After(30 * time.Second):
		t.Fatal("workers still running 30 s after a newer migration, want them stopped")
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve = %v, want nil", err)
	}
	var lines []string
	for _, l := range strings.Split(logs.String(), "\n") {
		// Only the heartbeat's lines, which check the schema: start-up may
		// say loudly that no gateway is configured.
		if strings.Contains(l, "level=ERROR") && strings.Contains(l, "component=process") {
			lines = append(lines, l)
		}
	}
	if len(lines) != 1 || !strings.Contains(lines[0], fakeMigration) || !strings.Contains(lines[0], "background workers stopped") {
		t.Errorf("error lines = %q, want one from the heartbeat saying the workers stopped for %s", lines, fakeMigration)
	}
}

// lockedBuffer is a log sink that workers may write while the test reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
