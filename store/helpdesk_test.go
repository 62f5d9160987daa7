package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// helpdeskUser adds a supervisor of subCounty with phone ("" for none).
func helpdeskUser(t *testing.T, db *store.DB, name, phone, subCounty string) store.User {
	t.Helper()
	u, err := db.CreateUser(context.Background(), store.NewUser{Name: name, Role: store.RoleSupervisor, PasswordHash: "x",
		Phone: phone, SubCounties: []string{subCounty}})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// A question no mentor can answer, and one unanswered past the escalation,
// reach the supervisors of the nurse's sub-county who registered a phone:
// once each, however the question came to them.
func TestQuestionsAlertTheSupervisor(t *testing.T) {
	const supPhone, otherPhone = "+254722900001", "+254722900002"
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ids := questionRoster(t, db)
		ctx := context.Background()
		helpdeskUser(t, db, "yatta-sup", supPhone, "Yatta")
		helpdeskUser(t, db, "yatta-nophone", "", "Yatta")
		helpdeskUser(t, db, "kibra-sup", otherPhone, "Kibra")

		m := mentors(db)
		eve, err := m.AskQuestion(ctx, ids[qEve], "Who do I ask?", "sms")
		if err != nil || eve.To != store.AskedSupervisor {
			t.Fatalf("AskQuestion(Eve) = %+v, %v, want to the supervisor", eve, err)
		}
		want := []string{supPhone + ": Chanjo helpdesk: Q1 from Eve (Kithimani), who has no mentor to answer it: Who do I ask? " +
			"(reply A1 <answer>, or answer it in the console)"}
		if diff := cmp.Diff(want, outbox(t, db)); diff != "" {
			t.Fatalf("outbox after Eve's question (-want +got):\n%s", diff)
		}
		jane, err := m.AskQuestion(ctx, ids[qJane], "Is BCG good after 6 h?", "sms")
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []int64{eve.ID, jane.ID} {
			if _, _, err := m.EscalateQuestion(ctx, id); err != nil {
				t.Fatal(err)
			}
		}
		want = append(want, qMary+": Q2 from Jane Mutua (Kithimani): Is BCG good after 6 h?, reply A2 <answer>",
			supPhone+": Chanjo helpdesk: Q2 from Jane Mutua (Kithimani), unanswered for a day: Is BCG good after 6 h? "+
				"(reply A2 <answer>, or answer it in the console)",
			qRose+": Swali Q2 kutoka kwa Jane Mutua (Kithimani), halijajibiwa kwa siku moja: Is BCG good after 6 h?. Jibu: A2 <jibu>")
		if diff := cmp.Diff(want, outbox(t, db)); diff != "" {
			t.Errorf("outbox after escalation (-want +got):\n%s", diff)
		}
	})
}

// The helpdesk answers, hands on and closes questions inside the scope only;
// an answer reaches the nurse once, whoever answers and however often.
func TestHelpdeskAnswerReassignClose(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ids := questionRoster(t, db)
		ctx := context.Background()
		sup := helpdeskUser(t, db, "yatta-sup", "", "Yatta")
		yatta, kibra := store.Scope{SubCounties: []string{"Yatta"}}, store.Scope{SubCounties: []string{"Kibra"}}
		m := mentors(db)
		ask := func(who, text string) int64 {
			t.Helper()
			a, err := m.AskQuestion(ctx, ids[who], text, "sms")
			if err != nil {
				t.Fatal(err)
			}
			return a.ID
		}
		q1, q2, q3 := ask(qJane, "First?"), ask(qJane, "Second?"), ask(qEve, "Third?")
		before := len(outbox(t, db))

		if _, err := m.AnswerAsStaff(ctx, kibra, sup.ID, q1, "No."); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("AnswerAsStaff(outside the scope) error = %v, want ErrNotFound", err)
		}
		for i := range 2 {
			q, err := m.AnswerAsStaff(ctx, yatta, sup.ID, q1, "Yes, within 6 hours.")
			if i == 1 && !errors.Is(err, store.ErrAlreadyAnswered) {
				t.Errorf("AnswerAsStaff twice: error = %v, want ErrAlreadyAnswered", err)
			}
			if i == 0 && (err != nil || q.Answerer != "yatta-sup" || q.State() != store.QuestionAnswered) {
				t.Errorf("AnswerAsStaff = %+v, %v, want answered by yatta-sup", q, err)
			}
		}
		if _, err := m.AnswerQuestion(ctx, q1, ids[qMary], "Late answer"); !errors.Is(err, store.ErrAlreadyAnswered) {
			t.Errorf("mentor's answer after the helpdesk's: error = %v, want ErrAlreadyAnswered", err)
		}

		// Olive mentors another group: handed Q3, she may answer it.
		if err := m.ReassignQuestion(ctx, yatta, sup.ID, q3, ids[qJane]); err == nil {
			t.Errorf("ReassignQuestion(to a nurse) = nil, want a refusal")
		}
		if err := m.ReassignQuestion(ctx, yatta, sup.ID, q3, ids[qOlive]); err != nil {
			t.Fatal(err)
		}
		inbox, err := db.MentorInbox(ctx, ids[qOlive], 10)
		if err != nil || len(inbox) != 1 || inbox[0].ID != q3 {
			t.Errorf("Olive's inbox = %+v, %v, want Q%d", inbox, err, q3)
		}
		if _, err := m.AnswerQuestion(ctx, q3, ids[qOlive], "Ask the facility in-charge."); err != nil {
			t.Errorf("Olive answers the question handed to her: %v", err)
		}

		if err := db.CloseQuestion(ctx, kibra, sup.ID, q2); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("CloseQuestion(outside the scope) = %v, want ErrNotFound", err)
		}
		for range 2 {
			if err := db.CloseQuestion(ctx, yatta, sup.ID, q2); err != nil {
				t.Errorf("CloseQuestion = %v", err)
			}
		}
		if _, err := m.AnswerAsStaff(ctx, yatta, sup.ID, q2, "Too late"); !errors.Is(err, store.ErrQuestionClosed) {
			t.Errorf("AnswerAsStaff(closed) error = %v, want ErrQuestionClosed", err)
		}
		if _, err := m.AnswerQuestion(ctx, q2, ids[qMary], "Too late"); !errors.Is(err, store.ErrQuestionClosed) {
			t.Errorf("mentor's answer to a closed question: error = %v, want ErrQuestionClosed", err)
		}
		if _, err := m.PassQuestion(ctx, q2, ids[qMary]); !errors.Is(err, store.ErrQuestionClosed) {
			t.Errorf("mentor passes on a closed question: error = %v, want ErrQuestionClosed", err)
		}
		if inbox, _ := db.MentorInbox(ctx, ids[qMary], 10); len(inbox) != 0 {
			t.Errorf("Mary's inbox after the helpdesk = %+v, want empty", inbox)
		}

		want := []string{
			qJane + ": Chanjo: yatta-sup answered your question Q1: Yes, within 6 hours.",
			qOlive + ": Q3 from Eve (Kithimani): Third?, reply A3 <answer>",
			qEve + ": Chanjo: Olive answered your question Q3: Ask the facility in-charge.",
		}
		if diff := cmp.Diff(want, outbox(t, db)[before:]); diff != "" {
			t.Errorf("SMS from the helpdesk (-want +got):\n%s", diff)
		}
		waiting, err := db.QuestionThreads(ctx, yatta, 10, store.QuestionOpen, store.QuestionPassedOn)
		if err != nil || len(waiting) != 0 {
			t.Errorf("waiting questions = %+v, %v, want none", waiting, err)
		}
		closed, err := db.QuestionThreads(ctx, yatta, 10, store.QuestionClosed)
		if err != nil || len(closed) != 1 || closed[0].ID != q2 || closed[0].Mentor != "Mary" {
			t.Errorf("closed questions = %+v, %v, want Q%d with mentor Mary", closed, err, q2)
		}
	})
}
