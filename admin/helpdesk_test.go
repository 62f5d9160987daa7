package admin

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// sms returns the SMS queued to the number, in order.
func (h *harness) sms(phone string) []string {
	h.t.Helper()
	var bodies []string
	for _, o := range storetest.Outbox(h.t, h.db) {
		if o.Phone == phone {
			bodies = append(bodies, o.Body)
		}
	}
	return bodies
}

// ask stores a question of the worker as if she sent it by SMS.
func (h *harness) ask(worker int64, text string) int64 {
	h.t.Helper()
	a, err := testMentoring(h.db).AskQuestion(context.Background(), worker, text, "sms")
	if err != nil {
		h.t.Fatal(err)
	}
	return a.ID
}

// TestHelpdeskAnswerReachesTheNurse: a supervisor sees the questions waiting
// in her sub-county with the nurse's number, answers one from the helpdesk
// and the nurse gets it by SMS, once, however often the form is posted.
func TestHelpdeskAnswerReachesTheNurse(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		p := peopleFixture(h)
		q := h.ask(p.myOther, "Can I give BCG and OPV0 together?")
		b, csrf := h.loggedIn("wanjiru")
		page := b.get("/admin/questions").Body.String()
		for _, want := range []string{`aria-current="page">Helpdesk</a>`, "Can I give BCG and OPV0 together?", "254711000012", "Baraka", "open"} {
			if !strings.Contains(page, want) {
				t.Errorf("helpdesk lacks %q:\n%s", want, page)
			}
		}
		path := fmt.Sprintf("/admin/questions/%d", q)
		answer := form("csrf", csrf, "answer", "  Yes, both at birth.  ")
		for i := range 2 {
			if rec := b.post(path+"/answer", answer); rec.Code != http.StatusSeeOther {
				t.Fatalf("answer #%d = %d, want 303: %s", i+1, rec.Code, rec.Body)
			}
		}
		want := []string{fmt.Sprintf("Chanjo: wanjiru answered your question Q%d: Yes, both at birth.", q)}
		if diff := cmp.Diff(want, h.sms("+254711000012")); diff != "" {
			t.Errorf("SMS to Baraka after two posts (-want +got):\n%s", diff)
		}
		if page := b.get(path).Body.String(); !strings.Contains(page, "already answered by wanjiru") || strings.Contains(page, "/answer") {
			t.Errorf("question page after the second post: want the flash and no answer form:\n%s", page)
		}
		if got := h.audits("question.answer"); got != 1 {
			t.Errorf("audit rows question.answer = %d, want 1", got)
		}
		if page := b.get("/admin/questions").Body.String(); strings.Contains(page, "OPV0") {
			t.Errorf("the answered question is still among those waiting:\n%s", page)
		}
		if rec := b.post(path+"/answer", form("csrf", csrf, "answer", " ")); rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("empty answer = %d, want 422", rec.Code)
		}
	})
}

// TestHelpdeskHandsOnAndCloses: a question goes to another mentor, who gets
// it by SMS; another is closed and leaves the waiting list.
func TestHelpdeskHandsOnAndCloses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		p := peopleFixture(h)
		grace := h.worker("Grace", "+254711000014", "Kibra", store.StatusActive)
		storetest.Mentors(t, db, grace)
		q1, q2 := h.ask(p.myNurse, "Where is the MOH 710?"), h.ask(p.myNurse, "Is the fridge too cold?")
		b, csrf := h.loggedIn("wanjiru")
		rec := b.post(fmt.Sprintf("/admin/questions/%d/reassign", q1), form("csrf", csrf, "mentor", "grace"))
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("reassign = %d, want 303: %s", rec.Code, rec.Body)
		}
		if got := h.sms("+254711000014"); len(got) != 1 || !strings.HasPrefix(got[0], fmt.Sprintf("Q%d from Achieng", q1)) ||
			!strings.Contains(got[0], "Where is the MOH 710?") {
			t.Errorf("SMS to Grace = %q, want Q%d from Achieng with her question", got, q1)
		}
		inbox, err := db.MentorInbox(t.Context(), grace, 5)
		if err != nil || len(inbox) != 1 || inbox[0].ID != q1 {
			t.Errorf("Grace's inbox = %+v, %v, want Q%d", inbox, err, q1)
		}
		if rec := b.post(fmt.Sprintf("/admin/questions/%d/reassign", q1), form("csrf", csrf, "mentor", "Baraka")); rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("reassign to a nurse = %d, want 422", rec.Code)
		}
		if rec := b.post(fmt.Sprintf("/admin/questions/%d/close", q2), form("csrf", csrf)); rec.Code != http.StatusSeeOther {
			t.Fatalf("close = %d, want 303: %s", rec.Code, rec.Body)
		}
		waiting := b.get("/admin/questions").Body.String()
		closed := b.get("/admin/questions?state=closed").Body.String()
		if strings.Contains(waiting, "fridge") || !strings.Contains(closed, "fridge") || !strings.Contains(waiting, "handed to Grace") {
			t.Errorf("waiting list:\n%s\nclosed list:\n%s\nwant the closed question only in the second, Q%d handed to Grace", waiting, closed, q1)
		}
		if rec := b.get("/admin/questions?state=lost"); rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("unknown state = %d, want 422", rec.Code)
		}
		csv := b.get("/admin/questions.csv?state=closed").Body.String()
		if rows := readCSV(t, csv); len(rows) != 2 || rows[1][12] != "closed" {
			t.Errorf("questions.csv?state=closed = %v, want the one closed question", rows)
		}
	})
}

// TestHelpdeskScoped: another sub-county's question is 404 on every
// helpdesk route of the console and the API, and nothing changes.
func TestHelpdeskScoped(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		p := peopleFixture(h)
		theirs := h.ask(p.theirNurse, "Who checks the cold box?")
		mine := h.ask(p.myOther, "When is the next visit?")
		b, csrf := h.loggedIn("wanjiru")
		token := h.token(h.userByName("wanjiru"))
		before, chebet := h.snapshot(), len(h.sms("+254711000021")) // her visit's notice
		path := fmt.Sprintf("/admin/questions/%d", theirs)
		if rec := b.get(path); rec.Code != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, rec.Code)
		}
		for _, r := range []struct{ path, field, value string }{
			{"/answer", "answer", "Me."}, {"/reassign", "mentor_id", id(p.myMentor)}, {"/close", "", ""},
		} {
			if rec := b.post(path+r.path, form("csrf", csrf, r.field, r.value)); rec.Code != http.StatusNotFound {
				t.Errorf("POST %s%s = %d, want 404", path, r.path, rec.Code)
			}
			api := fmt.Sprintf("/api/v1/questions/%d%s", theirs, r.path)
			body := "{}"
			if r.field == "answer" {
				body = `{"answer": "Me."}`
			}
			if rec := h.api("POST", api, token, body); rec.Code != http.StatusNotFound {
				t.Errorf("POST %s = %d, want 404: %s", api, rec.Code, rec.Body)
			}
		}
		if diff := cmp.Diff(before, h.snapshot()); diff != "" {
			t.Errorf("refused helpdesk requests changed (-before +after):\n%s", diff)
		}
		if n := len(h.sms("+254711000021")) - chebet; n != 0 {
			t.Errorf("SMS to Chebet = %d, want 0", n)
		}

		// The API answers once; a second answer is 409 and sends nothing.
		api := fmt.Sprintf("/api/v1/questions/%d/answer", mine)
		rec := h.api("POST", api, token, `{"answer": "Thursday."}`)
		var got questionJSON
		if err := json.Unmarshal(rec.Body.Bytes(), &got); rec.Code != http.StatusOK || err != nil || got.State != "answered" || got.AnsweredBy != "wanjiru" {
			t.Errorf("POST %s = %d %s, want 200 answered by wanjiru", api, rec.Code, rec.Body)
		}
		if rec := h.api("POST", api, token, `{"answer": "Friday."}`); rec.Code != http.StatusConflict {
			t.Errorf("second API answer = %d, want 409", rec.Code)
		}
		if n := len(h.sms("+254711000012")); n != 1 {
			t.Errorf("SMS to Baraka = %d, want 1", n)
		}
		if rec := h.api("GET", "/api/v1/questions?state=waiting", token, ""); rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), "Thursday") {
			t.Errorf("GET questions?state=waiting = %d %s, want the answered one left out", rec.Code, rec.Body)
		}
		if rec := h.api("GET", "/api/v1/questions?state=lost", token, ""); rec.Code != http.StatusUnprocessableEntity {
			t.Errorf("GET questions?state=lost = %d, want 422", rec.Code)
		}
	})
}
