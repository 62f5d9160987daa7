package admin

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"chanjo/store"
)

// navItem is a tab of the console's header.
type navItem struct {
	Page, Label, Path string
}

// nav lists the header's tabs; Page is the template a tab's page renders.
var nav = []navItem{
	{"dashboard", "Dashboard", "/admin"},
	{"nurses", "Nurses", "/admin/nurses"},
	{"groups", "Groups", "/admin/groups"},
	{"visits", "Visits", "/admin/visits"},
	{"broadcasts", "Broadcasts", "/admin/broadcasts"},
	{"questions", "Questions", "/admin/questions"},
	{"reports", "Reports", "/admin/reports"},
}

// dashboardData is the dashboard's data.
type dashboardData struct {
	D     store.Dashboard
	Month string
	// Titles are the topics' English titles by id, for the quiz table.
	Titles map[string]string
}

// dashboard is /admin: what is happening in the user's sub-counties.
func (h *Console) dashboard(c *gin.Context) {
	now := h.db.Now().In(h.tz)
	monthStart := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, h.tz)
	d, err := h.db.Dashboard(c.Request.Context(), scopeOf(c), monthStart.UTC())
	if err != nil {
		h.fail(c, err)
		return
	}
	r, err := newReporter(h.db, h.Pack, h.tz)
	if err != nil {
		h.fail(c, err)
		return
	}
	titles := map[string]string{}
	for _, t := range r.pack.Topics {
		titles[t.ID] = t.Title.En
	}
	h.render(c, http.StatusOK, "dashboard", dashboardData{D: d, Month: now.Format("January 2006"), Titles: titles})
}
