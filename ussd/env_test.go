package ussd

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/kv"
	"github.com/chanjo-health/chanjo/kv/kvtest"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

func init() { gin.SetMode(gin.ReleaseMode) }

// testNow is the clock of every test: sessions and caches depend on it.
var testNow = time.Date(2025, 3, 4, 9, 30, 0, 0, time.UTC)

// testEnv is the USSD service on a demo database and a Redis of its own,
// behind the real HTTP handler.
type testEnv struct {
	db    *store.DB
	kv    *kv.Client
	st    *countingStore
	pages *Progress // lesson pages, written behind to db (not counted as hop SQL)
	svc   *Service
	h     http.Handler
	clock time.Time
}

func newTestEnv(t testing.TB, open bool) *testEnv {
	t.Helper()
	return newTestEnvOn(t, open, kvtest.New(t))
}

// newTestEnvOn is newTestEnv on the Redis client c.
func newTestEnvOn(t testing.TB, open bool, c *kv.Client) *testEnv {
	t.Helper()
	db := storetest.SQLite(t)
	db.Now = func() time.Time { return testNow }
	if _, err := db.LoadDemo(context.Background()); err != nil {
		t.Fatal(err)
	}
	e := &testEnv{db: db, kv: c, st: &countingStore{Store: db}, clock: testNow}
	e.pages = runProgress(t, db)
	e.serve(t, Config{OpenEnrolment: open})
	return e
}

// serve puts the service of cfg, on the env's store, Redis, clock and
// lesson pages, behind the env's HTTP handler.
func (e *testEnv) serve(t testing.TB, cfg Config) {
	t.Helper()
	cfg.Store, cfg.KV, cfg.Now, cfg.Progress, cfg.Mentoring = e.st, e.kv, func() time.Time { return e.clock }, e.pages, testMentoring(e.db)
	e.svc = mustNew(t, cfg)
	r := gin.New()
	NewHandler(e.svc, e.st).Register(r)
	e.h = r
}

// post sends one hop through the HTTP handler and returns status and body.
func (e *testEnv) post(sessionID, phone, text string) (int, string) {
	form := url.Values{"sessionId": {sessionID}, "serviceCode": {"*384*123#"}, "phoneNumber": {phone}, "networkCode": {"63902"}, "text": {text}}
	req := httptest.NewRequest("POST", "/ussd", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

// countingStore counts the calls that reach the database and can be made
// to fail or panic.
type countingStore struct {
	Store
	calls atomic.Int64
	fail  error
	panic bool
}

func (s *countingStore) hit() error {
	s.calls.Add(1)
	if s.panic {
		panic("test panic")
	}
	return s.fail
}

func (s *countingStore) WorkerByPhone(ctx context.Context, p string) (store.Worker, error) {
	if err := s.hit(); err != nil {
		return store.Worker{}, err
	}
	return s.Store.WorkerByPhone(ctx, p)
}

func (s *countingStore) TouchDial(ctx context.Context, id int64) error {
	if err := s.hit(); err != nil {
		return err
	}
	return s.Store.TouchDial(ctx, id)
}

func (s *countingStore) Register(ctx context.Context, r store.Registration) (store.Worker, error) {
	if err := s.hit(); err != nil {
		return store.Worker{}, err
	}
	return s.Store.Register(ctx, r)
}

func (s *countingStore) FacilityKnown(ctx context.Context, code string) (bool, error) {
	if err := s.hit(); err != nil {
		return false, err
	}
	return s.Store.FacilityKnown(ctx, code)
}

func (s *countingStore) SetLanguage(ctx context.Context, id int64, lang string) error {
	if err := s.hit(); err != nil {
		return err
	}
	return s.Store.SetLanguage(ctx, id, lang)
}

func (s *countingStore) SetOptOut(ctx context.Context, p string, out bool) (bool, error) {
	if err := s.hit(); err != nil {
		return false, err
	}
	return s.Store.SetOptOut(ctx, p, out)
}

// mustNew is New, failing the test on an error.
func mustNew(t testing.TB, cfg Config) *Service {
	t.Helper()
	svc, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return svc
}
