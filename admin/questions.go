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
	Rows       []store.QuestionThread
	Unanswered int
}

// questions is /admin/questions: the ask-a-mentor threads of the user's
// sub-counties, unanswered first.
func (h *Console) questions(c *gin.Context) {
	rows, err := h.db.QuestionThreads(c.Request.Context(), scopeOf(c), questionsPage)
	if err != nil {
		h.fail(c, err)
		return
	}
	d := questionsData{Rows: rows}
	for _, q := range rows {
		if !q.Answered() {
			d.Unanswered++
		}
	}
	h.render(c, http.StatusOK, "questions", d)
}

// question is /admin/questions/:id: one thread, 404 outside the scope.
func (h *Console) question(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	q, err := h.db.QuestionThread(c.Request.Context(), scopeOf(c), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, http.StatusOK, "question", q)
}

// questionsCSV is /admin/questions.csv: the threads as a table.
func (h *Console) questionsCSV(c *gin.Context) {
	rows, err := h.db.QuestionThreads(c.Request.Context(), scopeOf(c), questionsExport)
	if err != nil {
		h.fail(c, err)
		return
	}
	w := startCSV(c, "questions.csv")
	w.Write([]string{"id", "asked_at", "nurse", "phone", "facility", "sub_county", "source", "question",
		"answer", "answered_by", "answered_at", "escalated_at"})
	for _, q := range rows {
		w.Write([]string{strconv.FormatInt(q.ID, 10), utcCell(sql.NullTime{Time: q.AskedAt, Valid: true}), cell(q.Nurse), q.Phone, cell(q.Facility), cell(q.SubCounty),
			q.Source, cell(q.Body), cell(q.Answer), cell(q.Answerer), utcCell(q.AnsweredAt), utcCell(q.EscalatedAt)})
	}
	h.endCSV(w, "questions.csv")
}
