package admin

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/mentoring"
	"github.com/chanjo-health/chanjo/quiet"
	"github.com/chanjo-health/chanjo/store"
)

// Console is the supervisors' browser console under /admin: server-rendered
// pages, one small file and one template each.
type Console struct {
	db      *store.DB
	log     *slog.Logger
	tz      *time.Location
	pages   map[string]pageTemplate
	uploads map[string]bool // routes (gin full paths) that take UploadLimit
	static  http.Handler
	version string // of the static files, for cache busting

	hashes *hashPool
	// heldDelay is HeldDelay; tests that make many refused tries set 0.
	heldDelay time.Duration

	// Price (SMS_SEGMENT_COST) estimates what a broadcast costs.
	Price store.Price
	// WAPrices are a WhatsApp template's price by category (WA_PRICE_*):
	// 0 is unknown, shown as "—".
	WAPrices map[string]float64
	// Quiet (SMS_QUIET_HOURS) is what a broadcast's page says holds it.
	Quiet quiet.Hours
	// SMSRate (SMS_RATE, segments a second; 0 for no limit) is what the
	// dashboard says paces the SMS waiting to be sent.
	SMSRate float64
	// Mentoring changes the visits the console changes, with their reminders and notices.
	Mentoring *mentoring.Service
	// RegistrationNotice is the SMS that tells a nurse her pending
	// registration was approved or rejected; nil sends none.
	RegistrationNotice *store.RegistrationNotice
	// Checklist is the content pack's visit checklist, for its results.
	Checklist []lessons.ChecklistItem
	// Pack is the content pack the reports read topics, lessons and
	// checklist items from; nil means the embedded pack.
	Pack *lessons.Pack
	// Circles creates mentor circles' WhatsApp groups; nil (GROUPS_ENABLED
	// unset) offers none.
	Circles CircleGroups
	// Templates reads the WhatsApp templates' status from Meta; nil when WA_WABA_ID is unset.
	Templates *TemplateStatus
}

// Console limits.
const (
	// FormLimit is the largest body a console form or API request may send.
	FormLimit = 1 << 20
	// UploadLimit is the largest body of a CSV upload route.
	UploadLimit = 10 << 20
	// SessionTTL is how long a login lasts.
	SessionTTL = 12 * time.Hour
)

// NewConsole returns the console. tz is the zone people read times in.
// The templates and static files are embedded and parsed here, so a broken
// one stops every test at once, never a running server.
func NewConsole(db *store.DB, log *slog.Logger, tz *time.Location) *Console {
	h := &Console{db: db, log: log.With("component", "admin.console"), tz: tz, pages: parsePages(tz), uploads: map[string]bool{},
		hashes: newHashPool(hashConcurrency()), heldDelay: HeldDelay}
	h.static, h.version = staticFiles()
	return h
}

// Context keys set by requireSession (and by the API's bearer check).
const (
	keyUser    = "chanjo.user"
	keyScope   = "chanjo.scope"
	keySession = "chanjo.session"
)

// userOf returns the logged-in user of the request.
func userOf(c *gin.Context) store.User {
	u, _ := c.Get(keyUser)
	user, _ := u.(store.User)
	return user
}

// scopeOf returns what the request's user may see; the zero Scope (nothing)
// when there is no user.
func scopeOf(c *gin.Context) store.Scope {
	s, _ := c.Get(keyScope)
	sc, _ := s.(store.Scope)
	return sc
}

func sessionOf(c *gin.Context) store.Session {
	s, _ := c.Get(keySession)
	sess, _ := s.(store.Session)
	return sess
}

// adminOnly answers 403 to a user who is not an admin.
func (h *Console) adminOnly(c *gin.Context) {
	if userOf(c).Role != store.RoleAdmin {
		h.errorPage(c, http.StatusForbidden, "Only an administrator may do this.")
		c.Abort()
		return
	}
	c.Next()
}

// redirect sends the browser to path with a message shown once there.
func (h *Console) redirect(c *gin.Context, path, flash string) {
	if flash != "" {
		if err := h.db.SetFlash(c.Request.Context(), sessionOf(c).IDHash, flash); err != nil {
			h.log.Error("set flash", "err", err)
		}
	}
	c.Redirect(http.StatusSeeOther, path)
}
