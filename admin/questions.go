package admin

import (
	"database/sql"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/store"
)

// Question list sizes: the page shows the first questionsPage (the
// unanswered come first), the CSV file up to questionsExport.
const (
	questionsPage   = 200
	questionsExport = 10000
)

// questionsData is the questions page's data.
type questionsData struct {
	Rows   []store.QuestionThread
	State  string // the filter: waiting, open, passed_on, answered, closed or all
	States []struct{ Value, Label string }
	CSV    string
}

// questionFilter reads ?state= (def when absent); an unknown one is
// answered 422 here.
func (h *Console) questionFilter(c *gin.Context, def string) (string, []store.QuestionState, bool) {
	state := c.DefaultQuery("state", def)
	states, ok := questionStates(state)
	if !ok {
		h.errorPage(c, http.StatusUnprocessableEntity, "Choose which questions to show: waiting, open, passed_on, answered, closed or all.")
	}
	return state, states, ok
}

// questions is /admin/questions, the helpdesk: the ask-a-mentor questions
// of the user's sub-counties in the chosen state (waiting for an answer
// unless asked otherwise), the longest waiting at the top.
func (h *Console) questions(c *gin.Context) {
	state, states, ok := h.questionFilter(c, "waiting")
	if !ok {
		return
	}
	rows, err := h.db.QuestionThreads(c.Request.Context(), scopeOf(c), questionsPage, states...)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, http.StatusOK, "questions", questionsData{Rows: rows, State: state, States: questionStateNames,
		CSV: "/admin/questions.csv?state=" + state})
}

// questionData is a question page's data: the thread, and whether the
// helpdesk's forms apply (it still waits for an answer).
type questionData struct {
	Q       store.QuestionThread
	Waiting bool
}

// question is /admin/questions/:id: one thread with the forms to answer,
// hand on or close it; 404 outside the scope.
func (h *Console) question(c *gin.Context) {
	if q, ok := h.questionParam(c); ok {
		h.render(c, http.StatusOK, "question", questionData{Q: q, Waiting: q.Waiting()})
	}
}

// questionParam loads the :id question inside the scope, answering 404
// itself when there is none.
func (h *Console) questionParam(c *gin.Context) (store.QuestionThread, bool) {
	id, err := pathID(c)
	if err != nil {
		h.fail(c, err)
		return store.QuestionThread{}, false
	}
	q, err := h.db.QuestionThread(c.Request.Context(), scopeOf(c), id)
	if err != nil {
		h.fail(c, err)
		return store.QuestionThread{}, false
	}
	return q, true
}

// questionsCSV is /admin/questions.csv?state=: the threads of the page's
// filter (every state without one) as a table.
func (h *Console) questionsCSV(c *gin.Context) {
	_, states, ok := h.questionFilter(c, "all")
	if !ok {
		return
	}
	rows, err := h.db.QuestionThreads(c.Request.Context(), scopeOf(c), questionsExport, states...)
	if err != nil {
		h.fail(c, err)
		return
	}
	w := startCSV(c, "questions.csv")
	w.Write([]string{"id", "asked_at", "nurse", "phone", "facility", "sub_county", "source", "question",
		"answer", "answered_by", "answered_at", "escalated_at", "state", "mentor", "handed_to", "closed_at"})
	for _, q := range rows {
		w.Write([]string{strconv.FormatInt(q.ID, 10), utcCell(sql.NullTime{Time: q.AskedAt, Valid: true}), cell(q.Nurse), q.Phone, cell(q.Facility), cell(q.SubCounty),
			q.Source, cell(q.Body), cell(q.Answer), cell(q.Answerer), utcCell(q.AnsweredAt), utcCell(q.EscalatedAt),
			string(q.State()), cell(q.Mentor), cell(q.AssignedTo), utcCell(q.ClosedAt)})
	}
	h.endCSV(w, "questions.csv")
}
