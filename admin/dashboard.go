package admin

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/quiet"
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

// stoppedAfter is how long an active nurse may go without dialling before
// the dashboard counts her as having stopped.
const stoppedAfter = 14 * 24 * time.Hour

// dashboardData is the dashboard's data.
type dashboardData struct {
	D     store.Dashboard
	Month string
	// Titles are the topics' English titles by id, for the quiz table.
	Titles map[string]string
	// Actions are what waits on someone, each count linking to its list.
	Actions []action
	// Waiting says why the SMS waiting to be sent wait.
	Waiting string
	// Costs are the month's messages and their cost by channel.
	Costs []channelCost
}

// channelCost is a line of "Cost this month by channel": what went on a
// channel, how many, and the estimated cost (Priced: its price is set),
// Shown with its currency or as "—". Figure and Of name the line in the
// dashboard's CSV.
type channelCost struct {
	Channel, What string
	Figure, Of    string
	N             int
	Cost          float64
	Priced        bool
	Shown         string
}

// unknownCost shows a cost whose price is not set (SMS_SEGMENT_COST or
// WA_PRICE_* 0).
const unknownCost = "—"

// costs lists the month's cost by channel: the SMS parts sent (the
// counters; the gateway charges each part) priced by SMS_SEGMENT_COST, the
// WhatsApp free-form messages (free) and templates by category priced by
// WA_PRICE_* (whatsapp-api.md §4.4). The SMS estimate is the group page's:
// the gateway's own figure, where it reports one, is under the month's SMS.
func (h *Console) costs(d store.Dashboard) []channelCost {
	out := []channelCost{
		{Channel: "SMS", What: "parts sent", Figure: "sms_parts", N: d.SMS.Parts,
			Cost: h.Price.Of(1, d.SMS.Parts), Priced: h.Price.PerSegment > 0},
		{Channel: "WhatsApp", What: "free-form, inside her 24-hour window", Figure: "whatsapp_free_form", N: d.WhatsApp.Free,
			Priced: true}}
	for _, t := range d.WhatsApp.Templates {
		out = append(out, channelCost{Channel: "WhatsApp", What: t.Category + " templates", Figure: "whatsapp_templates",
			Of: t.Category, N: t.N, Cost: t.Cost, Priced: h.WAPrices[t.Category] > 0})
	}
	for i, c := range out {
		out[i].Shown = unknownCost
		if c.Priced {
			out[i].Shown = h.Price.Format(c.Cost)
		}
	}
	return out
}

// action is a line of the dashboard's "needs action" list: a count, what
// it counts, why it matters, and the list behind it.
type action struct {
	N         int
	What, Why string
	Path      string
}

// dashboard is /admin: what needs action and what is happening in the
// user's sub-counties.
func (h *Console) dashboard(c *gin.Context) {
	ctx, sc := c.Request.Context(), scopeOf(c)
	now := h.db.Now().In(h.tz)
	d, a, err := h.dashboardFigures(ctx, sc, now)
	if err != nil {
		h.fail(c, err)
		return
	}
	r, err := newReporter(h.db, h.Pack, h.tz)
	if err != nil {
		h.fail(c, err)
		return
	}
	alerts, err := r.stock(ctx, sc)
	if err != nil {
		h.fail(c, err)
		return
	}
	titles := map[string]string{}
	for _, t := range r.pack.Topics {
		titles[t.ID] = t.Title.In("en")
	}
	pause := h.smsPause(ctx)
	data := dashboardData{D: d, Month: now.Format("January 2006"), Titles: titles,
		Actions: actions(a, d.Pending, alerts, pause), Waiting: waitingWhy(a, pause, h.Quiet, h.SMSRate, now),
		Costs: h.costs(d)}
	h.render(c, http.StatusOK, "dashboard", data)
}

// dashboardFigures reads the figures both the dashboard and its CSV show:
// the month's counts (the local month of now) and what needs action.
func (h *Console) dashboardFigures(ctx context.Context, sc store.Scope, now time.Time) (store.Dashboard, store.Actions, error) {
	monthStart := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, h.tz)
	d, err := h.db.Dashboard(ctx, sc, monthStart.UTC())
	if err != nil {
		return d, store.Actions{}, err
	}
	a, err := h.db.DashboardActions(ctx, sc, h.localDay(now), now.Add(-stoppedAfter))
	return d, a, err
}

// actions lists what needs action, in the order a supervisor would act.
func actions(a store.Actions, pending int, alerts []stockRow, pause *store.Pause) []action {
	low := 0
	for _, s := range alerts {
		if s.Level == "low" {
			low++
		}
	}
	out := []action{}
	if pause != nil {
		out = append(out, action{N: a.Queued, What: "SMS held: sending is paused",
			Why:  "the gateway refused the account (" + pause.Reason + "); sending resumes by itself once a probe goes through",
			Path: "/admin/broadcasts"})
	}
	out = append(out,
		action{N: len(alerts), What: "stock alerts",
			Why:  plural(low, "vaccine", "vaccines") + " at or below the order point or out of stock, the rest above maximum, by the latest calculation",
			Path: "/admin/reports#stock"},
		action{N: a.OpenQuestions, What: "questions waiting for an answer",
			Why:  plural(a.PassedOn, "was", "were") + " passed on because the mentor did not answer in time",
			Path: "/admin/questions"},
		action{N: a.OverdueVisits, What: "overdue visits", Why: "scheduled before today and not logged as done or cancelled",
			Path: "/admin/visits"},
		action{N: pending, What: "registrations to approve", Why: "nurses who registered by phone wait for approval before they can learn",
			Path: "/admin/nurses?status=pending"},
		action{N: a.Stopped, What: "nurses who stopped dialling", Why: "active, but no dial in the last 14 days",
			Path: "/admin/reports#nurses"})
	return out
}

// plural writes n with the singular or plural word: "1 vaccine", "2 vaccines".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// waitingWhy says why the SMS waiting to be sent wait, "" when none does:
// a paused account, quiet hours, a time still to come, or the rate. "Waiting
// to send 200" alone made supervisors send again.
func waitingWhy(a store.Actions, pause *store.Pause, q quiet.Hours, rate float64, now time.Time) string {
	if a.Queued == 0 {
		return ""
	}
	var why []string
	switch until, held := q.Until(now); {
	case pause != nil:
		why = append(why, "sending is paused since "+clock(pause.BeganAt.In(now.Location()), now)+": the gateway refused the account")
	case held:
		why = append(why, "quiet hours: held until "+clock(until, now)+" (urgent broadcasts and replies go now)")
	}
	if a.QueuedLater > 0 {
		why = append(why, plural(a.QueuedLater, "is", "are")+" scheduled or to be tried again later")
	}
	if due := a.Queued - a.QueuedLater; len(why) == 0 && due > 0 && rate > 0 {
		minutes := int(math.Ceil(float64(due) / rate / 60))
		why = append(why, "going out at up to "+strconv.FormatFloat(rate, 'f', -1, 64)+" a second (SMS_RATE): about "+
			plural(minutes, "minute", "minutes")+" for all")
	}
	if len(why) == 0 {
		why = append(why, "going out now")
	}
	return strconv.Itoa(a.Queued) + " waiting now (of any month): " + strings.Join(why, "; ")
}

// dashboardCSV is /admin/dashboard.csv: the dashboard's figures, a line
// each: what needs action, the week's and month's counts, then the quiz
// average of each topic.
func (h *Console) dashboardCSV(c *gin.Context) {
	ctx, sc := c.Request.Context(), scopeOf(c)
	d, a, err := h.dashboardFigures(ctx, sc, h.db.Now().In(h.tz))
	if err != nil {
		h.fail(c, err)
		return
	}
	itoa := strconv.Itoa
	w := startCSV(c, "dashboard.csv")
	w.WriteAll([][]string{
		{"figure", "topic", "value"},
		{"open_questions", "", itoa(a.OpenQuestions)},
		{"questions_passed_on", "", itoa(a.PassedOn)},
		{"overdue_visits", "", itoa(a.OverdueVisits)},
		{"nurses_stopped_dialling", "", itoa(a.Stopped)},
		{"sms_waiting_now", "", itoa(a.Queued)},
		{"active_nurses_this_week", "", itoa(d.ActiveThisWeek)},
		{"pending_registrations", "", itoa(d.Pending)},
		{"lessons_completed", "", itoa(d.LessonsCompleted)},
		{"sms_sent_this_month", "", itoa(d.SMS.Sent)},
		{"sms_delivered_this_month", "", itoa(d.SMS.Delivered)},
		{"sms_failed_this_month", "", itoa(d.SMS.Failed)},
		{"sms_cost_this_month", "", strconv.FormatFloat(d.SMS.Cost, 'f', 2, 64) + " " + d.SMS.Currency},
	})
	// The cost by channel, a line for the count and one for the estimated
	// cost (empty when no price is set); Of names a template's category.
	for _, cc := range h.costs(d) {
		cost := ""
		if cc.Priced {
			cost = strconv.FormatFloat(cc.Cost, 'f', 2, 64)
		}
		w.WriteAll([][]string{{cc.Figure + "_this_month", cc.Of, itoa(cc.N)},
			{cc.Figure + "_estimated_cost_this_month", cc.Of, cost}})
	}
	for _, q := range d.Quiz {
		w.Write([]string{"quiz_average_pct", q.Topic, decimal(q.Percent())})
	}
	h.endCSV(w, "dashboard.csv")
}
