package admin

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/crypto/bcrypt"

	"github.com/chanjo-health/chanjo/lessons/stock"
	"github.com/chanjo-health/chanjo/quiet"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

const testPassword = "correct horse battery"

// testPrice is SMS_SEGMENT_COST in the tests.
var testPrice = store.Price{PerSegment: 0.8, Currency: "KES"}

// testQuiet is SMS_QUIET_HOURS in the tests: the default 19:00-07:00.
var testQuiet = quiet.Hours{Start: 19 * 60, End: 7 * 60}

// harness is the console and API on the real router, over a test database.
type harness struct {
	t   *testing.T
	db  *store.DB
	r   *gin.Engine
	con *Console
	now time.Time
}

func newHarness(t *testing.T, db *store.DB) *harness {
	t.Helper()
	gin.SetMode(gin.TestMode)
	h := &harness{t: t, db: db, now: time.Date(2025, 3, 10, 6, 0, 0, 0, time.UTC)}
	db.Now = func() time.Time { return h.now }
	log := slog.New(slog.DiscardHandler)
	nairobi := time.FixedZone("EAT", 3*3600)
	con := NewConsole(db, log, nairobi)
	con.Price, con.Quiet = testPrice, testQuiet
	con.Mentoring, con.Checklist = testMentoring(db), testChecklist
	con.RegistrationNotice = testRegistrationNotice
	h.con = con
	con.heldDelay = 0 // refused tries answer at once: the tests count, they do not time
	h.r = gin.New()
	con.Register(h.r)
	_, g := con.routeGroups(h.r)
	con.postUpload(g, "/test-upload", func(c *gin.Context) { c.String(http.StatusOK, "ok") })
	api := NewAPI(db, log)
	api.Price, api.Quiet, api.TZ = testPrice, testQuiet, nairobi
	api.Mentoring, api.Checklist = testMentoring(db), testChecklist
	api.RegistrationNotice = testRegistrationNotice
	v1 := h.r.Group("/api/v1", api.Auth)
	api.Register(v1)
	NewCalculatorHandler(nil, stock.NewSettings(stock.Policy{}, nil), log).Register(v1)
	return h
}

// user adds a console user (a cheap hash: tests need speed, not strength).
func (h *harness) user(name, role string, subCounties ...string) store.User {
	h.t.Helper()
	hash, err := bcrypt.GenerateFromPassword([]byte(testPassword), bcrypt.MinCost)
	if err != nil {
		h.t.Fatal(err)
	}
	u, err := h.db.CreateUser(context.Background(), store.NewUser{Name: name, Role: role, PasswordHash: string(hash), SubCounties: subCounties})
	if err != nil {
		h.t.Fatal(err)
	}
	return u
}

// token gives the user an API token.
func (h *harness) token(u store.User) string {
	h.t.Helper()
	token, hash := NewToken()
	if err := h.db.CreateToken(context.Background(), u.ID, "test", hash); err != nil {
		h.t.Fatal(err)
	}
	return token
}

// worker adds a worker at a facility of the sub-county.
func (h *harness) worker(name, phone, subCounty, status string) int64 {
	h.t.Helper()
	f := storetest.Facility(h.t, h.db, "F-"+subCounty, subCounty+" Health Centre", subCounty, "Nairobi", h.now)
	return storetest.Worker(h.t, h.db, phone, name, f, status, h.now)
}

func (h *harness) workerRow(id int64) store.WorkerRow {
	h.t.Helper()
	w, err := h.db.WorkerInScope(context.Background(), store.Scope{Admin: true}, id)
	if err != nil {
		h.t.Fatal(err)
	}
	return w
}

func (h *harness) audits(action string) int {
	h.t.Helper()
	return storetest.Audits(h.t, h.db, action)
}

// browser is a client with cookies.
type browser struct {
	h          *harness
	cookies    map[string]string
	remoteAddr string // host:port the request comes from; httptest's default when ""
}

func (h *harness) browser() *browser { return &browser{h: h, cookies: map[string]string{}} }

func (b *browser) do(req *http.Request) *httptest.ResponseRecorder {
	if b.remoteAddr != "" {
		req.RemoteAddr = b.remoteAddr
	}
	for k, v := range b.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	rec := httptest.NewRecorder()
	b.h.r.ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		if c.MaxAge < 0 {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c.Value
		}
	}
	return rec
}

func (b *browser) get(path string) *httptest.ResponseRecorder {
	return b.do(httptest.NewRequest(http.MethodGet, path, nil))
}

func (b *browser) post(path string, form url.Values) *httptest.ResponseRecorder {
	return b.postBody(path, strings.NewReader(form.Encode()))
}

func (b *browser) postBody(path string, body io.Reader) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, path, body)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf returns the CSRF token of the page at path.
func (b *browser) csrf(path string) string {
	b.h.t.Helper()
	m := csrfRE.FindStringSubmatch(b.get(path).Body.String())
	if m == nil {
		b.h.t.Fatalf("no csrf field on %s", path)
	}
	return m[1]
}

func (b *browser) login(name, password string) *httptest.ResponseRecorder {
	return b.post("/admin/login", url.Values{"csrf": {b.csrf("/admin/login")}, "name": {name}, "password": {password}})
}

// loggedIn returns a browser logged in as name, and its session's CSRF token.
func (h *harness) loggedIn(name string) (*browser, string) {
	h.t.Helper()
	b := h.browser()
	if rec := b.login(name, testPassword); rec.Code != http.StatusSeeOther {
		h.t.Fatalf("login(%s) = %d, want 303: %s", name, rec.Code, rec.Body)
	}
	return b, b.csrf("/admin")
}

// api calls the JSON API with the token (none when "").
func (h *harness) api(method, path, token, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.r.ServeHTTP(rec, req)
	return rec
}
