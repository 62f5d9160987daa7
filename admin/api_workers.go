package admin

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/store"
)

// workerJSON is a worker as the API shows her.
type workerJSON struct {
	ID         int64        `json:"id"`
	Name       string       `json:"name"`
	Phone      string       `json:"phone"`
	Role       string       `json:"role"`
	Language   string       `json:"language"`
	Status     string       `json:"status"`
	OptedOut   bool         `json:"opted_out"`
	Facility   facilityJSON `json:"facility"`
	LastDialAt *time.Time   `json:"last_dial_at"`
	CreatedAt  time.Time    `json:"created_at"`

	// UnknownFacility is set for a code typed at registration that the
	// roster does not know: the console flags her and sets her facility.
	UnknownFacility bool `json:"unknown_facility"`
}

type facilityJSON struct {
	Code      string `json:"code"`
	Name      string `json:"name"`
	SubCounty string `json:"sub_county"`
}

func toJSON(w store.WorkerRow) workerJSON {
	j := workerJSON{ID: w.ID, Name: w.Name, Phone: w.Phone, Role: w.Role, Language: w.Language, Status: w.Status,
		OptedOut: w.OptedOut, Facility: facilityJSON{w.FacilityCode, w.FacilityName, w.SubCounty}, CreatedAt: w.CreatedAt.UTC(),
		UnknownFacility: w.UnknownFacility}
	if w.LastDialAt.Valid {
		t := w.LastDialAt.Time.UTC()
		j.LastDialAt = &t
	}
	return j
}

// maxWorkersLimit is the largest page of GET /api/v1/workers (docs/api.md).
const maxWorkersLimit = 500

// workers is GET /api/v1/workers?q=&sub_county=&status=&limit=&offset=.
func (a *API) workers(c *gin.Context) {
	f := workerFilter(c)
	fields := map[string]string{}
	for _, k := range []string{"limit", "offset"} {
		if v := c.Query(k); v != "" {
			if n, err := strconv.Atoi(v); err != nil || n < 0 {
				fields[k] = "must be a whole number, 0 or more"
			} else if k == "limit" && n > maxWorkersLimit {
				fields[k] = "must be at most 500"
			}
		}
	}
	if f.Status != "" && !slices.Contains(workerStatuses, f.Status) {
		fields["status"] = "must be pending, active or inactive"
	}
	if len(fields) > 0 {
		abort(c, http.StatusUnprocessableEntity, apiError{Code: "invalid", Message: "invalid query", Fields: fields})
		return
	}
	rows, total, err := a.db.Workers(c.Request.Context(), scopeOf(c), f)
	if err != nil {
		a.fail(c, err)
		return
	}
	out := make([]workerJSON, len(rows))
	for i, r := range rows {
		out[i] = toJSON(r)
	}
	c.JSON(http.StatusOK, gin.H{"workers": out, "total": total, "limit": len(out), "offset": max(f.Offset, 0)})
}

// workerParam loads the :id worker inside the scope (workerOf), answering
// 404 itself.
func (a *API) workerParam(c *gin.Context) (store.WorkerRow, bool) {
	w, err := workerOf(c, a.db)
	if err != nil {
		a.fail(c, err)
		return store.WorkerRow{}, false
	}
	return w, true
}

// worker is GET /api/v1/workers/:id.
func (a *API) worker(c *gin.Context) {
	if w, ok := a.workerParam(c); ok {
		c.JSON(http.StatusOK, toJSON(w))
	}
}

// workerPatch is the body of PATCH /api/v1/workers/:id; absent fields stay.
type workerPatch struct {
	Status   *string `json:"status"`
	Language *string `json:"language"`
	OptedOut *bool   `json:"opted_out"`
}

// patchWorker is PATCH /api/v1/workers/:id: approve or reject a pending
// registration (status active or inactive), language, opt-out.
func (a *API) patchWorker(c *gin.Context) {
	w, ok := a.workerParam(c)
	if !ok {
		return
	}
	pack, err := packOr(a.Pack)
	if err != nil {
		a.fail(c, err)
		return
	}
	p, fields, err := decodePatch(c.Request.Body, pack.LanguageCodes())
	switch {
	case err != nil:
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			abort(c, http.StatusRequestEntityTooLarge, apiError{Code: "too_large", Message: "the body must be at most 1 MiB"})
			return
		}
		abort(c, http.StatusUnprocessableEntity, apiError{Code: "invalid", Message: "the body must be a JSON object: " + err.Error()})
		return
	case len(fields) > 0:
		abort(c, http.StatusUnprocessableEntity, apiError{Code: "invalid", Message: "invalid input", Fields: fields})
		return
	}
	if p.Status != nil && !mayChangeStatus(userOf(c), w.Status, *p.Status) {
		abort(c, http.StatusForbidden, apiError{Code: "forbidden", Message: "only an administrator may change this status"})
		return
	}
	ch := store.WorkerChange{Status: p.Status, Language: p.Language, OptedOut: p.OptedOut, Notice: a.RegistrationNotice}
	w, err = a.db.UpdateWorker(c.Request.Context(), scopeOf(c), userOf(c).ID, w.ID, ch)
	if err != nil {
		a.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toJSON(w))
}

// setWorkerFacility is POST /api/v1/workers/:id/facility {"facility_code":
// "…"}: she moves to the roster's facility with the code, as the console's
// nurse page does for a registrant whose code the roster did not know. 404
// for a worker outside the scope, 422 for a code the roster does not know
// or a facility outside the scope. Audited.
func (a *API) setWorkerFacility(c *gin.Context) {
	w, ok := a.workerParam(c)
	if !ok {
		return
	}
	var body struct {
		FacilityCode string `json:"facility_code"`
	}
	if !a.decode(c, &body) {
		return
	}
	w, err := a.db.SetWorkerFacility(c.Request.Context(), scopeOf(c), userOf(c).ID, w.ID, body.FacilityCode)
	if err != nil {
		a.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toJSON(w))
}

// decodePatch reads a patch, returning a syntax error or the fields whose
// values are refused; langs are the content pack's language codes.
func decodePatch(body io.Reader, langs []string) (workerPatch, map[string]string, error) {
	raw, err := io.ReadAll(body)
	if err != nil {
		return workerPatch{}, nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var p workerPatch
	if err := dec.Decode(&p); err != nil {
		return workerPatch{}, nil, err
	}
	fields := map[string]string{}
	if p.Status != nil && *p.Status != store.StatusActive && *p.Status != store.StatusInactive {
		fields["status"] = "must be active or inactive"
	}
	if p.Language != nil && !slices.Contains(langs, *p.Language) {
		fields["language"] = "must be " + strings.Join(langs, " or ")
	}
	if p.Status == nil && p.Language == nil && p.OptedOut == nil {
		fields["status"] = "give at least one of status, language, opted_out"
	}
	return p, fields, nil
}
