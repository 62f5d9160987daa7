package admin

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// TestParallelGuessesAreThrottled sends 40 wrong passwords at once, then
// the right one: only AccountFreeTries passwords are checked, and the right
// one waits out the delay like any other try.
func TestParallelGuessesAreThrottled(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		h.user("wanjiru", store.RoleSupervisor, "Kibra")
		forms := make([]*browser, 40)
		for i := range forms {
			forms[i] = h.browser()
			forms[i].csrf("/admin/login")
		}
		var wg sync.WaitGroup
		for _, b := range forms {
			wg.Go(func() {
				rec := b.post("/admin/login", url.Values{"csrf": {b.cookies[loginCookie]}, "name": {"wanjiru"}, "password": {"not the password"}})
				if rec.Code != http.StatusUnauthorized {
					t.Errorf("wrong password = %d, want 401", rec.Code)
				}
			})
		}
		wg.Wait()
		if n := h.con.hashes.runs.Load(); n > AccountFreeTries {
			t.Errorf("40 wrong passwords at once: %d checked, want at most %d", n, AccountFreeTries)
		}
		rec := h.browser().login("wanjiru", testPassword)
		if rec.Code != http.StatusUnauthorized || !strings.Contains(rec.Body.String(), "try again after") {
			t.Errorf("right password during the wait = %d, want 401 with the wait message", rec.Code)
		}
		h.now = h.now.Add(LoginBackoff(1) - time.Second)
		if rec := h.browser().login("wanjiru", testPassword); rec.Code != http.StatusUnauthorized {
			t.Errorf("right password a second before the wait ends = %d, want 401", rec.Code)
		}
		h.now = h.now.Add(time.Second)
		if rec := h.browser().login("wanjiru", testPassword); rec.Code != http.StatusSeeOther {
			t.Errorf("right password after the wait = %d, want 303", rec.Code)
		}
		if n := h.audits("login.fail"); n != AccountFreeTries {
			t.Errorf("audit rows login.fail = %d, want %d", n, AccountFreeTries)
		}
	})
}

// TestGuesserElsewhereDoesNotHoldAccount: failures from one address do not
// make the account wait for someone at another address.
func TestGuesserElsewhereDoesNotHoldAccount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		h.user("wanjiru", store.RoleSupervisor, "Kibra")
		for range AccountFreeTries + 3 {
			h.browser().login("wanjiru", "not the password")
		}
		office := h.browser()
		office.remoteAddr = "198.51.100.7:40000"
		if rec := office.login("wanjiru", testPassword); rec.Code != http.StatusSeeOther {
			t.Errorf("right password from another address = %d, want 303", rec.Code)
		}
	})
}

// TestUnknownNameCostsOneHash: a name without an account runs one password
// check, like a wrong password of a real account, and is refused the same way.
func TestUnknownNameCostsOneHash(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		h.user("wanjiru", store.RoleSupervisor, "Kibra")
		for _, name := range []string{"wanjiru", "nobody"} {
			before := h.con.hashes.runs.Load()
			rec := h.browser().login(name, "not the password")
			if n := h.con.hashes.runs.Load() - before; n != 1 || rec.Code != http.StatusUnauthorized || !strings.Contains(rec.Body.String(), msgWrongLogin) {
				t.Errorf("login(%s, wrong) = %d, %d checks, want 401 %q after 1 check", name, rec.Code, n, msgWrongLogin)
			}
		}
	})
}

func TestCheckPassword(t *testing.T) {
	tests := []struct {
		pw   string
		want error
	}{
		{"correct horse battery", nil},
		{"Nyumba-ya-chanjo", nil},
		{"shortpw", ErrShortPassword},
		{"ñandúñandú", nil}, // 10 characters, more bytes
		{strings.Repeat("a", 72), ErrRepeatedPassword},
		{strings.Repeat("x", 73), ErrLongPassword},
		{strings.Repeat("é", 37), ErrLongPassword}, // 37 characters, 74 bytes
		{"            ", ErrRepeatedPassword},
		{"\t \t \t \t \t ", ErrRepeatedPassword},
		{"éééééééééééé", ErrRepeatedPassword},
		{"Password123", ErrCommonPassword},
		{"QWERTYUIOP", ErrCommonPassword},
	}
	for _, tt := range tests {
		if err := CheckPassword(tt.pw); !errors.Is(err, tt.want) {
			t.Errorf("CheckPassword(%q) = %v, want %v", tt.pw, err, tt.want)
		}
	}
}

// TestCommonPasswordList checks the shipped list: every entry is long
// enough to reach the list at all, so none is dead weight.
func TestCommonPasswordList(t *testing.T) {
	if len(commonPasswords) < 50 {
		t.Fatalf("common passwords: %d, want the embedded list", len(commonPasswords))
	}
	for pw := range commonPasswords {
		if err := CheckPassword(pw); !errors.Is(err, ErrCommonPassword) {
			t.Errorf("CheckPassword(%q) = %v, want ErrCommonPassword", pw, err)
		}
	}
}

func TestLoginBackoffDoublesUpToMax(t *testing.T) {
	want := []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 15 * time.Minute, 15 * time.Minute}
	for i, w := range want {
		if got := LoginBackoff(i + 1); got != w {
			t.Errorf("LoginBackoff(%d) = %v, want %v", i+1, got, w)
		}
	}
}

// TestAdminUnlocksOnTheAuditPage: a held account shows on the audit page
// with an unlock button; an admin's unlock lets her in at once and is
// audited, a supervisor may not unlock.
func TestAdminUnlocksOnTheAuditPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		h.user("wanjiru", store.RoleSupervisor, "Kibra")
		h.user("amina", store.RoleAdmin)
		h.user("otieno", store.RoleSupervisor, "Kibra")
		guesser := h.browser()
		guesser.remoteAddr = "203.0.113.66:5000"
		for range AccountFreeTries {
			guesser.login("Wanjiru", "not the password")
		}
		if rec := guesser.login("wanjiru", testPassword); rec.Code != http.StatusUnauthorized {
			t.Fatalf("right password during the wait = %d, want 401", rec.Code)
		}
		sup, supCSRF := h.loggedIn("otieno")
		if rec := sup.post("/admin/unlock", url.Values{"csrf": {supCSRF}, "name": {"wanjiru"}}); rec.Code != http.StatusForbidden {
			t.Errorf("unlock by a supervisor = %d, want 403", rec.Code)
		}
		adm, csrf := h.loggedIn("amina")
		page := adm.get("/admin/audit").Body.String()
		if !strings.Contains(page, `name="name" value="wanjiru"`) {
			t.Errorf("audit page has no unlock button for wanjiru")
		}
		if rec := adm.post("/admin/unlock", url.Values{"csrf": {csrf}, "name": {"wanjiru"}}); rec.Code != http.StatusSeeOther {
			t.Errorf("unlock by an admin = %d, want 303", rec.Code)
		}
		if rec := guesser.login("wanjiru", testPassword); rec.Code != http.StatusSeeOther {
			t.Errorf("right password after the unlock = %d, want 303", rec.Code)
		}
		if n := h.audits("user.unlock"); n != 1 {
			t.Errorf("audit rows user.unlock = %d, want 1", n)
		}
	})
}
