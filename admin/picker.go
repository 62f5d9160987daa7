package admin

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/phone"
	"github.com/chanjo-health/chanjo/store"
)

// People pickers. A form that names a person has a text field (her name, part
// of it, or her number in any local form) instead of a list of everyone: the
// server searches on submit. One match is taken; several bring a page that
// lists them, with facility and number, to choose from, which posts the same
// form again with her id; so a page never carries the whole roster.

// pickChoices is the most people the choice page lists.
const pickChoices = 20

// picker is one person field of a form: Field is the text input, Field+"_id"
// the id the choice page posts back.
type picker struct {
	Field string
	Label string // "mentor", "nurse": what the messages call her
	Role  string // store.RoleMentor to offer mentors only; "" for anyone
}

// The pickers of the console's forms.
var (
	memberPicker = picker{Field: "worker", Label: "nurse"}
	mentorPicker = picker{Field: "mentor", Label: "mentor", Role: store.RoleMentor}
	menteePicker = picker{Field: "mentee", Label: "nurse"}
)

// pickData is the choice page's data.
type pickData struct {
	Label, Q, Action string
	IDField          string
	Rows             []store.WorkerRow
	Total            int
	Hidden           []hiddenField // the rest of the form, posted again
}

type hiddenField struct{ Name, Value string }

// pick returns the id of the person the form's field p names, among the
// active people inside the scope. When it has answered the request itself
// (a refusal, or the page to choose among several) ok is false.
func (h *Console) pick(c *gin.Context, p picker) (id int64, ok bool) {
	if s := c.PostForm(p.Field + "_id"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			h.errorPage(c, http.StatusUnprocessableEntity, "Choose the "+p.Label+" again.")
			return 0, false
		}
		return id, true
	}
	q := strings.TrimSpace(c.PostForm(p.Field))
	if q == "" {
		h.errorPage(c, http.StatusUnprocessableEntity, "Type the "+p.Label+"'s name or phone number.")
		return 0, false
	}
	f := store.WorkerFilter{Q: q, Status: store.StatusActive, Role: p.Role, Limit: pickChoices}
	if n, err := phone.Normalize(q); err == nil {
		f.Q = n
	}
	rows, total, err := h.db.Workers(c.Request.Context(), scopeOf(c), f)
	switch {
	case err != nil:
		h.fail(c, err)
		return 0, false
	case total == 0:
		h.errorPage(c, http.StatusUnprocessableEntity, fmt.Sprintf("No active %s of your sub-counties matches %q.", p.Label, q))
		return 0, false
	case total == 1:
		return rows[0].ID, true
	}
	h.render(c, http.StatusOK, "pick", pickData{Label: p.Label, Q: q, Action: c.Request.URL.Path, IDField: p.Field + "_id",
		Rows: rows, Total: total, Hidden: otherFields(c, p.Field)})
	return 0, false
}

// otherFields are the posted fields a choice page carries over: all but the
// CSRF token (the page has its own) and the field being chosen.
func otherFields(c *gin.Context, field string) []hiddenField {
	var out []hiddenField
	keys := make([]string, 0, len(c.Request.PostForm))
	for k := range c.Request.PostForm {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if k == "csrf" || k == field || k == field+"_id" {
			continue
		}
		for _, v := range c.Request.PostForm[k] {
			out = append(out, hiddenField{k, v})
		}
	}
	return out
}
