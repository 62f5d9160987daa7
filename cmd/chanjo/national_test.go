package main

import (
	"context"
	"crypto/rand"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/admin"
	"github.com/chanjo-health/chanjo/store"
)

// TestNationalSizeTimings measures the pages issue 12 names on a database
// filled by store/cmd/gen (100,000 workers, 10 million outbox rows); it
// runs only when CHANJO_NATIONAL_DATABASE_URL names one:
//
//	CHANJO_NATIONAL_DATABASE_URL='postgres://postgres@127.0.0.1:5432/chanjo_big?sslmode=disable' \
//	  go test -run TestNationalSizeTimings -v ./cmd/chanjo
//
// Each page is fetched once to warm the caches, then 5 times; the median
// is logged (docs/performance.md keeps the figures). It asserts the answers,
// not their speed: speed is a measurement, not a test.
func TestNationalSizeTimings(t *testing.T) {
	dsn := os.Getenv("CHANJO_NATIONAL_DATABASE_URL")
	if dsn == "" {
		t.Skip("CHANJO_NATIONAL_DATABASE_URL is not set")
	}
	a, _ := testApp(t, map[string]string{"DATABASE_URL": dsn})
	r := a.router()
	for _, name := range []string{"gen-admin", "gen-supervisor"} {
		token, cookie := nationalLogin(t, a.db, name)
		for _, page := range []struct {
			path string
			auth func(*http.Request)
		}{
			{"/api/v1/broadcasts", func(req *http.Request) { req.Header.Set("Authorization", "Bearer "+token) }},
			{"/admin/broadcasts", func(req *http.Request) { req.AddCookie(cookie) }},
			{"/admin", func(req *http.Request) { req.AddCookie(cookie) }},
		} {
			var took []time.Duration
			for i := range 6 {
				req := httptest.NewRequest(http.MethodGet, page.path, nil)
				page.auth(req)
				rec := httptest.NewRecorder()
				start := time.Now()
				r.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					t.Fatalf("%s as %s = %d: %s", page.path, name, rec.Code, rec.Body)
				}
				if i > 0 {
					took = append(took, time.Since(start))
				}
			}
			slices.Sort(took)
			t.Logf("%-20s as %-15s median %6.1f ms (min %6.1f, max %6.1f)", page.path, name,
				ms(took[2]), ms(took[0]), ms(took[4]))
		}
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// nationalLogin gives the generated user name an API token and a console
// session, as logging in would.
func nationalLogin(t *testing.T, db *store.DB, name string) (string, *http.Cookie) {
	t.Helper()
	ctx := context.Background()
	u, err := db.UserByName(ctx, name)
	if err != nil {
		t.Fatalf("user %s (run store/cmd/gen first): %v", name, err)
	}
	token, hash := admin.NewToken()
	if err := db.CreateToken(ctx, u.ID, "timings", hash); err != nil {
		t.Fatal(err)
	}
	sid, now := rand.Text(), time.Now()
	s := store.Session{IDHash: admin.HashToken(sid), UserID: u.ID, CSRF: rand.Text(), CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
	if err := db.CreateSession(ctx, s); err != nil {
		t.Fatal(err)
	}
	return token, &http.Cookie{Name: "chanjo_session", Value: sid}
}
