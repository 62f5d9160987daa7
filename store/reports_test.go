package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

var (
	kibraOnly = store.Scope{SubCounties: []string{"Kibra"}}
	everyone  = store.Scope{Admin: true}
)

// seedAttempt stores a nurse's attempt of form with answers per topic
// (right out of answered), finished or not.
func seedAttempt(t *testing.T, db *store.DB, worker int64, form string, finished bool, topics map[string][2]int) {
	t.Helper()
	ctx := context.Background()
	id, err := db.StartAttempt(ctx, worker, form, "", 1)
	if err != nil {
		t.Fatal(err)
	}
	score, total := 0, 0
	for topic, rn := range topics {
		for i := range rn[1] {
			qid := topic + "-q" + string(rune('a'+i))
			if err := db.RecordAnswer(ctx, id, qid, topic, 0, i < rn[0]); err != nil {
				t.Fatal(err)
			}
		}
		score, total = score+rn[0], total+rn[1]
	}
	if finished {
		if err := db.FinishAttempt(ctx, id, score, total); err != nil {
			t.Fatal(err)
		}
	}
}

func TestAssessmentScores(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		n1 := seedWorker(t, db, "Achieng", "+254711000001", "Kibra", store.StatusActive)
		n2 := seedWorker(t, db, "Baraka", "+254711000002", "Kibra", store.StatusActive)
		n3 := seedWorker(t, db, "Chebet", "+254711000003", "Kibra", store.StatusActive)
		e1 := seedWorker(t, db, "Dama", "+254711000004", "Embakasi", store.StatusActive)
		seedAttempt(t, db, n1, store.FormBaseline, true, map[string][2]int{"ipc": {1, 2}, "stock": {2, 2}})
		seedAttempt(t, db, n1, store.FormEndline, true, map[string][2]int{"ipc": {2, 2}})
		seedAttempt(t, db, n2, store.FormBaseline, true, map[string][2]int{"ipc": {2, 3}})
		seedAttempt(t, db, n3, store.FormMidline, false, map[string][2]int{"ipc": {1, 1}})
		seedAttempt(t, db, n3, store.FormPractice, true, map[string][2]int{"ipc": {1, 1}})
		seedAttempt(t, db, e1, store.FormBaseline, true, map[string][2]int{"ipc": {0, 2}})
		tests := []struct {
			name  string
			scope store.Scope
			want  []store.AssessmentScore
		}{
			// Baseline ipc: the mean of 50% and 66.7%, not the pooled 3/5.
			{"supervisor", kibraOnly, []store.AssessmentScore{
				{Form: "baseline", Topic: "ipc", Nurses: 2, Mean: 175.0 / 3},
				{Form: "endline", Topic: "ipc", Nurses: 1, Mean: 100},
				{Form: "baseline", Topic: "stock", Nurses: 1, Mean: 100},
			}},
			{"admin", everyone, []store.AssessmentScore{
				{Form: "baseline", Topic: "ipc", Nurses: 3, Mean: 350.0 / 9},
				{Form: "endline", Topic: "ipc", Nurses: 1, Mean: 100},
				{Form: "baseline", Topic: "stock", Nurses: 1, Mean: 100},
			}},
			{"no sub-county", store.Scope{}, []store.AssessmentScore{}},
		}
		for _, tt := range tests {
			got, err := db.AssessmentScores(ctx, tt.scope, store.ReportFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateApprox(0, 1e-9), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("AssessmentScores(%s) diff (-want +got):\n%s", tt.name, diff)
			}
		}
	})
}

func TestLessonCompletion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		n1 := seedWorker(t, db, "Achieng", "+254711000001", "Kibra", store.StatusActive)
		n2 := seedWorker(t, db, "Baraka", "+254711000002", "Kibra", store.StatusActive)
		pending := seedWorker(t, db, "Chebet", "+254711000003", "Kibra", store.StatusPending)
		mentor := seedWorker(t, db, "Dama", "+254711000004", "Kibra", store.StatusActive)
		e1 := seedWorker(t, db, "Esther", "+254711000005", "Embakasi", store.StatusActive)
		if _, err := db.Exec(db.Rebind(`UPDATE workers SET role = 'mentor' WHERE id = ?`), mentor); err != nil {
			t.Fatal(err)
		}
		done := func(w int64, lessons ...string) []store.PageMark {
			var ms []store.PageMark
			for _, l := range lessons {
				ms = append(ms, store.PageMark{WorkerID: w, Lesson: l, Page: 3, Done: true})
			}
			return ms
		}
		var marks []store.PageMark
		marks = append(marks, done(n1, "ipc-1", "ipc-2")...)
		marks = append(marks, store.PageMark{WorkerID: n1, Lesson: "stock-1", Page: 1})
		marks = append(marks, done(n2, "ipc-1")...)
		marks = append(marks, done(pending, "ipc-1", "ipc-2")...)
		marks = append(marks, done(mentor, "ipc-1")...)
		marks = append(marks, done(e1, "ipc-1", "ipc-2", "stock-1")...)
		if err := db.SaveLessonPages(ctx, marks); err != nil {
			t.Fatal(err)
		}
		for _, w := range []int64{n1, pending} {
			if _, err := db.CompleteTopic(ctx, store.TopicCompletion{WorkerID: w, Topic: "ipc", Code: fmt.Sprintf("HONGERA%d", w), At: db.Now(), SMS: "Hongera"}); err != nil {
				t.Fatal(err)
			}
		}
		topics := []store.TopicLessons{{Topic: "ipc", Lessons: []string{"ipc-1", "ipc-2"}}, {Topic: "stock", Lessons: []string{"stock-1"}}}
		tests := []struct {
			name   string
			scope  store.Scope
			active int
			want   []store.Completion
		}{
			{"supervisor", kibraOnly, 2, []store.Completion{
				{Topic: "ipc", AllLessons: 1, Completed: 1, Lessons: []store.LessonCount{{"ipc-1", 2}, {"ipc-2", 1}}},
				{Topic: "stock", Lessons: []store.LessonCount{{"stock-1", 0}}},
			}},
			{"admin", everyone, 3, []store.Completion{
				{Topic: "ipc", AllLessons: 2, Completed: 1, Lessons: []store.LessonCount{{"ipc-1", 3}, {"ipc-2", 2}}},
				{Topic: "stock", AllLessons: 1, Lessons: []store.LessonCount{{"stock-1", 1}}},
			}},
		}
		for _, tt := range tests {
			active, got, err := db.LessonCompletion(ctx, tt.scope, store.ReportFilter{}, topics)
			if err != nil {
				t.Fatal(err)
			}
			if active != tt.active {
				t.Errorf("LessonCompletion(%s) active = %d, want %d", tt.name, active, tt.active)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("LessonCompletion(%s) diff (-want +got):\n%s", tt.name, diff)
			}
		}
	})
}

// seedVisit stores a visit of mentee with the checklist answers.
func seedVisit(t *testing.T, db *store.DB, mentor, mentee int64, status string, doneAt time.Time, answers map[string]string) {
	t.Helper()
	ctx := context.Background()
	var done any
	if status == "done" {
		done = doneAt
	}
	var id int64
	err := db.GetContext(ctx, &id, db.Rebind(`INSERT INTO visits (mentor_id, mentee_id, scheduled_at, status, done_at, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`), mentor, mentee, doneAt, status, done, doneAt, doneAt)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SaveChecklist(ctx, id, answers); err != nil {
		t.Fatal(err)
	}
}

func TestChecklistTrends(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		eat := time.FixedZone("EAT", 3*3600)
		mentor := seedWorker(t, db, "Dama", "+254711000004", "Kibra", store.StatusActive)
		n1 := seedWorker(t, db, "Achieng", "+254711000001", "Kibra", store.StatusActive)
		e1 := seedWorker(t, db, "Esther", "+254711000005", "Embakasi", store.StatusActive)
		utc := func(s string) time.Time { t, _ := time.Parse(time.RFC3339, s); return t }
		// 22:00 UTC on 28 February is 1 March in Nairobi.
		seedVisit(t, db, mentor, n1, "done", utc("2025-02-28T22:00:00Z"), map[string]string{"chk-a": "done", "chk-b": "partly", "chk-gone": "done"})
		seedVisit(t, db, mentor, n1, "done", utc("2025-03-05T08:00:00Z"), map[string]string{"chk-a": "not_done", "chk-b": "partly"})
		seedVisit(t, db, mentor, n1, "done", utc("2025-02-10T08:00:00Z"), map[string]string{"chk-a": "done"})
		seedVisit(t, db, mentor, n1, "scheduled", utc("2025-03-20T08:00:00Z"), map[string]string{"chk-a": "not_done"})
		seedVisit(t, db, mentor, n1, "done", utc("2024-12-20T08:00:00Z"), map[string]string{"chk-a": "partly"})
		seedVisit(t, db, mentor, e1, "done", utc("2025-03-03T08:00:00Z"), map[string]string{"chk-a": "not_done"})
		topicOf := map[string]string{"chk-a": "ipc", "chk-b": "stock"}
		since := time.Date(2025, 1, 1, 0, 0, 0, 0, eat)
		tests := []struct {
			name  string
			scope store.Scope
			want  []store.ChecklistMonth
		}{
			{"supervisor", kibraOnly, []store.ChecklistMonth{
				{Month: "2025-02", Topic: "ipc", Done: 1},
				{Month: "2025-03", Topic: "ipc", Done: 1, NotDone: 1},
				{Month: "2025-03", Topic: "stock", Partly: 2},
			}},
			{"admin", everyone, []store.ChecklistMonth{
				{Month: "2025-02", Topic: "ipc", Done: 1},
				{Month: "2025-03", Topic: "ipc", Done: 1, NotDone: 2},
				{Month: "2025-03", Topic: "stock", Partly: 2},
			}},
		}
		for _, tt := range tests {
			got, err := db.ChecklistTrends(context.Background(), tt.scope, store.ReportFilter{}, eat, since, topicOf)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ChecklistTrends(%s) diff (-want +got):\n%s", tt.name, diff)
			}
		}
	})
}

// TestStockAlerts: the latest calculation of each vaccine at a facility
// counts (issue 16 finding 2: a later BCG calculation, adequate, hid a Penta
// one, order 470 doses now); calculations stored without a vaccine count
// per calculator; each alert carries the trend of its vaccine.
func TestStockAlerts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		n1 := seedWorker(t, db, "Achieng", "+254711000001", "Kibra", store.StatusActive)
		e1 := seedWorker(t, db, "Esther", "+254711000005", "Embakasi", store.StatusActive)
		t0 := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
		calcs := []struct {
			worker              int64
			calculator, vaccine string
			status              string
			at                  time.Time
		}{
			{n1, "order-quantity", "", "below_order_point", t0},
			{n1, "order-quantity", "", "ok", t0.Add(time.Hour)}, // ordered since: no alert
			{n1, "months-of-stock", "", "ok", t0},
			{n1, "months-of-stock", "", "understock", t0.Add(time.Hour)},
			{n1, "session-vials", "", "ok", t0.Add(2 * time.Hour)},
			{e1, "order-quantity", "", "above_maximum", t0},
			{n1, "months-of-stock", "penta", "within_policy", t0.Add(3 * time.Hour)},
			{n1, "order-quantity", "penta", "below_order_point", t0.Add(4 * time.Hour)},
			{n1, "order-quantity", "bcg", "within_policy", t0.Add(5 * time.Hour)},
			{n1, "session-vials", "penta", "ok", t0.Add(6 * time.Hour)}, // grades no stock
		}
		for _, c := range calcs {
			_, err := db.Exec(db.Rebind(`INSERT INTO stock_calculations (worker_id, facility_id, calculator, vaccine, inputs, result, status, created_at)
SELECT id, facility_id, ?, ?, '{}', '{}', ?, ? FROM workers WHERE id = ?`), c.calculator, c.vaccine, c.status, c.at, c.worker)
			if err != nil {
				t.Fatal(err)
			}
		}
		statuses := []string{"below_order_point", "above_maximum", "understock", "overstock"}
		calculators := []string{"months-of-stock", "order-quantity", "stock-levels"}
		kibra := store.StockAlert{FacilityCode: "F-Kibra", FacilityName: "Kibra Health Centre", SubCounty: "Kibra",
			Calculator: "months-of-stock", Status: "understock", Worker: "Achieng", At: t0.Add(time.Hour), Result: "{}",
			Trend: []store.StockPoint{{"months-of-stock", "understock", t0.Add(time.Hour), "{}"}, {"months-of-stock", "ok", t0, "{}"}}}
		penta := store.StockAlert{FacilityCode: "F-Kibra", FacilityName: "Kibra Health Centre", SubCounty: "Kibra", Vaccine: "penta",
			Calculator: "order-quantity", Status: "below_order_point", Worker: "Achieng", At: t0.Add(4 * time.Hour), Result: "{}",
			Trend: []store.StockPoint{{"order-quantity", "below_order_point", t0.Add(4 * time.Hour), "{}"},
				{"months-of-stock", "within_policy", t0.Add(3 * time.Hour), "{}"}}}
		embakasi := store.StockAlert{FacilityCode: "F-Embakasi", FacilityName: "Embakasi Health Centre", SubCounty: "Embakasi",
			Calculator: "order-quantity", Status: "above_maximum", Worker: "Esther", At: t0, Result: "{}",
			Trend: []store.StockPoint{{"order-quantity", "above_maximum", t0, "{}"}}}
		tests := []struct {
			name  string
			scope store.Scope
			want  []store.StockAlert
		}{
			{"supervisor", kibraOnly, []store.StockAlert{kibra, penta}},
			{"admin", everyone, []store.StockAlert{embakasi, kibra, penta}},
			{"no sub-county", store.Scope{}, nil},
		}
		for _, tt := range tests {
			got, err := db.StockAlerts(context.Background(), tt.scope, store.ReportFilter{}, calculators, statuses)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("StockAlerts(%s) diff (-want +got):\n%s", tt.name, diff)
			}
		}
	})
}

func TestQuestionThreads(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		n1 := seedWorker(t, db, "Achieng", "+254711000001", "Kibra", store.StatusActive)
		n2 := seedWorker(t, db, "Baraka", "+254711000002", "Kibra", store.StatusActive)
		mentor := seedWorker(t, db, "Dama", "+254711000004", "Kibra", store.StatusActive)
		e1 := seedWorker(t, db, "Esther", "+254711000005", "Embakasi", store.StatusActive)
		t0 := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
		ask := func(w int64, body string, at time.Time) int64 {
			var id int64
			err := db.GetContext(ctx, &id, db.Rebind(`INSERT INTO questions (worker_id, body, source, asked_at) VALUES (?, ?, 'sms', ?) RETURNING id`), w, body, at)
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		old := ask(n1, "Old and open", t0)
		answered := ask(n1, "Answered", t0.Add(time.Hour))
		newer := ask(n2, "Newer and open", t0.Add(2*time.Hour))
		theirs := ask(e1, "Embakasi", t0)
		_, err := db.Exec(db.Rebind(`UPDATE questions SET answer = 'Yes', answered_by = ?, answered_at = ? WHERE id = ?`), mentor, t0.Add(3*time.Hour), answered)
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.QuestionThreads(ctx, kibraOnly, 10)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, q := range got {
			ids = append(ids, q.ID)
		}
		if diff := cmp.Diff([]int64{old, newer, answered}, ids); diff != "" {
			t.Errorf("QuestionThreads(Kibra) ids diff (-want +got):\n%s", diff)
		}
		q, err := db.QuestionThread(ctx, kibraOnly, answered)
		if err != nil {
			t.Fatal(err)
		}
		if q.Answer != "Yes" || q.Answerer != "Dama" || q.Nurse != "Achieng" || q.Facility != "Kibra Health Centre" || !q.AnsweredAt.Time.Equal(t0.Add(3*time.Hour)) {
			t.Errorf("QuestionThread(%d) = %+v, want Achieng's question answered by Dama", answered, q)
		}
		if _, err := db.QuestionThread(ctx, kibraOnly, theirs); err != store.ErrNotFound {
			t.Errorf("QuestionThread(Embakasi's) error = %v, want ErrNotFound", err)
		}
		if all, _ := db.QuestionThreads(ctx, everyone, 2); len(all) != 2 {
			t.Errorf("QuestionThreads(admin, limit 2) = %d rows, want 2", len(all))
		}
	})
}

func TestEvaluationAnswers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		n1 := seedWorker(t, db, "Achieng", "+254711000001", "Kibra", store.StatusActive)
		e1 := seedWorker(t, db, "Dama", "+254711000004", "Embakasi", store.StatusActive)
		seedAttempt(t, db, n1, store.FormBaseline, true, map[string][2]int{"stock": {1, 2}})
		seedAttempt(t, db, n1, store.FormEndline, false, map[string][2]int{"stock": {2, 2}})
		seedAttempt(t, db, n1, store.FormPractice, true, map[string][2]int{"stock": {2, 2}})
		seedAttempt(t, db, e1, store.FormBaseline, true, map[string][2]int{"stock": {0, 1}})
		got, err := db.EvaluationAnswers(ctx, kibraOnly, store.ReportFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var summary []string
		for _, a := range got {
			if a.Worker != n1 || a.SubCounty != "Kibra" || a.FacilityCode == "" {
				t.Errorf("EvaluationAnswers(Kibra) row %+v, want Achieng at her Kibra facility", a)
			}
			summary = append(summary, fmt.Sprintf("%s %s %v", a.Form, a.QuestionID, a.Correct))
		}
		// The unfinished endline, the practice quiz and Embakasi are left out.
		if d := cmp.Diff([]string{"baseline stock-qa true", "baseline stock-qb false"}, summary); d != "" {
			t.Errorf("EvaluationAnswers(Kibra) (-want +got):\n%s", d)
		}
		all, err := db.EvaluationAnswers(ctx, everyone, store.ReportFilter{})
		if err != nil || len(all) != 3 {
			t.Errorf("EvaluationAnswers(admin) = %d rows, %v; want 3", len(all), err)
		}
	})
}

func TestStockStatusCounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedWorker(t, db, "Achieng", "+254711000001", "Kibra", store.StatusActive)
		seedWorker(t, db, "Dama", "+254711000004", "Embakasi", store.StatusActive)
		for _, c := range []struct{ phone, status string }{
			{"+254711000001", "within_policy"}, {"+254711000001", "within_policy"}, {"+254711000001", "below_order_point"},
			{"+254711000001", "ok"}, {"+254711000004", "within_policy"},
		} {
			if err := db.SaveCalculation(ctx, c.phone, "order-quantity", "penta", []byte(`{}`), []byte(`{}`), c.status); err != nil {
				t.Fatal(err)
			}
		}
		got, err := db.StockStatusCounts(ctx, kibraOnly, store.ReportFilter{}, []string{"below_order_point", "within_policy"})
		if err != nil {
			t.Fatal(err)
		}
		var summary []string
		for _, r := range got {
			summary = append(summary, fmt.Sprintf("%s %s %d", r.SubCounty, r.Status, r.N))
		}
		if d := cmp.Diff([]string{"Kibra below_order_point 1", "Kibra within_policy 2"}, summary); d != "" {
			t.Errorf("StockStatusCounts(Kibra) (-want +got):\n%s", d)
		}
	})
}
