package admin

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/store"
)

// Console's visit calendar: how far back it looks. Visits still scheduled
// (not logged as done or cancelled) show however old: an overdue visit
// waits on someone until it is logged or cancelled.
const (
	// recentDays is how far back the list of visits done reaches.
	recentDays = 90
	// recentDone is the most visits done the page lists.
	recentDone = 50
)

// visitDay is one local day of the calendar.
type visitDay struct {
	Date   time.Time // midnight, local
	Past   bool      // before today: visits not yet logged as done
	Visits []store.VisitRow
}

// visitsData is the visits page's data.
type visitsData struct {
	Days    []visitDay
	Done    []store.VisitRow
	People  []store.WorkerRow
	Mentors []store.WorkerRow
	TZ      string
}

// visitLists returns the calendar (every visit still scheduled, overdue
// ones first, by local day) and the visits done recently, newest first: what the
// page shows and the CSV exports.
func (h *Console) visitLists(c *gin.Context) ([]store.VisitRow, []store.VisitRow, error) {
	ctx, sc := c.Request.Context(), scopeOf(c)
	today := h.localDay(h.db.Now())
	sched, err := h.db.Visits(ctx, sc, store.VisitFilter{Status: store.VisitScheduled})
	if err != nil {
		return nil, nil, err
	}
	done, err := h.db.Visits(ctx, sc, store.VisitFilter{From: today.AddDate(0, 0, -recentDays), Status: store.VisitDone, Newest: true, Limit: recentDone})
	return sched, done, err
}

// localDay is midnight, in the console's zone, of the day of t.
func (h *Console) localDay(t time.Time) time.Time {
	l := t.In(h.tz)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, h.tz)
}

// byDay groups visits, in time order, by their local day.
func (h *Console) byDay(vs []store.VisitRow) []visitDay {
	today := h.localDay(h.db.Now())
	var days []visitDay
	for _, v := range vs {
		d := h.localDay(v.At)
		if len(days) == 0 || !days[len(days)-1].Date.Equal(d) {
			days = append(days, visitDay{Date: d, Past: d.Before(today)})
		}
		days[len(days)-1].Visits = append(days[len(days)-1].Visits, v)
	}
	return days
}

// visits is /admin/visits: the calendar, recent visits and the form to
// schedule one.
func (h *Console) visits(c *gin.Context) {
	sched, done, err := h.visitLists(c)
	var people []store.WorkerRow
	if err == nil {
		people, err = h.db.ActiveWorkers(c.Request.Context(), scopeOf(c))
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	d := visitsData{Days: h.byDay(sched), Done: done, People: people, TZ: h.tz.String()}
	for _, p := range people {
		if p.Role == store.RoleMentor {
			d.Mentors = append(d.Mentors, p)
		}
	}
	h.render(c, http.StatusOK, "visits", d)
}

// visitData is a visit page's data.
type visitData struct {
	V         store.VisitRow
	Checklist []checklistLine
	TZ        string
}

// visitParam loads the :id visit inside the scope, answering 404 itself.
func (h *Console) visitParam(c *gin.Context) (store.VisitRow, bool) {
	id, ok := h.idParam(c, "id")
	if !ok {
		return store.VisitRow{}, false
	}
	v, err := h.db.VisitInScope(c.Request.Context(), scopeOf(c), id)
	if err != nil {
		h.fail(c, err)
		return store.VisitRow{}, false
	}
	return v, true
}

// visit is /admin/visits/:id: the visit, its checklist results, and the
// forms to move or cancel it.
func (h *Console) visit(c *gin.Context) {
	v, ok := h.visitParam(c)
	if !ok {
		return
	}
	answers, err := h.db.Checklist(c.Request.Context(), v.ID)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, http.StatusOK, "visit", visitData{V: v, Checklist: checklistLines(h.Checklist, answers), TZ: h.tz.String()})
}

// readAt reads the form's datetime-local field "at" in the console's zone.
func (h *Console) readAt(c *gin.Context) (time.Time, error) {
	at, err := time.ParseInLocation(sendAtLayout, strings.TrimSpace(c.PostForm("at")), h.tz)
	if err != nil {
		return time.Time{}, visitRefusal("at", "give the date and time of the visit, e.g. 2025-03-10T09:00")
	}
	return at, nil
}

// scheduleVisit is POST /admin/visits.
func (h *Console) scheduleVisit(c *gin.Context) {
	mentor, ok := h.formID(c, "mentor_id", "Choose a mentor.")
	if !ok {
		return
	}
	mentee, ok := h.formID(c, "mentee_id", "Choose the nurse to visit.")
	if !ok {
		return
	}
	at, err := h.readAt(c)
	var v store.VisitRow
	if err == nil {
		v, err = scheduleVisit(c.Request.Context(), h.db, scopeOf(c), h.Mentoring, userOf(c).ID, mentor, mentee, at)
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	h.redirect(c, fmt.Sprintf("/admin/visits/%d", v.ID), "Visit scheduled; reminders will go to "+v.MentorName+" and "+v.MenteeName+".")
}

// rescheduleVisit is POST /admin/visits/:id/reschedule.
func (h *Console) rescheduleVisit(c *gin.Context) {
	id, ok := h.idParam(c, "id")
	if !ok {
		return
	}
	at, err := h.readAt(c)
	if err == nil {
		_, err = rescheduleVisit(c.Request.Context(), h.db, scopeOf(c), h.Mentoring, userOf(c).ID, id, at)
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	h.redirect(c, "/admin/visits/"+strconv.FormatInt(id, 10), "Visit moved; its reminders follow it.")
}

// cancelVisit is POST /admin/visits/:id/cancel.
func (h *Console) cancelVisit(c *gin.Context) {
	id, ok := h.idParam(c, "id")
	if !ok {
		return
	}
	if _, err := cancelVisit(c.Request.Context(), h.db, scopeOf(c), h.Mentoring, userOf(c).ID, id); err != nil {
		h.fail(c, err)
		return
	}
	h.redirect(c, "/admin/visits/"+strconv.FormatInt(id, 10), "Visit cancelled; its reminders will not be sent.")
}
