package admin

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/store"
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
	{"questions", "Helpdesk", "/admin/questions"},
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

// dashboardCSV is /admin/dashboard.csv: the dashboard's figures, a line
// each: the week's and month's counts, then the quiz average of each topic.
func (h *Console) dashboardCSV(c *gin.Context) {
	now := h.db.Now().In(h.tz)
	monthStart := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, h.tz)
	d, err := h.db.Dashboard(c.Request.Context(), scopeOf(c), monthStart.UTC())
	if err != nil {
		h.fail(c, err)
		return
	}
	itoa := strconv.Itoa
	w := startCSV(c, "dashboard.csv")
	w.WriteAll([][]string{
		{"figure", "topic", "value"},
		{"active_nurses_this_week", "", itoa(d.ActiveThisWeek)},
		{"pending_registrations", "", itoa(d.Pending)},
		{"lessons_completed", "", itoa(d.LessonsCompleted)},
		{"sms_sent_this_month", "", itoa(d.SMS.Sent)},
		{"sms_delivered_this_month", "", itoa(d.SMS.Delivered)},
		{"sms_failed_this_month", "", itoa(d.SMS.Failed)},
		{"sms_cost_this_month", "", strconv.FormatFloat(d.SMS.Cost, 'f', 2, 64) + " " + d.SMS.Currency},
	})
	for _, q := range d.Quiz {
		w.Write([]string{"quiz_average_pct", q.Topic, decimal(q.Percent())})
	}
	h.endCSV(w, "dashboard.csv")
}
