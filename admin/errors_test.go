package admin

import (
	"errors"
	"fmt"
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

// TestConsoleAndAPIAnswerErrorsAlike: one table maps the store's errors to
// statuses, so the console and the API answer each the same (they had six
// mappers that disagreed: the API answered a refused value "invalid input"
// without its words), and a fault of the service is a 500 that shows
// nothing of it.
func TestConsoleAndAPIAnswerErrorsAlike(t *testing.T) {
	db := storetest.SQLite(t)
	log := slog.New(slog.DiscardHandler)
	con := NewConsole(db, log, time.UTC)
	api := NewAPI(db, log)
	tests := []struct {
		err    error
		status int
		words  string // what both show
	}{
		{fmt.Errorf("store: worker 9: %w", store.ErrNotFound), http.StatusNotFound, "ot found"},
		{fmt.Errorf("store: cancel visit 3: %w", store.ErrVisitClosed), http.StatusConflict, "already done or cancelled"},
		{fmt.Errorf("mentoring: schedule visit: %w", store.ErrInvalidVisit), http.StatusUnprocessableEntity, "today or later"},
		{store.ErrNothingToCancel, http.StatusConflict, "already sent or being sent"},
		{fmt.Errorf("store: update worker: %w", store.ErrOptOutKept), http.StatusUnprocessableEntity, "by sending START"},
		{&store.InputError{Field: "name", Message: "give the group a name"}, http.StatusUnprocessableEntity, "ive the group a name"},
		{errors.New("store: workers: connection refused"), http.StatusInternalServerError, ""},
	}
	for _, tt := range tests {
		t.Run(tt.err.Error(), func(t *testing.T) {
			for surface, fail := range map[string]func(*gin.Context, error){"console": con.fail, "api": api.fail} {
				rec := httptest.NewRecorder()
				c, _ := gin.CreateTestContext(rec)
				c.Request = httptest.NewRequest(http.MethodGet, "/", nil)
				fail(c, tt.err)
				body := rec.Body.String()
				if rec.Code != tt.status || !strings.Contains(body, tt.words) {
					t.Errorf("%s: fail(%v) = %d %q, want %d with %q", surface, tt.err, rec.Code, body, tt.status, tt.words)
				}
				if strings.Contains(body, "connection refused") {
					t.Errorf("%s: fail(%v) shows the error: %q", surface, tt.err, body)
				}
			}
		})
	}
}
