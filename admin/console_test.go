package admin

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

func TestLogin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		h.user("wanjiru", store.RoleSupervisor, "Kibra")
		tests := []struct {
			name, user, password string
			status               int
			body                 string
		}{
			{"right password", "wanjiru", testPassword, http.StatusSeeOther, ""},
			{"wrong password", "wanjiru", "not the password", http.StatusUnauthorized, msgWrongLogin},
			{"unknown name", "nobody", testPassword, http.StatusUnauthorized, msgWrongLogin},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				b := h.browser()
				rec := b.login(tt.user, tt.password)
				if rec.Code != tt.status || !strings.Contains(rec.Body.String(), tt.body) {
					t.Errorf("login(%s) = %d %q, want %d with %q", tt.user, rec.Code, rec.Body, tt.status, tt.body)
				}
				_, hasSession := b.cookies[sessionCookie]
				if hasSession != (tt.status == http.StatusSeeOther) {
					t.Errorf("login(%s) session cookie %v, want %v", tt.user, hasSession, !hasSession)
				}
			})
		}
		if n := h.audits("login"); n != 1 {
			t.Errorf("audit rows login = %d, want 1", n)
		}
	})
}

func TestLoginCookieFlags(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		h.user("wanjiru", store.RoleSupervisor, "Kibra")
		b := h.browser()
		form := url.Values{"csrf": {b.csrf("/admin/login")}, "name": {"wanjiru"}, "password": {testPassword}}
		req := newFormRequest("/admin/login", form)
		req.Header.Set("X-Forwarded-Proto", "https")
		rec := b.do(req)
		var got *http.Cookie
		for _, c := range rec.Result().Cookies() {
			if c.Name == sessionCookie {
				got = c
			}
		}
		if got == nil || !got.HttpOnly || !got.Secure || got.SameSite != http.SameSiteLaxMode || got.Path != "/admin" {
			t.Errorf("session cookie behind HTTPS = %+v, want HttpOnly, Secure, SameSite=Lax, Path=/admin", got)
		}
		for k, want := range map[string]string{"X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"} {
			if v := rec.Header().Get(k); v != want {
				t.Errorf("header %s = %q, want %q", k, v, want)
			}
		}
		if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
			t.Errorf("Content-Security-Policy = %q, want default-src 'self'", csp)
		}
	})
}

func TestLoginWithoutCSRFIsRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		h.user("wanjiru", store.RoleSupervisor, "Kibra")
		b := h.browser()
		b.get("/admin/login")
		rec := b.post("/admin/login", url.Values{"name": {"wanjiru"}, "password": {testPassword}})
		if _, ok := b.cookies[sessionCookie]; rec.Code != http.StatusForbidden || ok {
			t.Errorf("login without csrf = %d (session %v), want 403 and no session", rec.Code, ok)
		}
	})
}

func TestLogout(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		h.user("wanjiru", store.RoleSupervisor, "Kibra")
		b, csrf := h.loggedIn("wanjiru")
		if rec := b.post("/admin/logout", nil); rec.Code != http.StatusForbidden {
			t.Errorf("logout without csrf = %d, want 403", rec.Code)
		}
		if rec := b.get("/admin"); rec.Code != http.StatusOK {
			t.Fatalf("dashboard after a refused logout = %d, want 200 (still logged in)", rec.Code)
		}
		id := b.cookies[sessionCookie]
		if rec := b.post("/admin/logout", url.Values{"csrf": {csrf}}); rec.Code != http.StatusSeeOther {
			t.Errorf("logout = %d, want 303", rec.Code)
		}
		if _, err := db.SessionByHash(context.Background(), HashToken(id)); err == nil {
			t.Error("session still stored after logout")
		}
		b.cookies[sessionCookie] = id // a copy of the old cookie is worth nothing
		if rec := b.get("/admin"); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/admin/login" {
			t.Errorf("dashboard after logout = %d to %q, want 303 to /admin/login", rec.Code, rec.Header().Get("Location"))
		}
	})
}

func TestApproveNeedsCSRF(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		h.user("wanjiru", store.RoleSupervisor, "Kibra")
		id := h.worker("Achieng", "+254711000001", "Kibra", store.StatusPending)
		b, csrf := h.loggedIn("wanjiru")
		path := fmt.Sprintf("/admin/nurses/%d/approve", id)
		tests := []struct {
			name   string
			form   url.Values
			status int
			want   string
		}{
			{"no token", url.Values{}, http.StatusForbidden, store.StatusPending},
			{"wrong token", url.Values{"csrf": {"forged"}}, http.StatusForbidden, store.StatusPending},
			{"session token", url.Values{"csrf": {csrf}}, http.StatusSeeOther, store.StatusActive},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if rec := b.post(path, tt.form); rec.Code != tt.status {
					t.Errorf("POST %s = %d, want %d", path, rec.Code, tt.status)
				}
				if got := h.workerRow(id).Status; got != tt.want {
					t.Errorf("status after = %s, want %s", got, tt.want)
				}
			})
		}
		if n := h.audits("worker.update"); n != 1 {
			t.Errorf("audit rows worker.update = %d, want 1", n)
		}
		if body := b.get("/admin/nurses").Body.String(); !strings.Contains(body, "Approved Achieng.") {
			t.Error("no flash message after approving")
		}
		if body := b.get("/admin/nurses").Body.String(); strings.Contains(body, "Approved Achieng.") {
			t.Error("flash message shown twice")
		}
	})
}

func TestOversizedBody(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		admin := h.user("root", store.RoleAdmin)
		id := h.worker("Achieng", "+254711000001", "Kibra", store.StatusActive)
		b, csrf := h.loggedIn("root")
		big := "csrf=" + csrf + "&language=sw&pad=" + strings.Repeat("x", FormLimit+1)
		if rec := b.postBody(fmt.Sprintf("/admin/nurses/%d", id), strings.NewReader(big)); rec.Code != http.StatusRequestEntityTooLarge {
			t.Errorf("2 MiB form = %d, want 413", rec.Code)
		}
		if got := h.workerRow(id).Language; got != "en" {
			t.Errorf("language after an oversized form = %s, want en (unchanged)", got)
		}
		// The same size is fine on an upload route.
		if rec := b.postBody("/admin/test-upload", strings.NewReader(big)); rec.Code != http.StatusOK {
			t.Errorf("upload route with 1 MiB+ = %d, want 200", rec.Code)
		}
		body := `{"language": "sw", "pad": "` + strings.Repeat("x", FormLimit) + `"}`
		if rec := h.api("PATCH", fmt.Sprintf("/api/v1/workers/%d", id), h.token(admin), body); rec.Code != http.StatusRequestEntityTooLarge {
			t.Errorf("API 1 MiB+ body = %d, want 413", rec.Code)
		}
	})
}

func TestSupervisorScopeInConsole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		h.user("wanjiru", store.RoleSupervisor, "Kibra")
		mine := h.worker("Achieng", "+254711000001", "Kibra", store.StatusPending)
		theirs := h.worker("Chebet", "+254711000003", "Embakasi", store.StatusPending)
		b, csrf := h.loggedIn("wanjiru")
		tests := []struct {
			method, path string
			form         url.Values
			status       int
		}{
			{"GET", fmt.Sprintf("/admin/nurses/%d", theirs), nil, http.StatusNotFound},
			{"POST", fmt.Sprintf("/admin/nurses/%d", theirs), url.Values{"csrf": {csrf}, "language": {"sw"}}, http.StatusNotFound},
			{"POST", fmt.Sprintf("/admin/nurses/%d/approve", theirs), url.Values{"csrf": {csrf}}, http.StatusNotFound},
			{"GET", "/admin/nurses/999999", nil, http.StatusNotFound},
			{"GET", fmt.Sprintf("/admin/nurses/%d", mine), nil, http.StatusOK},
			{"POST", fmt.Sprintf("/admin/nurses/%d", mine), url.Values{"csrf": {csrf}, "language": {"sw"}, "status": {"inactive"}}, http.StatusForbidden},
			{"GET", "/admin/audit", nil, http.StatusForbidden},
			{"GET", "/admin/audit.csv", nil, http.StatusForbidden},
		}
		for _, tt := range tests {
			var rec interface{ Result() *http.Response }
			if tt.method == "GET" {
				rec = b.get(tt.path)
			} else {
				rec = b.post(tt.path, tt.form)
			}
			if got := rec.Result().StatusCode; got != tt.status {
				t.Errorf("%s %s = %d, want %d", tt.method, tt.path, got, tt.status)
			}
		}
		if w := h.workerRow(theirs); w.Status != store.StatusPending || w.Language != "en" {
			t.Errorf("other sub-county's nurse changed: %+v", w)
		}
		if w := h.workerRow(mine); w.Status != store.StatusPending || w.Language != "en" {
			t.Errorf("forbidden status change changed the nurse: %+v", w)
		}
		list := b.get("/admin/nurses").Body.String()
		if !strings.Contains(list, "Achieng") || strings.Contains(list, "Chebet") {
			t.Errorf("nurses list of Kibra's supervisor: Achieng %v, Chebet %v, want only Achieng",
				strings.Contains(list, "Achieng"), strings.Contains(list, "Chebet"))
		}
		csv := b.get("/admin/nurses.csv").Body.String()
		if !strings.Contains(csv, "+254711000001") || strings.Contains(csv, "+254711000003") {
			t.Errorf("nurses.csv of Kibra's supervisor = %q, want only Achieng", csv)
		}
	})
}

func TestAdminEditsAndSeesAudit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		h.user("root", store.RoleAdmin)
		id := h.worker("Chebet", "+254711000003", "Embakasi", store.StatusActive)
		b, csrf := h.loggedIn("root")
		form := url.Values{"csrf": {csrf}, "language": {"sw"}, "status": {"inactive"}}
		if rec := b.post(fmt.Sprintf("/admin/nurses/%d", id), form); rec.Code != http.StatusSeeOther {
			t.Fatalf("admin edit = %d, want 303: %s", rec.Code, rec.Body)
		}
		if w := h.workerRow(id); w.Language != "sw" || w.Status != store.StatusInactive {
			t.Errorf("after admin edit = %+v, want sw, inactive", w)
		}
		rec := b.get("/admin/audit")
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "worker.update") {
			t.Errorf("GET /admin/audit = %d, want 200 listing worker.update", rec.Code)
		}
		if rec := b.get("/admin/audit.csv"); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), ",worker.update,") {
			t.Errorf("GET /admin/audit.csv = %d %q, want the worker.update row", rec.Code, rec.Body.String())
		}
	})
}

func TestDashboardAndSearch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		h.user("wanjiru", store.RoleSupervisor, "Kibra")
		h.worker("Achieng Otieno", "+254711000001", "Kibra", store.StatusPending)
		h.worker("Baraka", "+254711000002", "Kibra", store.StatusActive)
		b, _ := h.loggedIn("wanjiru")
		dash := b.get("/admin").Body.String()
		if !strings.Contains(dash, "<strong>1</strong> registrations to approve") {
			t.Errorf("dashboard lacks one pending registration:\n%s", dash)
		}
		csv := b.get("/admin/dashboard.csv")
		if csv.Header().Get("Content-Type") != "text/csv; charset=utf-8" || !strings.Contains(csv.Body.String(), "pending_registrations,,1\n") {
			t.Errorf("GET /admin/dashboard.csv = %q %q, want the pending registration counted", csv.Header().Get("Content-Type"), csv.Body.String())
		}
		for q, want := range map[string]string{"otieno": "Achieng Otieno", "0711000002": "Baraka", "status=pending": "Achieng Otieno"} {
			path := "/admin/nurses?q=" + url.QueryEscape(q)
			if strings.Contains(q, "=") {
				path = "/admin/nurses?" + q
			}
			body := b.get(path).Body.String()
			if !strings.Contains(body, want) || !strings.Contains(body, "1 found") {
				t.Errorf("GET %s does not find only %s", path, want)
			}
		}
		css := b.get("/admin/static/console.css")
		if css.Code != http.StatusOK || !strings.Contains(css.Header().Get("Cache-Control"), "max-age") {
			t.Errorf("console.css = %d, Cache-Control %q, want 200 with max-age", css.Code, css.Header().Get("Cache-Control"))
		}
	})
}

func newFormRequest(path string, form url.Values) *http.Request {
	req, _ := http.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}
