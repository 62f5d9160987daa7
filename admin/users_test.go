package admin

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// TestRevokedExpiredOrDisabledTokenIs401 revokes one token from the console,
// lets another expire and disables the owner of a third: the API refuses
// each, while a live token of the same user still works.
func TestRevokedExpiredOrDisabledTokenIs401(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		ctx := context.Background()
		h.user("admin", store.RoleAdmin)
		amina := h.user("amina", store.RoleSupervisor, "Kibra")
		otieno := h.user("otieno", store.RoleSupervisor, "Kibra")
		live, revoked, otienos := h.token(amina), h.token(amina), h.token(otieno)
		soon, hash := NewToken()
		if err := db.CreateTokenExpiring(ctx, amina.ID, "soon", hash, h.now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		for _, tok := range []string{live, revoked, otienos, soon} {
			if rec := h.api("GET", "/api/v1/workers", tok, ""); rec.Code != http.StatusOK {
				t.Fatalf("before: GET /api/v1/workers = %d, want 200", rec.Code)
			}
		}
		tokens, err := db.Tokens(ctx, "amina")
		if err != nil || len(tokens) != 3 {
			t.Fatalf("Tokens(amina) = %d, %v, want 3", len(tokens), err)
		}
		b, csrf := h.loggedIn("admin")
		// Tokens are newest first: amina's second "test" token is tokens[1].
		if rec := b.post("/admin/tokens/"+itoa(tokens[1].ID)+"/revoke", url.Values{"csrf": {csrf}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("revoke = %d, want 303: %s", rec.Code, rec.Body)
		}
		if rec := b.post("/admin/users/"+itoa(otieno.ID)+"/disable", url.Values{"csrf": {csrf}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("disable = %d, want 303: %s", rec.Code, rec.Body)
		}
		h.now = h.now.Add(2 * time.Hour)
		for name, tok := range map[string]string{"revoked": revoked, "expired": soon, "of a disabled user": otienos} {
			if rec := h.api("GET", "/api/v1/workers", tok, ""); rec.Code != http.StatusUnauthorized {
				t.Errorf("token %s: GET /api/v1/workers = %d, want 401", name, rec.Code)
			}
		}
		if rec := h.api("GET", "/api/v1/workers", live, ""); rec.Code != http.StatusOK {
			t.Errorf("live token: GET /api/v1/workers = %d, want 200", rec.Code)
		}
		page := b.get("/admin/tokens").Body.String()
		for _, want := range []string{"revoked", "expired", "live"} {
			if !strings.Contains(page, want) {
				t.Errorf("/admin/tokens lacks %q", want)
			}
		}
	})
}

// TestDisabledUserIsLoggedOutAndRefused disables a logged-in supervisor:
// her open session ends at once, her right password is refused, and after
// enabling she logs in again. A supervisor may not reach the users pages.
func TestDisabledUserIsLoggedOutAndRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		me := h.user("admin", store.RoleAdmin)
		amina := h.user("amina", store.RoleSupervisor, "Kibra")
		her, _ := h.loggedIn("amina")
		if rec := her.get("/admin/users"); rec.Code != http.StatusForbidden {
			t.Errorf("supervisor GET /admin/users = %d, want 403", rec.Code)
		}
		b, csrf := h.loggedIn("admin")
		if rec := b.post("/admin/users/"+itoa(me.ID)+"/disable", url.Values{"csrf": {csrf}}); rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("disable myself = %d, want 422", rec.Code)
		}
		b.post("/admin/users/"+itoa(amina.ID)+"/disable", url.Values{"csrf": {csrf}})
		if rec := her.get("/admin"); rec.Code != http.StatusSeeOther {
			t.Errorf("disabled: GET /admin = %d, want 303 to the login", rec.Code)
		}
		rec := h.browser().login("amina", testPassword)
		if rec.Code != http.StatusUnauthorized || !strings.Contains(rec.Body.String(), "disabled") {
			t.Errorf("disabled: login = %d, want 401 saying disabled", rec.Code)
		}
		b.post("/admin/users/"+itoa(amina.ID)+"/enable", url.Values{"csrf": {csrf}})
		if rec := h.browser().login("amina", testPassword); rec.Code != http.StatusSeeOther {
			t.Errorf("enabled again: login = %d, want 303", rec.Code)
		}
		if n := h.audits("user.disable"); n != 1 {
			t.Errorf("user.disable audit rows = %d, want 1", n)
		}
	})
}

// TestResetAndSetFromTheConsole resets a supervisor's password under the
// rules and changes her sub-counties, picked from the roster's whatever
// their case; an unknown one is refused naming the closest.
func TestResetAndSetFromTheConsole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		ctx := context.Background()
		h.worker("Achieng", "+254722000001", "Kibra", "active")
		h.worker("Baraka", "+254722000002", "Embakasi", "active")
		h.user("admin", store.RoleAdmin)
		amina := h.user("amina", store.RoleSupervisor, "Kibra")
		b, csrf := h.loggedIn("admin")
		path := "/admin/users/" + itoa(amina.ID)
		if rec := b.post(path+"/reset", url.Values{"csrf": {csrf}, "password": {"aaaaaaaaaaaa"}, "again": {"aaaaaaaaaaaa"}}); rec.Code != http.StatusUnprocessableEntity ||
			!strings.Contains(rec.Body.String(), "repeated") {
			t.Errorf("reset to aaaaaaaaaaaa = %d, want 422 naming the rule", rec.Code)
		}
		const pw = "a new long passphrase"
		if rec := b.post(path+"/reset", url.Values{"csrf": {csrf}, "password": {pw}, "again": {pw}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("reset = %d, want 303: %s", rec.Code, rec.Body)
		}
		if rec := h.browser().login("amina", pw); rec.Code != http.StatusSeeOther {
			t.Errorf("login with the new password = %d, want 303", rec.Code)
		}
		rec := b.post(path+"/set", url.Values{"csrf": {csrf}, "role": {"supervisor"}, "sub_county": {"Kibraa"}})
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "Kibra?") {
			t.Errorf("set sub-county Kibraa = %d, want 422 suggesting Kibra?", rec.Code)
		}
		rec = b.post(path+"/set", url.Values{"csrf": {csrf}, "role": {"supervisor"}, "sub_county": {"kibra"}})
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "Kibra?") {
			t.Errorf("set sub-county kibra = %d, want 422 suggesting Kibra?", rec.Code)
		}
		rec = b.post(path+"/set", url.Values{"csrf": {csrf}, "role": {"supervisor"}, "sub_county": {"Kibra", "Embakasi"}})
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("set = %d, want 303: %s", rec.Code, rec.Body)
		}
		if scs, err := db.UserSubCounties(ctx, amina.ID); err != nil || strings.Join(scs, ",") != "Embakasi,Kibra" {
			t.Errorf("sub-counties = %v, %v, want Embakasi,Kibra", scs, err)
		}
	})
}

// TestAuditSourcesAndUnknownNames: a console action is audited with the
// client's address, and a failed login for a name with no account too.
func TestAuditSourcesAndUnknownNames(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		h.user("admin", store.RoleAdmin)
		amina := h.user("amina", store.RoleSupervisor, "Kibra")
		stranger := h.browser()
		stranger.remoteAddr = "198.51.100.7:5000"
		if rec := stranger.login("nobody-here", "whatever it is"); rec.Code != http.StatusUnauthorized {
			t.Fatalf("unknown name: login = %d, want 401", rec.Code)
		}
		b := h.browser()
		b.remoteAddr = "203.0.113.9:4000"
		if rec := b.login("admin", testPassword); rec.Code != http.StatusSeeOther {
			t.Fatalf("login = %d", rec.Code)
		}
		b.post("/admin/users/"+itoa(amina.ID)+"/disable", url.Values{"csrf": {b.csrf("/admin")}})
		log, err := db.AuditLog(context.Background(), 10)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]store.AuditEntry{}
		for _, a := range log {
			got[a.Action] = a
		}
		if a := got["user.disable"]; a.Source != "203.0.113.9" || a.UserName != "admin" {
			t.Errorf("user.disable audited %+v, want by admin from 203.0.113.9", a)
		}
		if a := got["login.fail"]; a.Subject != "name:nobody-here" || a.Source != "198.51.100.7" {
			t.Errorf("failed login of an unknown name audited %+v, want name:nobody-here from 198.51.100.7", a)
		}
	})
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }
