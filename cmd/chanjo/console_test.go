package main

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chanjo-health/chanjo/admin"
	"github.com/chanjo-health/chanjo/store"
)

// apiToken adds an admin to a's database and returns an API token of hers.
func apiToken(t *testing.T, a *app) string {
	t.Helper()
	ctx := context.Background()
	u, err := a.db.CreateUser(ctx, store.NewUser{Name: "api-test", Role: store.RoleAdmin, PasswordHash: "unused"})
	if err != nil {
		t.Fatal(err)
	}
	token, hash := admin.NewToken()
	if err := a.db.CreateToken(ctx, u.ID, "test", hash); err != nil {
		t.Fatal(err)
	}
	return token
}

func TestConsoleAndAPIAreWired(t *testing.T) {
	a, _ := testApp(t, nil)
	h := a.router()
	tests := []struct {
		method, path string
		status       int
	}{
		{"GET", "/admin/login", http.StatusOK},
		{"GET", "/admin", http.StatusSeeOther},
		{"GET", "/api/v1/workers", http.StatusUnauthorized},
		{"POST", "/api/v1/calculators/months-of-stock", http.StatusUnauthorized},
		{"GET", "/verify/ZZZZ2222", http.StatusNotFound}, // public: no login asked
	}
	for _, tt := range tests {
		if rec := do(h, tt.method, tt.path); rec.Code != tt.status {
			t.Errorf("%s %s = %d, want %d", tt.method, tt.path, rec.Code, tt.status)
		}
	}
	rec := post(h, apiToken(t, a), "/api/v1/calculators/months-of-stock", `{"vaccine": "penta", "stock_on_hand": 180, "amc": 120}`)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "months_of_stock") {
		t.Errorf("calculator with a token = %d %s, want 200", rec.Code, rec.Body)
	}
}
