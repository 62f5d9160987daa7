package admin

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/store"
)

// questionJSON is an ask-a-mentor thread as the API shows it.
type questionJSON struct {
	ID          int64      `json:"id"`
	Question    string     `json:"question"`
	Source      string     `json:"source"`
	AskedAt     time.Time  `json:"asked_at"`
	Nurse       nurseJSON  `json:"nurse"`
	Answer      string     `json:"answer"`
	AnsweredBy  string     `json:"answered_by"`
	AnsweredAt  *time.Time `json:"answered_at"`
	EscalatedAt *time.Time `json:"escalated_at"`
	ClosedAt    *time.Time `json:"closed_at"`
	State       string     `json:"state"`
	Mentor      string     `json:"mentor"`
	HandedTo    string     `json:"handed_to"`
}

type nurseJSON struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Phone     string `json:"phone"`
	Facility  string `json:"facility"`
	SubCounty string `json:"sub_county"`
}

func timeOrNil(valid bool, t time.Time) *time.Time {
	if !valid {
		return nil
	}
	t = t.UTC()
	return &t
}

// listQuestions is GET /api/v1/questions?state=: the threads of the
// token's scope in the state (every state by default), those waiting for an
// answer first.
func (a *API) listQuestions(c *gin.Context) {
	states, ok := questionStates(c.DefaultQuery("state", "all"))
	if !ok {
		msg := "must be waiting, open, passed_on, answered, closed or all"
		abort(c, http.StatusUnprocessableEntity, apiError{Code: "invalid", Message: "state " + msg, Fields: map[string]string{"state": msg}})
		return
	}
	rows, err := a.db.QuestionThreads(c.Request.Context(), scopeOf(c), questionsPage, states...)
	if err != nil {
		a.fail(c, err)
		return
	}
	out := make([]questionJSON, len(rows))
	for i, q := range rows {
		out[i] = threadJSON(q)
	}
	c.JSON(http.StatusOK, gin.H{"questions": out})
}

// getQuestion is GET /api/v1/questions/:id, 404 outside the scope.
func (a *API) getQuestion(c *gin.Context) {
	id, err := pathID(c)
	a.helpdeskDone(c, id, err)
}

func threadJSON(q store.QuestionThread) questionJSON {
	return questionJSON{ID: q.ID, Question: q.Body, Source: q.Source, AskedAt: q.AskedAt,
		Nurse:  nurseJSON{ID: q.WorkerID, Name: q.Nurse, Phone: q.Phone, Facility: q.Facility, SubCounty: q.SubCounty},
		Answer: q.Answer, AnsweredBy: q.Answerer, AnsweredAt: timeOrNil(q.AnsweredAt.Valid, q.AnsweredAt.Time),
		EscalatedAt: timeOrNil(q.EscalatedAt.Valid, q.EscalatedAt.Time), ClosedAt: timeOrNil(q.ClosedAt.Valid, q.ClosedAt.Time),
		State: string(q.State()), Mentor: q.Mentor, HandedTo: q.AssignedTo}
}
