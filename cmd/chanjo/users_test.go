package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chanjo-health/chanjo/admin"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// cliEnv is a command line on a temporary SQLite file, with stdin.
func cliEnv(dbPath, stdin string) (env, *bytes.Buffer, *bytes.Buffer) {
	var out, errs bytes.Buffer
	vars := map[string]string{"DATABASE_URL": dbPath}
	return env{getenv: envOf(vars), stdin: strings.NewReader(stdin), stdout: &out, stderr: &errs}, &out, &errs
}

func TestUserAddRefusesBadInput(t *testing.T) {
	path := filepath.Join(t.TempDir(), "chanjo.db")
	tests := []struct {
		name  string
		args  []string
		stdin string
		want  string
	}{
		{"short password", []string{"user", "add", "amina", "--role", "admin"}, "short\n", admin.ErrShortPassword.Error()},
		{"common password", []string{"user", "add", "amina", "--role", "admin"}, "Password123\n", admin.ErrCommonPassword.Error()},
		{"password over 72 bytes", []string{"user", "add", "amina", "--role", "admin"}, strings.Repeat("pasi ", 15) + "\n", admin.ErrLongPassword.Error()},
		{"no role", []string{"user", "add", "amina"}, "long enough password\n", "--role must be admin or supervisor"},
		{"supervisor without sub-county", []string{"user", "add", "amina", "--role", "supervisor"}, "long enough password\n", "at least one --sub-county"},
		{"admin with sub-county", []string{"user", "add", "amina", "--role", "admin", "--sub-county", "Kibra"}, "long enough password\n", "is for supervisors"},
		{"bad phone", []string{"user", "add", "amina", "--role", "admin", "--phone", "12"}, "long enough password\n", "--phone"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, _, errs := cliEnv(path, tt.stdin)
			err := run(context.Background(), e, tt.args)
			if got := fmt.Sprint(err) + errs.String(); err == nil || !strings.Contains(got, tt.want) {
				t.Errorf("run(%q) = %v, want an error with %q", tt.args, err, tt.want)
			}
		})
	}
	e, _, _ := cliEnv(path, "")
	if err := run(context.Background(), e, []string{"user", "add"}); !errors.Is(err, errUsage) {
		t.Errorf("run(user add) = %v, want a usage error", err)
	}
	err := withStore(context.Background(), e, func(_ Config, db *store.DB) error {
		_, err := db.UserByName(context.Background(), "amina")
		return err
	})
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("after refused commands, user amina: %v, want ErrNotFound", err)
	}
}

// TestUserAndTokenCommands adds a supervisor with a password from stdin,
// makes her a token, and uses both against the service.
func TestUserAndTokenCommands(t *testing.T) {
	a, _ := testApp(t, nil)
	ctx, path := context.Background(), a.cfg.DatabaseURL
	rosterFacilities(t, a.db, "Kibra", "Embakasi")
	e, out, _ := cliEnv(path, "a good long password\n")
	args := []string{"user", "add", "wanjiru", "--role", "supervisor", "--sub-county", "Kibra", "--sub-county", "Embakasi", "--phone", "0711 000 009"}
	if err := run(ctx, e, args); err != nil {
		t.Fatal(err)
	}
	if want := "user wanjiru added: supervisor of Kibra, Embakasi, phone +254711000009\n"; out.String() != want {
		t.Errorf("user add printed %q, want %q", out.String(), want)
	}
	e, _, _ = cliEnv(path, "another good password\n")
	if err := run(ctx, e, args); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("user add twice = %v, want already exists", err)
	}
	e, out, _ = cliEnv(path, "")
	if err := run(ctx, e, []string{"token", "create", "wanjiru"}); err != nil {
		t.Fatal(err)
	}
	token := strings.TrimSpace(out.String())
	var stored int
	for _, h := range storetest.TokenHashes(t, a.db) {
		if h == admin.HashToken(token) && h != token {
			stored++
		}
	}
	if stored != 1 {
		t.Errorf("API tokens stored as the token's hash = %d, want 1", stored)
	}
	req := httptest.NewRequest("GET", "/api/v1/workers", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	a.router().ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Errorf("GET /api/v1/workers with the new token = %d, want 200", rec.Code)
	}
	e, _, _ = cliEnv(path, "")
	if err := run(ctx, e, []string{"token", "create", "nobody"}); err == nil || !strings.Contains(err.Error(), "no user named") {
		t.Errorf("token create nobody = %v, want no user named", err)
	}
}
