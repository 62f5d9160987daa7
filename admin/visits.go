package admin

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/lessons"
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
	Days []visitDay
	Done []store.VisitRow
	TZ   string
	// DefaultTime is the time the schedule form starts at.
	DefaultTime string
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
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, http.StatusOK, "visits", visitsData{Days: h.byDay(sched), Done: done, TZ: h.tz.String(),
		DefaultTime: h.visitTime()})
}

// visitData is a visit page's data.
type visitData struct {
	V         store.VisitRow
	Checklist []checklistLine
	TZ        string
	// Date and Time are the visit's, local, where the form to move it starts.
	Date, Time string
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
	at := v.At.In(h.tz)
	h.render(c, http.StatusOK, "visit", visitData{V: v, Checklist: checklistLines(h.Checklist, answers), TZ: h.tz.String(),
		Date: at.Format(time.DateOnly), Time: at.Format("15:04")})
}

// readAt reads the form's fields "date" (2025-03-10) and "time" (14:30) in
// the console's zone; a visit given no time is at the pack's visit_time.
func (h *Console) readAt(c *gin.Context) (time.Time, error) {
	day, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(c.PostForm("date")), h.tz)
	if err != nil {
		return time.Time{}, visitRefusal("date", "give the date of the visit, e.g. 2025-03-10")
	}
	clock := strings.TrimSpace(c.PostForm("time"))
	if clock == "" {
		clock = h.visitTime()
	}
	t, err := time.Parse("15:04", clock)
	if err != nil {
		return time.Time{}, visitRefusal("time", "give the time of the visit as hours and minutes, e.g. 09:00 or 14:30")
	}
	return day.Add(time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute), nil
}

// scheduleVisit is POST /admin/visits.
func (h *Console) scheduleVisit(c *gin.Context) {
	at, err := h.readAt(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	mentor, ok := h.pick(c, mentorPicker)
	if !ok {
		return
	}
	mentee, ok := h.pick(c, menteePicker)
	if !ok {
		return
	}
	v, err := scheduleVisit(c.Request.Context(), h.db, scopeOf(c), h.Mentoring, userOf(c).ID, mentor, mentee, at)
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

// visitTime is the pack's time ("09:00") of a visit scheduled without one.
func (h *Console) visitTime() string {
	if p, err := packOr(h.Pack); err == nil {
		return p.Settings.VisitTime.String()
	}
	return lessons.Clock{Hour: 9}.String()
}
