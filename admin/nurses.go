package admin

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/phone"
	"github.com/chanjo-health/chanjo/store"
)

// workerStatuses are the statuses a filter may ask for.
var workerStatuses = []string{store.StatusPending, store.StatusActive, store.StatusInactive}

// nursesData is the nurses page's data.
type nursesData struct {
	Filter   store.WorkerFilter
	Statuses []string
	Rows     []store.WorkerRow
	Total    int
	CSV      string // the CSV of this filter: every row the pages show
	Back     string // this page, where an approval returns to
	Prev     string
	Next     string
}

// workerFilter reads ?q=, ?status=, ?sub_county=, ?limit= and ?offset=. A
// query that is a phone number in any common form searches its +254 form.
func workerFilter(c *gin.Context) store.WorkerFilter {
	f := store.WorkerFilter{Q: strings.TrimSpace(c.Query("q")), Status: c.Query("status"), SubCounty: strings.TrimSpace(c.Query("sub_county"))}
	if p, err := phone.Normalize(f.Q); err == nil {
		f.Q = p
	}
	f.Limit, _ = strconv.Atoi(c.Query("limit"))
	f.Offset, _ = strconv.Atoi(c.Query("offset"))
	return f
}

func filterQuery(f store.WorkerFilter, offset int) url.Values {
	v := url.Values{}
	for k, s := range map[string]string{"q": f.Q, "status": f.Status, "sub_county": f.SubCounty} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if offset > 0 {
		v.Set("offset", strconv.Itoa(offset))
	}
	return v
}

// nurses is /admin/nurses: search, filter and approve.
func (h *Console) nurses(c *gin.Context) {
	f := workerFilter(c)
	rows, total, err := h.db.Workers(c.Request.Context(), scopeOf(c), f)
	if err != nil {
		h.fail(c, err)
		return
	}
	d := nursesData{Filter: f, Statuses: workerStatuses, Rows: rows, Total: total,
		CSV: "/admin/nurses.csv?" + filterQuery(f, 0).Encode(), Back: "/admin/nurses?" + filterQuery(f, f.Offset).Encode()}
	size := len(rows)
	if f.Offset > 0 {
		d.Prev = "/admin/nurses?" + filterQuery(f, max(f.Offset-store.DefaultWorkerPage, 0)).Encode()
	}
	if f.Offset+size < total {
		d.Next = "/admin/nurses?" + filterQuery(f, f.Offset+size).Encode()
	}
	h.render(c, http.StatusOK, "nurses", d)
}

// nurseData is the nurse page's data.
type nurseData struct {
	W        store.WorkerRow
	Admin    bool
	Statuses []string
	// Languages are the content pack's, for the language choice.
	Languages []lessons.Language
	// OptOut says how and why she opted out; nil when she takes SMS.
	OptOut *store.OptOut
	// Progress and Record are her learning, people, visits, questions,
	// calculations and SMS.
	Progress nurseProgress
	Record   store.NurseRecord
	// Mentees are a mentor's mentees with their progress.
	Mentees []store.Mentee
	// Channel is her channel, WhatsApp opt-in, reachability and window.
	Channel nurseChannel
}

// workerParam loads the worker of the :id in the path inside the scope
// (workerOf), answering 404 itself when there is none.
func (h *Console) workerParam(c *gin.Context) (store.WorkerRow, bool) {
	w, err := workerOf(c, h.db)
	if err != nil {
		h.fail(c, err)
		return store.WorkerRow{}, false
	}
	return w, true
}

// nurse is /admin/nurses/:id: one nurse, her progress and record, and the
// form to edit her.
func (h *Console) nurse(c *gin.Context) {
	w, ok := h.workerParam(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	pack, err := packOr(h.Pack)
	if err != nil {
		h.fail(c, err)
		return
	}
	d := nurseData{W: w, Admin: userOf(c).Role == store.RoleAdmin, Statuses: []string{store.StatusActive, store.StatusInactive},
		Languages: pack.Languages()}
	if w.OptedOut {
		var o store.OptOut
		var found bool
		if o, found, err = h.db.OptOutOf(ctx, w.Phone); found {
			d.OptOut = &o
		}
	}
	if err == nil {
		d.Progress, err = h.progressOf(ctx, w.ID)
	}
	if err == nil {
		d.Record, err = h.db.NurseRecordOf(ctx, w.ID)
	}
	if err == nil {
		d.Channel, err = h.channelOf(ctx, w.ID, w.Phone)
	}
	if err == nil && w.Role == store.RoleMentor {
		d.Mentees, err = h.db.Mentees(ctx, w.ID)
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, http.StatusOK, "nurse", d)
}

// mayChangeStatus is the rule for a worker's status: anyone whose scope
// holds her may approve a pending registration; only an administrator
// rejects one, deactivates or reactivates.
func mayChangeStatus(u store.User, from, to string) bool {
	return from == to || u.Role == store.RoleAdmin || (from == store.StatusPending && to == store.StatusActive)
}

// languageNames lists the names of the pack's languages: "English,
// Kiswahili".
func languageNames(p *lessons.Pack) string {
	names := make([]string, len(p.Languages()))
	for i, l := range p.Languages() {
		names[i] = l.Name
	}
	return strings.Join(names, ", ")
}

// editNurse saves the nurse form: language and (administrators) status.
// The opt-out is not in it: the nurse's own STOP and START set it.
func (h *Console) editNurse(c *gin.Context) {
	w, ok := h.workerParam(c)
	if !ok {
		return
	}
	pack, err := packOr(h.Pack)
	if err != nil {
		h.fail(c, fmt.Errorf("admin: edit nurse: %w", err))
		return
	}
	lang := c.PostForm("language")
	if !pack.Speaks(lang) {
		h.errorPage(c, http.StatusUnprocessableEntity, "Choose one of the languages: "+languageNames(pack)+".")
		return
	}
	ch := store.WorkerChange{Language: &lang, Notice: h.RegistrationNotice}
	if st := c.PostForm("status"); st != "" {
		if !mayChangeStatus(userOf(c), w.Status, st) {
			h.errorPage(c, http.StatusForbidden, "Only an administrator may change this status.")
			return
		}
		ch.Status = &st
	}
	if _, err := h.db.UpdateWorker(c.Request.Context(), scopeOf(c), userOf(c).ID, w.ID, ch); err != nil {
		h.fail(c, err)
		return
	}
	h.redirect(c, "/admin/nurses/"+strconv.FormatInt(w.ID, 10), "Saved.")
}

// approveNurse activates a pending registration; she is told by SMS.
func (h *Console) approveNurse(c *gin.Context) {
	h.decide(c, store.StatusActive, "Approved ")
}

// rejectNurse rejects a pending registration (the worker becomes
// inactive; administrators only, see mayChangeStatus); she is told by SMS.
func (h *Console) rejectNurse(c *gin.Context) {
	h.decide(c, store.StatusInactive, "Rejected ")
}

// decide gives a pending registration the status, and says done what.
func (h *Console) decide(c *gin.Context, status, done string) {
	w, ok := h.workerParam(c)
	if !ok {
		return
	}
	next := localPath(c.PostForm("next"), "/admin/nurses?status=pending")
	switch {
	case w.Status != store.StatusPending:
		h.redirect(c, next, w.Name+" is already "+w.Status+".")
		return
	case !mayChangeStatus(userOf(c), w.Status, status):
		h.errorPage(c, http.StatusForbidden, "Only an administrator may change this status.")
		return
	}
	ch := store.WorkerChange{Status: &status, Notice: h.RegistrationNotice}
	if _, err := h.db.UpdateWorker(c.Request.Context(), scopeOf(c), userOf(c).ID, w.ID, ch); err != nil {
		h.fail(c, err)
		return
	}
	h.redirect(c, next, done+w.Name+".")
}

// localPath returns p if it is a console path, so that a form cannot send
// the browser elsewhere, and def otherwise.
func localPath(p, def string) string {
	if strings.HasPrefix(p, "/admin") && !strings.HasPrefix(p, "//") && !strings.ContainsAny(p, "\\\r\n") {
		return p
	}
	return def
}

// setFacility is POST /admin/nurses/:id/facility: she moves to the roster's
// facility with the code (one of the user's sub-counties), which places a
// nurse who registered with a code the roster does not know.
func (h *Console) setFacility(c *gin.Context) {
	w, ok := h.workerParam(c)
	if !ok {
		return
	}
	w, err := h.db.SetWorkerFacility(c.Request.Context(), scopeOf(c), userOf(c).ID, w.ID, c.PostForm("facility_code"))
	if err != nil {
		h.fail(c, err)
		return
	}
	h.redirect(c, "/admin/nurses/"+strconv.FormatInt(w.ID, 10), w.Name+" is now at "+w.FacilityName+".")
}
