package admin

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// reminder is a scheduled reminder of a visit.
type reminder struct {
	Worker int64
	Anchor string
	Due    time.Time
}

func (h *harness) visitReminders(visit int64) []reminder {
	h.t.Helper()
	rs := []reminder{}
	for _, r := range storetest.VisitReminders(h.t, h.db, visit) {
		rs = append(rs, reminder(r))
	}
	return rs
}

// TestVisitFormsMoveReminders: scheduling, moving and cancelling a visit in
// the console schedules, moves and removes its reminders.
func TestVisitFormsMoveReminders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		p := peopleFixture(h)
		b, csrf := h.loggedIn("wanjiru")
		rec := b.post("/admin/visits", form("csrf", csrf, "mentor_id", id(p.myMentor), "mentee_id", id(p.myOther), "date", "2025-03-12", "time", "10:00"))
		loc := rec.Header().Get("Location")
		var v int64
		if _, err := fmt.Sscanf(loc, "/admin/visits/%d", &v); rec.Code != http.StatusSeeOther || err != nil {
			t.Fatalf("schedule = %d to %q, want 303 to the visit: %s", rec.Code, loc, rec.Body)
		}
		// The day before at 08:00 in Nairobi is 05:00 UTC.
		want := []reminder{{p.myMentor, fmt.Sprintf("visit:%d:2025-03-12", v), time.Date(2025, 3, 11, 5, 0, 0, 0, time.UTC)},
			{p.myOther, fmt.Sprintf("visit:%d:2025-03-12", v), time.Date(2025, 3, 11, 5, 0, 0, 0, time.UTC)}}
		if diff := cmp.Diff(want, h.visitReminders(v)); diff != "" {
			t.Errorf("reminders after scheduling (-want +got):\n%s", diff)
		}
		if rec := b.post(loc+"/reschedule", form("csrf", csrf, "date", "2025-03-15", "time", "09:30")); rec.Code != http.StatusSeeOther {
			t.Fatalf("reschedule = %d, want 303: %s", rec.Code, rec.Body)
		}
		for i := range want {
			want[i].Anchor, want[i].Due = fmt.Sprintf("visit:%d:2025-03-15", v), time.Date(2025, 3, 14, 5, 0, 0, 0, time.UTC)
		}
		if diff := cmp.Diff(want, h.visitReminders(v)); diff != "" {
			t.Errorf("reminders after moving (-want +got):\n%s", diff)
		}
		if page := b.get(loc).Body.String(); !strings.Contains(page, "15 Mar 2025 09:30") {
			t.Errorf("visit page lacks the new time 15 Mar 2025 09:30:\n%s", page)
		}
		refused := []struct{ date, time string }{{"2025-03-09", "09:00"}, {"Friday", "09:00"}, {"2025-03-16", "9 am"}}
		for _, r := range refused {
			if rec := b.post(loc+"/reschedule", form("csrf", csrf, "date", r.date, "time", r.time)); rec.Code != http.StatusUnprocessableEntity {
				t.Errorf("reschedule to %q %q = %d, want 422", r.date, r.time, rec.Code)
			}
		}
		if rec := b.post(loc+"/cancel", form("csrf", csrf)); rec.Code != http.StatusSeeOther {
			t.Fatalf("cancel = %d, want 303: %s", rec.Code, rec.Body)
		}
		if rs := h.visitReminders(v); len(rs) != 0 {
			t.Errorf("reminders after cancelling = %v, want none", rs)
		}
		if rec := b.post(loc+"/reschedule", form("csrf", csrf, "date", "2025-03-16", "time", "09:00")); rec.Code != http.StatusConflict {
			t.Errorf("reschedule a cancelled visit = %d, want 409", rec.Code)
		}
		for action, n := range map[string]int{"visit.schedule": 1, "visit.reschedule": 1, "visit.cancel": 1} {
			if got := h.audits(action); got != n {
				t.Errorf("audit rows %s = %d, want %d", action, got, n)
			}
		}
	})
}

// TestVisitPageChecklist: a visit's page and the API show the pack's
// checklist text with the mentor's answers.
func TestVisitPageChecklist(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		p := peopleFixture(h)
		answers := map[string]string{"chk-tally": store.AnswerPartly, "chk-old": store.AnswerDone}
		if err := db.SaveChecklist(t.Context(), p.myVisit, answers); err != nil {
			t.Fatal(err)
		}
		b, _ := h.loggedIn("wanjiru")
		page := b.get("/admin/visits/" + id(p.myVisit)).Body.String()
		for _, want := range []string{
			"<td data-label=\"Item\">Tally sheet matches the register</td>\n<td data-label=\"Result\">partly</td>",
			"<td data-label=\"Item\">Stock ledger matches a count</td>\n<td data-label=\"Result\">not answered</td>",
			"<td data-label=\"Item\">chk-old</td>\n<td data-label=\"Result\">done</td>",
		} {
			if !strings.Contains(page, want) {
				t.Errorf("visit page lacks %q:\n%s", want, page)
			}
		}
		rec := h.api("GET", "/api/v1/visits/"+id(p.myVisit), h.token(h.userByName("wanjiru")), "")
		var got visitJSON
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || rec.Code != http.StatusOK {
			t.Fatalf("GET visit = %d %s", rec.Code, rec.Body)
		}
		want := []itemJSON{
			{"chk-tally", "recording", "Tally sheet matches the register", "Alama zinalingana na rejista", "partly"},
			{"chk-ledger", "stock", "Stock ledger matches a count", "Daftari linalingana na hesabu", ""},
			{"chk-old", "", "", "", "done"},
		}
		if diff := cmp.Diff(want, got.Checklist); diff != "" {
			t.Errorf("API checklist (-want +got):\n%s", diff)
		}
	})
}

var visitLinkRE = regexp.MustCompile(`href="/admin/visits/(\d+)"`)

// TestVisitsCSVMatchesPage: the export holds the visits the page lists.
func TestVisitsCSVMatchesPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		p := peopleFixture(h)
		done := h.visit(p.myMentor, p.myOther, h.now)
		if _, err := testMentoring(db).MarkVisitDone(t.Context(), done, h.now); err != nil {
			t.Fatal(err)
		}
		h.visit(p.myMentor, p.myOther, h.now.Add(24*time.Hour))
		b, _ := h.loggedIn("wanjiru")
		page := b.get("/admin/visits").Body.String()
		var onPage, inCSV []string
		for _, m := range visitLinkRE.FindAllStringSubmatch(page, -1) {
			onPage = append(onPage, m[1])
		}
		for _, r := range readCSV(t, b.get("/admin/visits.csv").Body.String())[1:] {
			inCSV = append(inCSV, r[0])
			if !strings.Contains(page, r[5]) || !strings.Contains(page, r[7]) {
				t.Errorf("visits.csv row %v: the page lacks %s or %s", r, r[5], r[7])
			}
		}
		if diff := cmp.Diff(onPage, inCSV); diff != "" || len(onPage) != 3 {
			t.Errorf("visits on the page vs visits.csv (-page +csv), want 3:\n%s", diff)
		}
		if !strings.Contains(page, "Tue 11 Mar 2025") || !strings.Contains(page, "Wed 12 Mar 2025") {
			t.Errorf("calendar lacks the days of the visits:\n%s", page)
		}
	})
}

// TestAPIVisits: schedule, list, move and cancel through the API, with the
// reminders following.
func TestAPIVisits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		p := peopleFixture(h)
		token := h.token(h.userByName("wanjiru"))
		body := fmt.Sprintf(`{"mentor_id": %d, "mentee_id": %d, "at": "2025-03-13T09:00:00+03:00"}`, p.myMentor, p.myOther)
		rec := h.api("POST", "/api/v1/visits", token, body)
		var v visitJSON
		if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil || rec.Code != http.StatusCreated || v.Status != store.VisitScheduled {
			t.Fatalf("POST /api/v1/visits = %d %s, want 201 scheduled", rec.Code, rec.Body)
		}
		if rs := h.visitReminders(v.ID); len(rs) != 2 || !rs[0].Due.Equal(time.Date(2025, 3, 12, 5, 0, 0, 0, time.UTC)) {
			t.Errorf("reminders after POST = %v, want 2 on 12 March 05:00 UTC", rs)
		}
		tests := []struct {
			name, method, path, body string
			status                   int
			want                     string
		}{
			{"list a day", "GET", "/api/v1/visits?from=2025-03-13&to=2025-03-13", "", http.StatusOK, fmt.Sprintf(`"id":%d`, v.ID)},
			{"list by mentor", "GET", "/api/v1/visits?mentor_id=" + id(p.myMentor), "", http.StatusOK, fmt.Sprintf(`"id":%d`, p.myVisit)},
			{"bad from", "GET", "/api/v1/visits?from=soon", "", http.StatusUnprocessableEntity, `"from"`},
			{"past", "POST", "/api/v1/visits", strings.Replace(body, "2025-03-13", "2025-03-01", 1), http.StatusUnprocessableEntity, "in the past"},
			{"a nurse is no mentor", "POST", "/api/v1/visits", strings.Replace(body, id(p.myMentor), id(p.myNurse), 1), http.StatusUnprocessableEntity, "not a mentor"},
			{"move", "PATCH", "/api/v1/visits/" + id(v.ID), `{"at": "2025-03-20T09:00:00+03:00"}`, http.StatusOK, `"at":"2025-03-20T06:00:00Z"`},
			{"both", "PATCH", "/api/v1/visits/" + id(v.ID), `{"at": "2025-03-20T09:00:00+03:00", "status": "cancelled"}`, http.StatusUnprocessableEntity, "either"},
			{"done is not for the API", "PATCH", "/api/v1/visits/" + id(v.ID), `{"status": "done"}`, http.StatusUnprocessableEntity, "cancelled"},
		}
		for _, tt := range tests {
			rec := h.api(tt.method, tt.path, token, tt.body)
			if rec.Code != tt.status || !strings.Contains(rec.Body.String(), tt.want) {
				t.Errorf("%s: %s %s = %d %s, want %d with %s", tt.name, tt.method, tt.path, rec.Code, rec.Body, tt.status, tt.want)
			}
		}
		if rs := h.visitReminders(v.ID); len(rs) != 2 || !rs[0].Due.Equal(time.Date(2025, 3, 19, 5, 0, 0, 0, time.UTC)) {
			t.Errorf("reminders after PATCH at = %v, want 2 on 19 March 05:00 UTC", rs)
		}
		if rec := h.api("PATCH", "/api/v1/visits/"+id(v.ID), token, `{"status": "cancelled"}`); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"status":"cancelled"`) {
			t.Errorf("PATCH cancel = %d %s, want 200 cancelled", rec.Code, rec.Body)
		}
		if rs := h.visitReminders(v.ID); len(rs) != 0 {
			t.Errorf("reminders after cancelling = %v, want none", rs)
		}
		if rec := h.api("PATCH", "/api/v1/visits/"+id(v.ID), token, `{"at": "2025-03-21T09:00:00+03:00"}`); rec.Code != http.StatusConflict {
			t.Errorf("PATCH a cancelled visit = %d %s, want 409", rec.Code, rec.Body)
		}
	})
}
