package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/admin"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

var loginCSRF = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// tryLogin posts the login form as a browser at remote would, through a
// proxy that sends X-Forwarded-For: xff when xff is not "".
func tryLogin(t *testing.T, h *gin.Engine, name, password, remote, xff string) *httptest.ResponseRecorder {
	t.Helper()
	form := httptest.NewRecorder()
	h.ServeHTTP(form, httptest.NewRequest("GET", "/admin/login", nil))
	m := loginCSRF.FindStringSubmatch(form.Body.String())
	if m == nil {
		t.Fatal("no csrf field on /admin/login")
	}
	body := url.Values{"csrf": {m[1]}, "name": {name}, "password": {password}}.Encode()
	req := httptest.NewRequest("POST", "/admin/login", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.RemoteAddr = remote
	if xff != "" {
		req.Header.Set("X-Forwarded-For", xff)
	}
	for _, c := range form.Result().Cookies() {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// TestForwardedForOnlyFromTrustedProxies: the login throttle counts a try
// against the address X-Forwarded-For names only when a proxy listed in
// TRUSTED_PROXIES sent it; otherwise against the connection's address, so
// a guesser cannot invent a fresh address for every try.
func TestForwardedForOnlyFromTrustedProxies(t *testing.T) {
	tests := []struct {
		proxies, remote, want string
	}{
		{"", "203.0.113.5:4000", "addr:203.0.113.5"},
		{"10.0.0.0/8", "203.0.113.5:4000", "addr:203.0.113.5"},
		{"10.0.0.0/8", "10.1.2.3:4000", "addr:198.51.100.9"},
		{"10.1.2.3", "10.1.2.3:4000", "addr:198.51.100.9"},
	}
	for _, tt := range tests {
		t.Run(tt.proxies+"_"+tt.remote, func(t *testing.T) {
			a, _ := testApp(t, map[string]string{"TRUSTED_PROXIES": tt.proxies})
			if _, err := a.db.CreateUser(context.Background(), store.NewUser{Name: "amina", Role: store.RoleAdmin, PasswordHash: "unused"}); err != nil {
				t.Fatal(err)
			}
			tryLogin(t, a.router(), "amina", "a wrong password", tt.remote, "198.51.100.9")
			var keys []string
			for _, k := range storetest.ThrottleKeys(t, a.db) {
				if strings.HasPrefix(k, "addr:") {
					keys = append(keys, k)
				}
			}
			if len(keys) != 1 || keys[0] != tt.want {
				t.Errorf("throttle keys = %q, want [%s]", keys, tt.want)
			}
		})
	}
}

// TestUserUnlockLiftsTheThrottle: after a guesser's tries, the supervisor
// waits; `chanjo user unlock` lets her in at once, and the audit log says so.
func TestUserUnlockLiftsTheThrottle(t *testing.T) {
	a, _ := testApp(t, nil)
	if _, err := a.db.CreateUser(context.Background(), store.NewUser{Name: "Wanjiru", Role: store.RoleAdmin, PasswordHash: "unused"}); err != nil {
		t.Fatal(err)
	}
	h := a.router()
	for range admin.AccountFreeTries {
		tryLogin(t, h, "wanjiru", "a wrong password", "203.0.113.5:4000", "")
	}
	if rec := tryLogin(t, h, "wanjiru", "a wrong password", "203.0.113.5:4000", ""); !strings.Contains(rec.Body.String(), "try again after") {
		t.Fatalf("try past the free ones = %d, want the wait message", rec.Code)
	}
	e, out, _ := cliEnv(a.cfg.DatabaseURL, "")
	if err := run(context.Background(), e, []string{"user", "unlock", "Wanjiru"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "login throttle lifted") {
		t.Errorf("user unlock printed %q, want the throttle lifted", out.String())
	}
	if rec := tryLogin(t, h, "wanjiru", "a wrong password", "203.0.113.5:4000", ""); rec.Code != http.StatusUnauthorized || strings.Contains(rec.Body.String(), "try again after") {
		t.Errorf("try after the unlock = %d, want the password checked (wrong name or password)", rec.Code)
	}
	if audits := storetest.Audits(t, a.db, "user.unlock"); audits != 1 {
		t.Errorf("audit rows user.unlock = %d, want 1", audits)
	}
	e, _, _ = cliEnv(a.cfg.DatabaseURL, "")
	if err := run(context.Background(), e, []string{"user", "unlock", "nobody"}); err == nil || !strings.Contains(err.Error(), "no user named") {
		t.Errorf("user unlock nobody = %v, want no user named", err)
	}
}
