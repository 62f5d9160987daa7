package sms_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// TestSupervisorAnswersBySMS: a question no mentor can answer reaches the
// supervisor of the nurse's sub-county by SMS; her "A<n> …" reaches the
// nurse once; a second answer and another sub-county's question are refused.
func TestSupervisorAnswersBySMS(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		c := newSupervisorRig(t, db)
		const kibraNurse, embakasiNurse = "+254711000101", "+254711000201"
		steps := []struct {
			from, text string
			to, reply  string // who gets the newest reply, and a phrase of it
		}{
			{kibraNurse, "Can BCG and OPV0 be given together?", kibraNurse, "your supervisor will see it"},
			{supervisorPhone, "A1 Yes, both at birth.", supervisorPhone, "Your answer to Q1 was sent to Nurse."},
			{supervisorPhone, "A1 Actually wait.", supervisorPhone, "Q1 was already answered by wanjiru, so yours was not sent."},
			{embakasiNurse, "Who has the cold box key?", embakasiNurse, "your supervisor will see it"},
			{supervisorPhone, "A2 The in-charge.", supervisorPhone, "there is no question Q2 in your sub-counties"},
			{supervisorPhone, "A1", supervisorPhone, "write your answer after A1"},
		}
		for i, s := range steps {
			if code, body := c.post("/sms/inbound", incoming("ans-"+string(rune('a'+i)), s.from, s.text)); code != http.StatusOK {
				t.Fatalf("POST /sms/inbound %q = %d %q, want 200", s.text, code, body)
			}
			if got := c.lastReply(t, s.to); !strings.Contains(got, s.reply) {
				t.Errorf("after %q: reply to %s = %q, want it to contain %q", s.text, s.to, got, s.reply)
			}
		}
		alerts := storetest.Queued(t, db, supervisorPhone, store.KindNudge)
		wantAlert := []string{"Chanjo helpdesk: Q1 from Nurse (Kibra), who has no mentor to answer it: Can BCG and OPV0 be given together? (reply A1 <answer>, or answer it in the console)"}
		if diff := cmp.Diff(wantAlert, alerts); diff != "" {
			t.Errorf("the supervisor's alert (-want +got):\n%s", diff)
		}
		var answers []string
		for _, r := range c.replies(t, kibraNurse) {
			if strings.Contains(r, "answered your question") {
				answers = append(answers, r)
			}
		}
		want := []string{"Chanjo: wanjiru answered your question Q1: Yes, both at birth."}
		if diff := cmp.Diff(want, answers); diff != "" {
			t.Errorf("answers the Kibra nurse got (-want +got):\n%s", diff)
		}
		for _, r := range c.replies(t, embakasiNurse) {
			if strings.Contains(r, "in-charge") {
				t.Errorf("the Embakasi nurse got Kibra's supervisor's answer: %q", r)
			}
		}
		if n := len(storetest.Questions(t, c.db)); n != 2 {
			t.Errorf("questions = %d, want 2 (the supervisor's answers are no questions)", n)
		}
	})
}
