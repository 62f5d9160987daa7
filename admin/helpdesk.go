package admin

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/store"
)

// The helpdesk: a supervisor answers a question (relayed to the nurse by
// SMS), hands it to another mentor, or closes it, from the question's page
// or the API. The store keeps each inside her scope and the nurse's answer
// to one SMS however often a form is posted.

// maxAnswer bounds an answer typed in the console, in characters: the SMS
// carries what fits two segments and the nurse reads the rest over USSD.
const maxAnswer = 1000

// questionStateNames are the state filters of the questions page and the
// API, as people read them.
var questionStateNames = []struct {
	Value string
	Label string
}{
	{"waiting", "waiting for an answer"},
	{string(store.QuestionOpen), "open"},
	{string(store.QuestionPassedOn), "passed on"},
	{string(store.QuestionAnswered), "answered"},
	{string(store.QuestionClosed), "closed"},
	{"all", "all"},
}

// questionStates reads a state filter: "waiting" (open and passed on), one
// state, or "all" (every state: none). ok is false for anything else.
func questionStates(s string) (states []store.QuestionState, ok bool) {
	switch s {
	case "waiting":
		return []store.QuestionState{store.QuestionOpen, store.QuestionPassedOn}, true
	case "all":
		return nil, true
	}
	for _, st := range []store.QuestionState{store.QuestionOpen, store.QuestionPassedOn, store.QuestionAnswered, store.QuestionClosed} {
		if s == string(st) {
			return []store.QuestionState{st}, true
		}
	}
	return nil, false
}

// readAnswer returns the form's or body's answer, trimmed, or a refusal for
// people.
func readAnswer(s string) (string, string) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", "Write the answer."
	case utf8.RuneCountInString(s) > maxAnswer:
		return "", fmt.Sprintf("An answer is at most %d characters.", maxAnswer)
	}
	return s, ""
}

// notWaiting is what the helpdesk says of a question answered or closed
// before the user's action; "" for any other error.
func notWaiting(q store.Question, id int64, err error) string {
	switch {
	case errors.Is(err, store.ErrAlreadyAnswered):
		return fmt.Sprintf("Q%d was already answered%s; the nurse has that answer, so nothing more was sent.", id, by(q.Answerer))
	case errors.Is(err, store.ErrQuestionClosed):
		return fmt.Sprintf("Q%d is closed; nothing was sent.", id)
	}
	return ""
}

// helpdeskDone ends a helpdesk action on question id (q as the action left
// it): back to the question's page saying done, or that it was answered or
// closed before (notWaiting), or the error page.
func (h *Console) helpdeskDone(c *gin.Context, q store.Question, id int64, err error, done string) {
	path := fmt.Sprintf("/admin/questions/%d", id)
	if msg := notWaiting(q, id, err); msg != "" {
		h.redirect(c, path, msg)
		return
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	h.redirect(c, path, done)
}

func by(name string) string {
	if name == "" {
		return ""
	}
	return " by " + name
}

// answerQuestion is POST /admin/questions/:id/answer.
func (h *Console) answerQuestion(c *gin.Context) {
	t, ok := h.questionParam(c)
	if !ok {
		return
	}
	answer, refusal := readAnswer(c.PostForm("answer"))
	if refusal != "" {
		h.errorPage(c, http.StatusUnprocessableEntity, refusal)
		return
	}
	q, err := h.Mentoring.AnswerAsStaff(c.Request.Context(), scopeOf(c), userOf(c).ID, t.ID, answer)
	h.helpdeskDone(c, q, t.ID, err, "Your answer is on its way to "+t.Nurse+" by SMS.")
}

// reassignQuestion is POST /admin/questions/:id/reassign: the mentor named
// in the form (a picker) may answer it and gets it by SMS.
func (h *Console) reassignQuestion(c *gin.Context) {
	t, ok := h.questionParam(c)
	if !ok {
		return
	}
	id := t.ID
	mentor, ok := h.pick(c, mentorPicker)
	if !ok {
		return
	}
	err := h.Mentoring.ReassignQuestion(c.Request.Context(), scopeOf(c), userOf(c).ID, id, mentor)
	h.helpdeskDone(c, store.Question{}, id, err, fmt.Sprintf("Q%d was sent to the mentor by SMS; she may answer it now.", id))
}

// closeQuestion is POST /admin/questions/:id/close.
func (h *Console) closeQuestion(c *gin.Context) {
	t, ok := h.questionParam(c)
	if !ok {
		return
	}
	id := t.ID
	err := h.db.CloseQuestion(c.Request.Context(), scopeOf(c), userOf(c).ID, id)
	h.helpdeskDone(c, store.Question{}, id, err, fmt.Sprintf("Q%d is closed: no mentor will be asked to answer it.", id))
}

// helpdeskDone answers a helpdesk action on question id, or a read of it
// (err then the path's): the question as it now stands, or the error table's answer (409 when it was answered or
// closed before, 422 for a refused value, 404 outside the scope).
func (a *API) helpdeskDone(c *gin.Context, id int64, err error) {
	if err != nil {
		a.fail(c, err)
		return
	}
	q, err := a.db.QuestionThread(c.Request.Context(), scopeOf(c), id)
	if err != nil {
		a.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, threadJSON(q))
}

// questionInScope returns the :id of the path when it is a question inside
// the scope, so that another sub-county's question is 404 whatever the body;
// otherwise it answers 404 itself.
func (a *API) questionInScope(c *gin.Context) (int64, bool) {
	id, err := pathID(c)
	if err == nil {
		_, err = a.db.QuestionThread(c.Request.Context(), scopeOf(c), id)
	}
	if err != nil {
		a.fail(c, err)
		return 0, false
	}
	return id, true
}

// answerQuestion is POST /api/v1/questions/:id/answer {"answer": "…"}.
func (a *API) answerQuestion(c *gin.Context) {
	id, ok := a.questionInScope(c)
	if !ok {
		return
	}
	var body struct {
		Answer string `json:"answer"`
	}
	if !a.decode(c, &body) {
		return
	}
	answer, refusal := readAnswer(body.Answer)
	if refusal != "" {
		abort(c, http.StatusUnprocessableEntity, apiError{Code: "invalid", Message: refusal, Fields: map[string]string{"answer": refusal}})
		return
	}
	_, err := a.Mentoring.AnswerAsStaff(c.Request.Context(), scopeOf(c), userOf(c).ID, id, answer)
	a.helpdeskDone(c, id, err)
}

// reassignQuestion is POST /api/v1/questions/:id/reassign {"mentor_id": n}.
func (a *API) reassignQuestion(c *gin.Context) {
	id, ok := a.questionInScope(c)
	if !ok {
		return
	}
	var body struct {
		MentorID int64 `json:"mentor_id"`
	}
	if !a.decode(c, &body) {
		return
	}
	err := a.Mentoring.ReassignQuestion(c.Request.Context(), scopeOf(c), userOf(c).ID, id, body.MentorID)
	a.helpdeskDone(c, id, err)
}

// closeQuestion is POST /api/v1/questions/:id/close.
func (a *API) closeQuestion(c *gin.Context) {
	id, ok := a.questionInScope(c)
	if !ok {
		return
	}
	a.helpdeskDone(c, id, a.db.CloseQuestion(c.Request.Context(), scopeOf(c), userOf(c).ID, id))
}
