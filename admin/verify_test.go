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

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// TestVerifyCertificate is must-show 5: a real certificate's code shows
// the nurse's name, the topic and the date, and nothing else of hers; an
// unknown code says so.
func TestVerifyCertificate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		id := h.worker("Achieng Otieno", "+254711000001", "Kibra", store.StatusActive)
		code, err := store.NewCertificateCode()
		if err == nil {
			_, err = db.CompleteTopic(context.Background(), store.TopicCompletion{WorkerID: id, Topic: "stock", Code: code, At: db.Now(), SMS: "cert " + code})
		}
		if err != nil || code == "" {
			t.Fatalf("CompleteTopic = %v, code %q", err, code)
		}
		pack, err := lessons.Default()
		if err != nil {
			t.Fatal(err)
		}
		gin.SetMode(gin.TestMode)
		r := gin.New()
		nairobi := time.FixedZone("EAT", 3*3600)
		NewVerifyHandler(db, pack, nairobi, slog.New(slog.DiscardHandler)).Register(r)
		get := func(path string) *httptest.ResponseRecorder {
			rec := httptest.NewRecorder()
			r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
			return rec
		}
		for _, path := range []string{"/verify/" + code, "/verify/" + strings.ToLower(code)} {
			rec := get(path)
			body := rec.Body.String()
			for _, want := range []string{"Achieng Otieno", "Stock forecasting", "10 March 2025", "Valid"} {
				if rec.Code != http.StatusOK || !strings.Contains(body, want) {
					t.Errorf("GET %s = %d, want 200 with %q:\n%s", path, rec.Code, want, body)
				}
			}
			for _, private := range []string{"254711000001", "Kibra", "Health Centre", "Nairobi"} {
				if strings.Contains(body, private) {
					t.Errorf("GET %s shows %q: only name, topic, date and validity may show:\n%s", path, private, body)
				}
			}
		}
		rec := get("/verify/ZZZZ2222")
		if rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), "No certificate has the code ZZZZ2222") {
			t.Errorf("GET /verify/ZZZZ2222 = %d, want 404 saying no certificate has it:\n%s", rec.Code, rec.Body)
		}
	})
}
