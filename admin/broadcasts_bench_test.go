package admin

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// seedNurses adds n active nurses in Kibra.
func seedNurses(b *testing.B, db *store.DB, n int) {
	b.Helper()
	now := time.Now()
	f := storetest.Facility(b, db, "F-1", "Kibra HC", "Kibra", "", now)
	storetest.Nurses(b, db, f, "Nurse", 10_000_000, n, now)
}

// BenchmarkBroadcast10k measures POST /api/v1/broadcasts to 10,000 nurses
// through the router: the audience query, the broadcast row, 10,000 outbox
// rows and the audit row in one transaction. Each iteration is a new
// broadcast, so the outbox grows as it would.
func BenchmarkBroadcast10k(b *testing.B) {
	dbs := []struct {
		name string
		open func(testing.TB) *store.DB
	}{{"sqlite", storetest.SQLite}, {"postgres", storetest.Postgres}}
	for _, d := range dbs {
		b.Run(d.name, func(b *testing.B) {
			db := d.open(b)
			if db == nil {
				b.Skip("TEST_DATABASE_URL is not set")
			}
			gin.SetMode(gin.TestMode)
			seedNurses(b, db, 10_000)
			u, err := db.CreateUser(context.Background(), store.NewUser{Name: "bench", Role: store.RoleAdmin, PasswordHash: "x"})
			if err != nil {
				b.Fatal(err)
			}
			token, hash := NewToken()
			if err := db.CreateToken(context.Background(), u.ID, "bench", hash); err != nil {
				b.Fatal(err)
			}
			r := gin.New()
			api := NewAPI(db, slog.New(slog.DiscardHandler))
			api.Register(r.Group("/api/v1", api.Auth))
			for b.Loop() {
				req := httptest.NewRequest(http.MethodPost, "/api/v1/broadcasts", strings.NewReader(`{"body": "Cold chain meeting on Friday at 9."}`))
				req.Header.Set("Authorization", "Bearer "+token)
				rec := httptest.NewRecorder()
				r.ServeHTTP(rec, req)
				if rec.Code != http.StatusCreated || !strings.Contains(rec.Body.String(), `"queued":10000`) {
					b.Fatalf("POST /api/v1/broadcasts = %d %.200s, want 201 with 10000 queued", rec.Code, rec.Body)
				}
			}
		})
	}
}
