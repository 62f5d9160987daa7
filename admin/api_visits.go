package admin

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/store"
)

// visitJSON is a visit as the API shows it.
type visitJSON struct {
	ID         int64      `json:"id"`
	MentorID   int64      `json:"mentor_id"`
	MentorName string     `json:"mentor_name"`
	MenteeID   int64      `json:"mentee_id"`
	MenteeName string     `json:"mentee_name"`
	At         time.Time  `json:"at"`
	Status     string     `json:"status"`
	DoneAt     *time.Time `json:"done_at"`
	Facility   string     `json:"facility_name"`
	SubCounty  string     `json:"sub_county"`
	Checklist  []itemJSON `json:"checklist,omitempty"`
}

// itemJSON is a checklist item of a visit with the mentor's answer ("" when
// not answered).
type itemJSON struct {
	ItemID string `json:"item_id"`
	Topic  string `json:"topic"`
	TextEn string `json:"text_en"`
	TextSw string `json:"text_sw"`
	Answer string `json:"answer"`
}

func visitToJSON(v store.VisitRow) visitJSON {
	j := visitJSON{ID: v.ID, MentorID: v.MentorID, MentorName: v.MentorName, MenteeID: v.MenteeID, MenteeName: v.MenteeName,
		At: v.At.UTC(), Status: v.Status, Facility: v.FacilityName, SubCounty: v.SubCounty}
	if v.DoneAt.Valid {
		t := v.DoneAt.Time.UTC()
		j.DoneAt = &t
	}
	return j
}

// visits is GET /api/v1/visits?from=&to=&mentor_id=&status=: the visits
// inside the scope in time order, at most store.MaxVisitRows.
func (a *API) visits(c *gin.Context) {
	f, fields := a.visitFilter(c)
	if len(fields) > 0 {
		abort(c, http.StatusUnprocessableEntity, apiError{Code: "invalid", Message: "invalid query", Fields: fields})
		return
	}
	rows, err := a.db.Visits(c.Request.Context(), scopeOf(c), f)
	if err != nil {
		a.fail(c, err)
		return
	}
	out := make([]visitJSON, len(rows))
	for i, v := range rows {
		out[i] = visitToJSON(v)
	}
	c.JSON(http.StatusOK, gin.H{"visits": out})
}

// visitFilter reads the query of GET /api/v1/visits: from and to are
// RFC 3339 times or dates in CHANJO_TZ (to includes its whole day).
func (a *API) visitFilter(c *gin.Context) (store.VisitFilter, map[string]string) {
	var f store.VisitFilter
	fields := map[string]string{}
	loc := a.Mentoring.Zone()
	for _, q := range []struct {
		key string
		dst *time.Time
		day int // days added to a date
	}{{"from", &f.From, 0}, {"to", &f.To, 1}} {
		v := c.Query(q.key)
		if v == "" {
			continue
		}
		if t, err := time.Parse(time.RFC3339, v); err == nil {
			*q.dst = t
		} else if d, err := time.ParseInLocation(time.DateOnly, v, loc); err == nil {
			*q.dst = d.AddDate(0, 0, q.day)
		} else {
			fields[q.key] = "must be a date (2025-03-10) or a time (2025-03-10T09:00:00+03:00)"
		}
	}
	if v := c.Query("mentor_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			fields["mentor_id"] = "must be a worker id"
		}
		f.MentorID = id
	}
	switch f.Status = c.Query("status"); f.Status {
	case "", store.VisitScheduled, store.VisitDone, store.VisitCancelled:
	default:
		fields["status"] = "must be scheduled, done or cancelled"
	}
	return f, fields
}

// visitParam loads the :id visit inside the scope, answering 404 itself.
func (a *API) visitParam(c *gin.Context) (store.VisitRow, bool) {
	id, err := pathID(c)
	var v store.VisitRow
	if err == nil {
		v, err = a.db.VisitInScope(c.Request.Context(), scopeOf(c), id)
	}
	if err != nil {
		a.fail(c, err)
		return v, false
	}
	return v, true
}

// visit is GET /api/v1/visits/:id with the checklist of the content pack
// and the mentor's answers.
func (a *API) visit(c *gin.Context) {
	v, ok := a.visitParam(c)
	if !ok {
		return
	}
	answers, err := a.db.Checklist(c.Request.Context(), v.ID)
	if err != nil {
		a.fail(c, err)
		return
	}
	j := visitToJSON(v)
	j.Checklist = []itemJSON{}
	for _, l := range checklistLines(a.Checklist, answers) {
		j.Checklist = append(j.Checklist, itemJSON{ItemID: l.ItemID, Topic: l.Topic, TextEn: l.Text.In("en"), TextSw: l.Text.In("sw"), Answer: l.Answer})
	}
	c.JSON(http.StatusOK, j)
}

// visitRequest is the body of POST /api/v1/visits.
type visitRequest struct {
	MentorID int64     `json:"mentor_id"`
	MenteeID int64     `json:"mentee_id"`
	At       time.Time `json:"at"`
}

// createVisit is POST /api/v1/visits: 201 with the visit and its
// reminders scheduled; 404 for a worker outside the scope.
func (a *API) createVisit(c *gin.Context) {
	var req visitRequest
	if !a.decode(c, &req) {
		return
	}
	v, err := scheduleVisit(c.Request.Context(), a.db, scopeOf(c), a.Mentoring, userOf(c).ID, req.MentorID, req.MenteeID, req.At)
	if err != nil {
		a.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, visitToJSON(v))
}

// visitPatch is the body of PATCH /api/v1/visits/:id: a new time, or the
// status "cancelled".
type visitPatch struct {
	At     *time.Time `json:"at"`
	Status *string    `json:"status"`
}

// patchVisit is PATCH /api/v1/visits/:id: reschedule or cancel.
func (a *API) patchVisit(c *gin.Context) {
	v, ok := a.visitParam(c)
	if !ok {
		return
	}
	var p visitPatch
	if !a.decode(c, &p) {
		return
	}
	ctx, sc, uid := c.Request.Context(), scopeOf(c), userOf(c).ID
	var err error
	switch {
	case (p.At == nil) == (p.Status == nil):
		err = visitRefusal("at", "give either at (a new time) or status (cancelled)")
	case p.Status != nil && *p.Status != store.VisitCancelled:
		err = visitRefusal("status", "the only status a visit may be given is cancelled")
	case p.Status != nil:
		v, err = cancelVisit(ctx, a.db, sc, a.Mentoring, uid, v.ID)
	default:
		v, err = rescheduleVisit(ctx, a.db, sc, a.Mentoring, uid, v.ID, *p.At)
	}
	if err != nil {
		a.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, visitToJSON(v))
}

// decode reads the JSON object of the body into v, refusing unknown
// fields; on failure it answers (413 or 422) and returns false.
func (a *API) decode(c *gin.Context, v any) bool {
	raw, err := io.ReadAll(c.Request.Body)
	if err == nil {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		err = dec.Decode(v)
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		abort(c, http.StatusRequestEntityTooLarge, apiError{Code: "too_large", Message: "the body must be at most 1 MiB"})
	case err != nil:
		abort(c, http.StatusUnprocessableEntity, apiError{Code: "invalid", Message: "the body must be a JSON object: " + err.Error()})
	}
	return err == nil
}
