package admin

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/mentoring"
	"github.com/chanjo-health/chanjo/quiet"
	"github.com/chanjo-health/chanjo/store"
)

// API is the JSON API under /api/v1 for scripts and integrations: bearer
// tokens from `chanjo token create`, the same scoping as the console.
type API struct {
	db  *store.DB
	log *slog.Logger
	// Price (SMS_SEGMENT_COST) estimates what a broadcast costs.
	Price store.Price
	// Quiet (SMS_QUIET_HOURS) is what a broadcast's status says holds it.
	Quiet quiet.Hours
	// Mentoring changes the visits the API changes, with their reminders and notices.
	Mentoring *mentoring.Service
	// RegistrationNotice is the SMS that tells a nurse her pending
	// registration was approved or rejected; nil sends none.
	RegistrationNotice *store.RegistrationNotice
	// Checklist is the content pack's visit checklist, for its results.
	Checklist []lessons.ChecklistItem
	// Pack is the content pack the reports read topics, lessons and
	// checklist items from; nil means the embedded pack.
	Pack *lessons.Pack
	// TZ is the zone of the reports' months; nil means UTC.
	TZ *time.Location
}

// NewAPI returns the JSON API's resources (the calculators are their own handler).
func NewAPI(db *store.DB, log *slog.Logger) *API {
	return &API{db: db, log: log.With("component", "admin.api")}
}

// Auth guards the /api/v1 group: a request needs the header
// "Authorization: Bearer TOKEN" of a live token, else 401. It caps the body
// at FormLimit and leaves the token's user and scope for the handlers.
func (a *API) Auth(c *gin.Context) {
	if c.Request.ContentLength > FormLimit {
		abort(c, http.StatusRequestEntityTooLarge, apiError{Code: "too_large", Message: "the body must be at most 1 MiB"})
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, FormLimit)
	scheme, token, _ := strings.Cut(c.GetHeader("Authorization"), " ")
	token = strings.TrimSpace(token)
	if !strings.EqualFold(scheme, "Bearer") || token == "" {
		a.unauthorized(c, "send the header Authorization: Bearer TOKEN (chanjo token create NAME makes one)")
		return
	}
	c.Request = c.Request.WithContext(store.WithSource(c.Request.Context(), c.ClientIP()))
	ctx := c.Request.Context()
	u, err := a.db.UserByTokenHash(ctx, HashToken(token))
	var sc store.Scope
	if err == nil {
		sc, err = a.db.Scope(ctx, u)
	}
	switch {
	case errors.Is(err, store.ErrNotFound):
		a.unauthorized(c, "the token is not valid: unknown, revoked or expired")
		return
	case err != nil:
		a.fail(c, err)
		return
	}
	c.Set(keyUser, u)
	c.Set(keyScope, sc)
	c.Next()
}

func (a *API) unauthorized(c *gin.Context, msg string) {
	c.Header("WWW-Authenticate", `Bearer realm="chanjo"`)
	abort(c, http.StatusUnauthorized, apiError{Code: "unauthorized", Message: msg})
}
