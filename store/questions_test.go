package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// The roster of the question tests: Jane has a mentor (Mary); Ann has none
// but shares the Kithimani group with Mary and Rose; Eve has neither; Olive
// mentors another group.
const (
	qMary  = "+254711100001"
	qRose  = "+254711100002"
	qJane  = "+254711100003"
	qAnn   = "+254711100004"
	qEve   = "+254711100005"
	qOlive = "+254711100006"
)

var askedAt = time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)

func questionRoster(t *testing.T, db *store.DB) map[string]int64 {
	t.Helper()
	db.Now = func() time.Time { return askedAt }
	row := func(name, p, role, lang, mentor string, groups ...string) store.RosterEntry {
		return store.RosterEntry{Name: name, Phone: p, Role: role, Language: lang, FacilityCode: "12345",
			FacilityName: "Kithimani Dispensary", SubCounty: "Yatta", County: "Machakos", MentorPhone: mentor, Groups: groups}
	}
	entries := []store.RosterEntry{
		row("Mary", qMary, "mentor", "en", "", "Kithimani"),
		row("Rose", qRose, "mentor", "sw", "", "Kithimani"),
		row("Jane Mutua", qJane, "nurse", "en", qMary, "Kithimani"),
		row("Ann", qAnn, "nurse", "sw", "", "Kithimani"),
		row("Eve", qEve, "nurse", "en", ""),
		row("Olive", qOlive, "mentor", "en", "", "Other"),
	}
	for i := range entries {
		entries[i].Line = i + 2
	}
	if _, problems, err := db.ApplyRoster(context.Background(), entries, nil); err != nil || len(problems) > 0 {
		t.Fatalf("ApplyRoster = %v, %v", problems, err)
	}
	ids := map[string]int64{}
	for _, p := range []string{qMary, qRose, qJane, qAnn, qEve, qOlive} {
		w, err := db.WorkerByPhone(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		ids[p] = w.ID
	}
	return ids
}

// outbox returns the queued SMS as "phone: body", in order.
func outbox(t *testing.T, db *store.DB) []string {
	t.Helper()
	var rows []struct {
		Phone string `db:"phone"`
		Body  string `db:"body"`
	}
	if err := db.Select(&rows, `SELECT phone, body FROM outbox ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rows {
		out = append(out, r.Phone+": "+r.Body)
	}
	return out
}

func TestAskQuestionGoesToMentorGroupOrSupervisor(t *testing.T) {
	tests := []struct {
		asker string
		want  store.Asked
		sms   []string
	}{
		{qJane, store.Asked{ID: 1, To: store.AskedMentor, Mentors: 1},
			[]string{qMary + ": Q1 from Jane Mutua (Kithimani): Is BCG good after 6 h?, reply A1 <answer>"}},
		{qAnn, store.Asked{ID: 1, To: store.AskedGroup, Mentors: 2}, []string{
			qMary + ": Q1 from Ann (Kithimani): Is BCG good after 6 h?, reply A1 <answer>",
			qRose + ": Swali Q1 kutoka kwa Ann (Kithimani): Is BCG good after 6 h?. Jibu: A1 <jibu>"}},
		{qEve, store.Asked{ID: 1, To: store.AskedSupervisor}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.asker, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				ids := questionRoster(t, db)
				got, err := mentors(db).AskQuestion(context.Background(), ids[tt.asker], " Is BCG good after 6 h? ", "ussd")
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tt.want, got, ignoreNotify); diff != "" {
					t.Errorf("AskQuestion (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(tt.sms, outbox(t, db)); diff != "" {
					t.Errorf("outbox (-want +got):\n%s", diff)
				}
			})
		})
	}
}

// ignoreNotify leaves out whom an Asked names to tell: the outbox shows it.
var ignoreNotify = cmpopts.IgnoreFields(store.Asked{}, "Notify")

func TestAskQuestionRepeatedWithinTheHourIsTheSame(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ids := questionRoster(t, db)
		ctx := context.Background()
		steps := []struct {
			after time.Duration
			body  string
			want  store.Asked
		}{
			{0, "Where is the MOH 710?", store.Asked{ID: 1, To: store.AskedMentor, Mentors: 1}},
			{10 * time.Minute, "Where is the MOH 710?", store.Asked{ID: 1, To: store.AskedMentor, Mentors: 1, Repeat: true}},
			{20 * time.Minute, "Another one", store.Asked{ID: 2, To: store.AskedMentor, Mentors: 1}},
			{2 * time.Hour, "Where is the MOH 710?", store.Asked{ID: 3, To: store.AskedMentor, Mentors: 1}},
		}
		for _, s := range steps {
			db.Now = func() time.Time { return askedAt.Add(s.after) }
			got, err := mentors(db).AskQuestion(ctx, ids[qJane], s.body, "sms")
			if err != nil || !cmp.Equal(got, s.want, ignoreNotify) {
				t.Errorf("AskQuestion(%q at +%v) = %+v, %v, want %+v", s.body, s.after, got, err, s.want)
			}
		}
		if n := len(outbox(t, db)); n != 3 {
			t.Errorf("SMS to the mentor = %d, want 3 (one per question)", n)
		}
		if _, err := mentors(db).AskQuestion(ctx, ids[qJane], "  ", "sms"); !errors.Is(err, store.ErrEmptyQuestion) {
			t.Errorf("AskQuestion(blank) = %v, want ErrEmptyQuestion", err)
		}
	})
}

func TestAnswerQuestion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ids := questionRoster(t, db)
		ctx := context.Background()
		jane, _ := mentors(db).AskQuestion(ctx, ids[qJane], "Jane's question", "sms")
		ann, _ := mentors(db).AskQuestion(ctx, ids[qAnn], "Ann's question", "ussd")
		steps := []struct {
			who      string
			question int64
			answer   string
			want     error
		}{
			{qRose, jane.ID, "not her mentee yet", store.ErrNotYours},
			{qOlive, ann.ID, "another group", store.ErrNotYours},
			{qJane, jane.ID, "her own", store.ErrNotYours},
			{qMary, 99, "no such question", store.ErrNotFound},
			{qMary, jane.ID, "   ", store.ErrEmptyQuestion},
			{qMary, jane.ID, "Six hours.", nil},
			{qMary, jane.ID, "Six hours, then discard.", nil}, // her correction
			{qRose, ann.ID, "Ann has no mentor: her group answers.", nil},
			{qMary, ann.ID, "Rose answered first.", store.ErrAlreadyAnswered},
		}
		for _, s := range steps {
			err := db.Tx(ctx, func(tx *store.Tx) error {
				_, err := db.AnswerQuestion(ctx, tx, s.question, ids[s.who], s.answer)
				return err
			})
			if !errors.Is(err, s.want) {
				t.Errorf("AnswerQuestion(%d by %s, %q) = %v, want %v", s.question, s.who, s.answer, err, s.want)
			}
		}
		q, err := db.WorkerQuestion(ctx, ids[qJane], jane.ID)
		if err != nil {
			t.Fatal(err)
		}
		if q.Answer != "Six hours, then discard." || q.Answerer != "Mary" || !q.Answered() || !q.AnsweredAt.Time.Equal(askedAt) {
			t.Errorf("WorkerQuestion = %+v, want Mary's corrected answer at the time of her first", q)
		}
		if _, err := db.WorkerQuestion(ctx, ids[qAnn], jane.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("WorkerQuestion(someone else's) = %v, want ErrNotFound", err)
		}
	})
}

func TestEscalateQuestionOnceAfterADay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ids := questionRoster(t, db)
		ctx := context.Background()
		open, _ := mentors(db).AskQuestion(ctx, ids[qJane], "Open question", "sms")
		done, _ := mentors(db).AskQuestion(ctx, ids[qJane], "Answered question", "sms")
		if err := db.Tx(ctx, func(tx *store.Tx) error {
			_, err := db.AnswerQuestion(ctx, tx, done.ID, ids[qMary], "Yes.")
			return err
		}); err != nil {
			t.Fatal(err)
		}
		cutoff := askedAt.Add(-24 * time.Hour)
		if got, err := db.ClaimStaleQuestions(ctx, store.RowClaim{Owner: "t", Limit: 10, Lease: time.Minute}, cutoff.Add(-time.Second)); err != nil || len(got) != 0 {
			t.Errorf("ClaimStaleQuestions(before 24 h) = %v, %v, want none", got, err)
		}
		later := askedAt.Add(24 * time.Hour)
		db.Now = func() time.Time { return later }
		got, err := db.ClaimStaleQuestions(ctx, store.RowClaim{Owner: "t", Limit: 10, Lease: time.Minute}, later.Add(-24*time.Hour))
		if err != nil || !cmp.Equal(got, []int64{open.ID}) {
			t.Errorf("ClaimStaleQuestions(after 24 h) = %v, %v, want [%d]", got, err, open.ID)
		}
		for i, want := range []bool{true, false} {
			esc, sent, err := mentors(db).EscalateQuestion(ctx, open.ID)
			if err != nil || esc != want || sent != map[bool]int{true: 1}[want] {
				t.Errorf("EscalateQuestion #%d = %v, %d, %v; want %v, %d", i+1, esc, sent, err, want, map[bool]int{true: 1}[want])
			}
		}
		sms := outbox(t, db)
		if want := qRose + ": Swali Q1 kutoka kwa Jane Mutua (Kithimani), halijajibiwa kwa siku moja: Open question. Jibu: A1 <jibu>"; sms[len(sms)-1] != want {
			t.Errorf("last SMS = %q, want %q", sms[len(sms)-1], want)
		}
		if got, _ := db.ClaimStaleQuestions(ctx, store.RowClaim{Owner: "t", Limit: 10, Lease: time.Minute}, later); len(got) != 0 {
			t.Errorf("ClaimStaleQuestions after escalation = %v, want none", got)
		}
		err = db.Tx(ctx, func(tx *store.Tx) error {
			_, err := db.AnswerQuestion(ctx, tx, open.ID, ids[qRose], "Escalated: the group answers.")
			return err
		})
		if err != nil {
			t.Errorf("AnswerQuestion(escalated, by Rose) = %v, want nil", err)
		}
	})
}

func TestMyQuestionsNewestFirst(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ids := questionRoster(t, db)
		ctx := context.Background()
		for _, b := range []string{"first", "second", "third"} {
			if _, err := mentors(db).AskQuestion(ctx, ids[qEve], b, "ussd"); err != nil {
				t.Fatal(err)
			}
		}
		qs, err := db.MyQuestions(ctx, ids[qEve], 2)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, q := range qs {
			got = append(got, q.Body)
		}
		if diff := cmp.Diff([]string{"third", "second"}, got); diff != "" {
			t.Errorf("MyQuestions (-want +got):\n%s", diff)
		}
	})
}

func TestMentees(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ids := questionRoster(t, db)
		ctx := context.Background()
		if _, err := mentors(db).ScheduleVisit(ctx, ids[qMary], ids[qJane], askedAt.Add(48*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveLessonPages(ctx, []store.PageMark{{WorkerID: ids[qJane], Lesson: "l1", Page: 3, Done: true}}); err != nil {
			t.Fatal(err)
		}
		got, err := db.Mentees(ctx, ids[qMary])
		if err != nil {
			t.Fatal(err)
		}
		want := []store.Mentee{{ID: ids[qJane], Name: "Jane Mutua", Phone: qJane, Facility: "Kithimani Dispensary", LessonsDone: 1, Visits: 1}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Mentees (-want +got):\n%s", diff)
		}
		for _, f := range []struct {
			form         string
			score, total int
		}{{store.FormMidline, 13, 20}, {store.FormBaseline, 8, 20}, {store.FormPractice, 5, 5}} {
			id, err := db.StartAttempt(ctx, ids[qJane], f.form, "", 1)
			if err == nil {
				err = db.FinishAttempt(ctx, id, f.score, f.total)
			}
			if err != nil {
				t.Fatalf("%s attempt: %v", f.form, err)
			}
		}
		scores, err := db.WorkerAssessments(ctx, ids[qJane])
		wantScores := []store.FormScore{{Form: store.FormBaseline, Score: 8, Total: 20}, {Form: store.FormMidline, Score: 13, Total: 20}}
		if diff := cmp.Diff(wantScores, scores); err != nil || diff != "" {
			t.Errorf("WorkerAssessments = %v (-want +got):\n%s", err, diff)
		}
		if got, _ := db.Mentees(ctx, ids[qRose]); len(got) != 0 {
			t.Errorf("Mentees(Rose) = %v, want none", got)
		}
	})
}
