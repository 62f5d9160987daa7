package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// rosterFacilities adds a facility in each sub-county, so that the roster
// knows them.
func rosterFacilities(t *testing.T, db *store.DB, subCounties ...string) {
	t.Helper()
	now := time.Now()
	for _, sc := range subCounties {
		storetest.Facility(t, db, "F-"+sc, sc+" Health Centre", sc, "Nairobi", now)
	}
}

// TestSubCountiesComeFromTheRoster: a sub-county must be one the roster
// spells so; any other, a slip of case included ("kibra"), is refused naming
// the closest (issue 16).
func TestSubCountiesComeFromTheRoster(t *testing.T) {
	a, _ := testApp(t, nil)
	ctx, path := context.Background(), a.cfg.DatabaseURL
	rosterFacilities(t, a.db, "Kibra", "Embakasi")
	e, _, _ := cliEnv(path, "a good long password\n")
	err := run(ctx, e, []string{"user", "add", "amina", "--role", "supervisor", "--sub-county", "Kibraa"})
	if err == nil || !strings.Contains(err.Error(), "Kibra?") {
		t.Errorf("user add --sub-county Kibraa = %v, want refused with Kibra?", err)
	}
	if _, err := a.db.UserByName(ctx, "amina"); err != store.ErrNotFound {
		t.Errorf("after the refusal, amina: %v, want ErrNotFound", err)
	}
	e, _, _ = cliEnv(path, "a good long password\n")
	if err := run(ctx, e, []string{"user", "add", "amina", "--role", "supervisor", "--sub-county", "kibra"}); err == nil || !strings.Contains(err.Error(), "Kibra?") {
		t.Errorf("user add --sub-county kibra = %v, want refused with Kibra?", err)
	}
	e, out, _ := cliEnv(path, "a good long password\n")
	if err := run(ctx, e, []string{"user", "add", "amina", "--role", "supervisor", "--sub-county", "Kibra"}); err != nil {
		t.Fatal(err)
	}
	if want := "user amina added: supervisor of Kibra\n"; out.String() != want {
		t.Errorf("user add --sub-county Kibra printed %q, want %q", out.String(), want)
	}
	e, _, _ = cliEnv(path, "")
	if err := run(ctx, e, []string{"user", "set", "amina", "--role", "supervisor", "--sub-county", "embakasy"}); err == nil || !strings.Contains(err.Error(), "Embakasi?") {
		t.Errorf("user set --sub-county embakasy = %v, want refused with Embakasi?", err)
	}
}

// TestAccountCommands lists, resets, changes, disables and enables a user,
// and lists and revokes her tokens; each change is audited as "cli", and a
// revoked or expired token is refused by the API.
func TestAccountCommands(t *testing.T) {
	a, _ := testApp(t, nil)
	ctx, path := context.Background(), a.cfg.DatabaseURL
	rosterFacilities(t, a.db, "Kibra", "Embakasi")
	cli := func(stdin string, args ...string) string {
		t.Helper()
		e, out, _ := cliEnv(path, stdin)
		if err := run(ctx, e, args); err != nil {
			t.Fatalf("chanjo %s: %v", strings.Join(args, " "), err)
		}
		return out.String()
	}
	cli("a good long password\n", "user", "add", "amina", "--role", "supervisor", "--sub-county", "Kibra")
	keep := strings.TrimSpace(cli("", "token", "create", "amina"))
	revoke := strings.TrimSpace(cli("", "token", "create", "amina", "--label", "sheet"))
	short := strings.TrimSpace(cli("", "token", "create", "amina", "--label", "short", "--expires", "1d"))
	e, _, _ := cliEnv(path, "")
	if err := run(ctx, e, []string{"token", "create", "amina", "--expires", "soon"}); err == nil || !strings.Contains(err.Error(), "--expires") {
		t.Errorf("token create --expires soon = %v, want refused naming --expires", err)
	}

	if got := cli("", "user", "set", "amina", "--role", "supervisor", "--sub-county", "Kibra", "--sub-county", "Embakasi"); got != "user amina: supervisor of Kibra, Embakasi\n" {
		t.Errorf("user set printed %q", got)
	}
	e, _, _ = cliEnv(path, "aaaaaaaaaaaa\n")
	if err := run(ctx, e, []string{"user", "reset", "amina"}); err == nil || !strings.Contains(err.Error(), "repeated") {
		t.Errorf("user reset to aaaaaaaaaaaa = %v, want refused by the rules", err)
	}
	cli("another long password\n", "user", "reset", "amina")
	cli("", "user", "disable", "amina")
	list := cli("", "user", "list")
	if !strings.Contains(list, "amina") || !strings.Contains(list, "Embakasi, Kibra") || !strings.Contains(list, "disabled") {
		t.Errorf("user list = %q, want amina of Embakasi, Kibra, disabled", list)
	}
	cli("", "user", "enable", "amina")

	tokens, err := a.db.Tokens(ctx, "amina")
	if err != nil || len(tokens) != 3 {
		t.Fatalf("tokens = %d, %v", len(tokens), err)
	}
	var sheet store.Token
	for _, tk := range tokens {
		if tk.Name == "sheet" {
			sheet = tk
		}
	}
	cli("", "token", "revoke", itoa64(sheet.ID))
	if list := cli("", "token", "list", "amina"); !strings.Contains(list, "revoked") || !strings.Contains(list, "short") {
		t.Errorf("token list = %q, want the sheet token revoked and the short one", list)
	}

	call := func(token string) int {
		req := httptest.NewRequest("GET", "/api/v1/workers", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		a.router().ServeHTTP(rec, req)
		return rec.Code
	}
	if code := call(keep); code != http.StatusOK {
		t.Errorf("live token = %d, want 200", code)
	}
	if code := call(revoke); code != http.StatusUnauthorized {
		t.Errorf("revoked token = %d, want 401", code)
	}
	if code := call(short); code != http.StatusOK {
		t.Errorf("token expiring tomorrow = %d, want 200 today", code)
	}
	a.db.Now = func() time.Time { return time.Now().Add(25 * time.Hour) }
	if code := call(short); code != http.StatusUnauthorized {
		t.Errorf("token a day past its --expires 1d = %d, want 401", code)
	}

	log, err := a.db.AuditLog(ctx, 50)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range log {
		seen[r.Action] = true
		if r.Source != store.SourceCLI {
			t.Errorf("audit %s from %q, want cli", r.Action, r.Source)
		}
	}
	for _, action := range []string{"user.add", "token.create", "user.set", "user.reset", "user.disable", "user.enable", "token.revoke"} {
		if !seen[action] {
			t.Errorf("no %s in the audit log", action)
		}
	}
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
