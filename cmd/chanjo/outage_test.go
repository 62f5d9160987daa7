package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// dbProxy is a TCP proxy the test owns in front of the shared PostgreSQL:
// cutting it is a database outage for the service behind it, and for no
// other test.
type dbProxy struct {
	ln     net.Listener
	target string

	mu    sync.Mutex
	down  bool
	conns map[net.Conn]bool
}

func startDBProxy(t *testing.T, target string) *dbProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &dbProxy{ln: ln, target: target, conns: map[net.Conn]bool{}}
	t.Cleanup(func() { ln.Close(); p.cut() })
	go p.accept()
	return p
}

func (p *dbProxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		down := p.down
		p.mu.Unlock()
		if down {
			c.Close()
			continue
		}
		u, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.conns[c], p.conns[u] = true, true
		p.mu.Unlock()
		go func() { io.Copy(u, c); u.Close() }()
		go func() { io.Copy(c, u); c.Close() }()
	}
}

// cut closes every connection and refuses new ones until restore.
func (p *dbProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = true
	for c := range p.conns {
		c.Close()
	}
	p.conns = map[net.Conn]bool{}
}

func (p *dbProxy) restore() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = false
}

// outageFor is how long the database stays away in the outage tests: 2 s in
// CI, CHANJO_OUTAGE (say 15s) for the figure; the mechanism is the
// same.
func outageFor(t *testing.T) time.Duration {
	d := 2 * time.Second
	if v := os.Getenv("CHANJO_OUTAGE"); v != "" {
		var err error
		if d, err = time.ParseDuration(v); err != nil {
			t.Fatalf("CHANJO_OUTAGE=%q: %v", v, err)
		}
	}
	return d
}

// outageSite is a served instance on PostgreSQL behind a dbProxy, with the
// demo roster.
type outageSite struct {
	a     *app
	proxy *dbProxy
	url   string
	stop  context.CancelFunc
	done  chan error
}

func startOutageSite(t *testing.T) *outageSite {
	dsn := storetest.PostgresURL(t)
	if dsn == "" {
		t.Skip("TEST_DATABASE_URL is not set: the outage goes through a proxy in front of PostgreSQL")
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	proxy := startDBProxy(t, u.Host)
	u.Host = proxy.ln.Addr().String()
	a, _ := testApp(t, map[string]string{"DATABASE_URL": u.String()})
	if _, err := a.db.LoadDemo(context.Background()); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &outageSite{a: a, proxy: proxy, url: "http://" + ln.Addr().String(), stop: cancel, done: make(chan error, 1)}
	h := a.router()
	go func() { s.done <- a.serve(ctx, ln, h) }()
	t.Cleanup(func() { cancel(); <-s.done })
	return s
}

// hop sends one USSD hop of nurse i in her session.
func (s *outageSite) hop(t *testing.T, i int, text string) string {
	t.Helper()
	form := url.Values{"sessionId": {"outage-" + t.Name() + "-" + store.DemoNursePhone(i)}, "phoneNumber": {store.DemoNursePhone(i)},
		"serviceCode": {"*384*123#"}, "text": {text}}
	res, err := http.PostForm(s.url+"/ussd?token="+s.a.token, form)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

// readDuringOutage has nurses open a lesson, then cuts the database and
// has them read two pages more; it returns the nurses.
func (s *outageSite) readDuringOutage(t *testing.T) []int {
	nurses := []int{1, 2, 3, 4, 5}
	for _, n := range nurses {
		for _, text := range []string{"", "1", "1*2", "1*2*1"} {
			s.hop(t, n, text)
		}
	}
	s.proxy.cut()
	for _, n := range nurses {
		for _, text := range []string{"1*2*1*1", "1*2*1*1*1"} {
			if got := s.hop(t, n, text); !strings.HasPrefix(got, "CON (") {
				t.Fatalf("page %q of nurse %d during the outage = %q, want the page", text, n, got)
			}
		}
	}
	return nurses
}

// TestLessonPagesSurviveADatabaseOutage: pages read while the database is
// away are in lesson_progress once it is back.
func TestLessonPagesSurviveADatabaseOutage(t *testing.T) {
	t.Parallel()
	s := startOutageSite(t)
	nurses := s.readDuringOutage(t)
	time.Sleep(outageFor(t))
	s.proxy.restore()
	s.waitForPage(t, nurses, 2)
}

// waitForPage waits, up to 30 s, until lesson_progress holds page for each
// of nurses: the third screen, read during the outage.
func (s *outageSite) waitForPage(t *testing.T, nurses []int, want int) {
	for _, n := range nurses {
		var page int
		for deadline := time.Now().Add(30 * time.Second); page != want && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			page = s.furthestPage(store.DemoNursePhone(n))
		}
		if page != want {
			t.Errorf("nurse %d: lesson_progress page = %d after the outage, want %d (read during it)", n, page, want)
		}
	}
}

// furthestPage returns the furthest page the nurse with phone p has
// reached in any lesson, or 0 while the database cannot say.
func (s *outageSite) furthestPage(p string) int {
	ctx := context.Background()
	w, err := s.a.db.WorkerByPhone(ctx, p)
	if err != nil {
		return 0
	}
	progress, err := s.a.db.LessonProgress(ctx, w.ID)
	if err != nil {
		return 0
	}
	page := 0
	for _, l := range progress {
		page = max(page, l.Page)
	}
	return page
}

// TestSIGTERMDuringAnOutage: a shutdown while the database is away cannot
// write the pages held. With a real Redis they wait there, serve returns nil
// and the next instance writes them; on the embedded Redis serve returns an
// error with their count (chanjo exits non-zero).
func TestSIGTERMDuringAnOutage(t *testing.T) {
	t.Parallel()
	s := startOutageSite(t)
	nurses := s.readDuringOutage(t)
	s.stop()
	err := <-s.done
	s.done <- nil // for the cleanup
	if s.a.kv.Embedded {
		if want := "ussd-progress: ussd: 5 lesson page marks not saved"; err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("serve stopped during the outage = %v, want an error containing %q", err, want)
		}
		return
	}
	if err != nil {
		t.Fatalf("serve stopped during the outage = %v, want nil: the pages wait in Redis", err)
	}
	s.proxy.restore()
	next, err := newApp(context.Background(), s.a.cfg, s.a.log, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer next.close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	h := next.router()
	go func() { done <- next.serve(ctx, ln, h) }()
	defer func() { cancel(); <-done }()
	s.waitForPage(t, nurses, 2)
}
