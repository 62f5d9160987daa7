package ussd

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// TestLearningHopCost counts the SQL of the lesson and quiz hops (their
// Redis cost is every hop's, counted by TestHopCost): the learner is read
// once per session, turning pages costs none (they are written behind), and
// only answers are written in the hop: the last with the quiz's score, in
// one statement on PostgreSQL.
func TestLearningHopCost(t *testing.T) {
	e := newTestEnv(t, false)
	const p = "+254700000015"
	hops := []struct {
		name, text string
		sql        int64
	}{
		{"dial", "", 2},
		{"Lessons reads the learner once", "1", 1},
		{"a topic", "1*2", 0},
		{"a lesson's first page", "1*2*1", 0},
		{"Next", "1*2*1*1", 0},
		{"Back", "1*2*1*1*0", 0},
		{"Next again", "1*2*1*1*0*1", 0},
		{"Home", "1*2*1*1*0*1*00", 0},
		{"My progress from the session", "1*2*1*1*0*1*00*4", 0},
		{"Home again", "1*2*1*1*0*1*00*4*00", 0},
		{"Quiz reads the open assessments once", "1*2*1*1*0*1*00*4*00*2", 1},
		{"a practice quiz starts with her misses in one call", "1*2*1*1*0*1*00*4*00*2*1", 1},
		{"an answer is written", "1*2*1*1*0*1*00*4*00*2*1*1", 1},
		{"its explanation's Next", "1*2*1*1*0*1*00*4*00*2*1*1*1", 0},
		{"the second answer", "1*2*1*1*0*1*00*4*00*2*1*1*1*1", 1},
		{"Next", "1*2*1*1*0*1*00*4*00*2*1*1*1*1*1", 0},
		{"the third answer", "1*2*1*1*0*1*00*4*00*2*1*1*1*1*1*1", 1},
		{"Next", "1*2*1*1*0*1*00*4*00*2*1*1*1*1*1*1*1", 0},
		{"the fourth answer", "1*2*1*1*0*1*00*4*00*2*1*1*1*1*1*1*1*1", 1},
		{"Next", "1*2*1*1*0*1*00*4*00*2*1*1*1*1*1*1*1*1*1", 0},
		{"the last answer is written with the score", "1*2*1*1*0*1*00*4*00*2*1*1*1*1*1*1*1*1*1*1", 1},
		{"the score was written with the last answer", "1*2*1*1*0*1*00*4*00*2*1*1*1*1*1*1*1*1*1*1*1", 0},
	}
	for _, hop := range hops {
		before := e.st.calls.Load()
		_, body := e.post("L", p, hop.text)
		if got := e.st.calls.Load() - before; got != hop.sql {
			t.Errorf("%s: hop(%q) SQL calls = %d, want %d (answer %q)", hop.name, hop.text, got, hop.sql, body)
		}
	}
}

// TestRedialReadsNoSQL: a nurse who dials again within the nurse cache's
// life carries her learner into the new session, so Lessons reads nothing.
func TestRedialReadsNoSQL(t *testing.T) {
	e := newTestEnv(t, false)
	const p = "+254700000018"
	e.post("R1", p, "")
	e.post("R1", p, "1") // loads the learner
	e.post("R1", p, "1*00")
	for _, hop := range []struct{ name, text string }{{"dial", ""}, {"Lessons", "1"}, {"a topic", "1*2"}} {
		before := e.st.calls.Load()
		_, body := e.post("R2", p, hop.text)
		if got := e.st.calls.Load() - before; got != 0 {
			t.Errorf("redial %s: hop(%q) SQL calls = %d, want 0 (answer %q)", hop.name, hop.text, got, body)
		}
	}
}

// TestTopicCompletionQueuesOneSMS completes a topic by its last lesson and
// by a passing quiz: each issues one certificate and queues its SMS (her
// name, the date, the code), however often the
// lesson is read again, in the session or in a later one.
func TestTopicCompletionQueuesOneSMS(t *testing.T) {
	tests := []struct {
		name, phone string
		quizFirst   bool // the quiz is passed before the last lesson
	}{
		{"the last lesson completes the topic", "+254700000016", true},
		{"a passing quiz completes the topic", "+254700000017", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t, false)
			ctx := context.Background()
			w, err := e.db.WorkerByPhone(ctx, tt.phone)
			if err != nil {
				t.Fatal(err)
			}
			var marks []store.PageMark
			for _, ls := range e.svc.m.pack.LessonsOf("recording")[1:] {
				marks = append(marks, store.PageMark{WorkerID: w.ID, Lesson: ls.ID, Page: len(ls.Pages), Done: true})
			}
			if err := e.db.SaveLessonPages(ctx, marks); err != nil {
				t.Fatal(err)
			}
			topic, _ := e.svc.m.pack.Topic("recording")
			won := e.svc.m.pack.Say("en", "quiz.topic_won", "topic", topic.Title.In("en"))
			if tt.quizFirst {
				if score := passQuiz(t, e, tt.phone, "recording"); strings.Contains(score, won) {
					t.Errorf("score of a quiz before the last lesson = %q, want no completion", score)
				}
			}
			readFirstLesson(t, e, tt.phone, "A")
			readFirstLesson(t, e, tt.phone, "B")
			if !tt.quizFirst {
				if score := passQuiz(t, e, tt.phone, "recording"); !strings.Contains(score, won) {
					t.Errorf("score of the quiz that completes the topic = %q, want %q", score, won)
				}
				readFirstLesson(t, e, tt.phone, "C")
			}
			bodies := storetest.Bodies(storetest.OutWhere(t, e.db, func(o storetest.Out) bool { return o.WorkerID.Int64 == w.ID }))
			code := storetest.CertificateCode(t, e.db, w.ID, "recording")
			cert, err2 := e.db.CertificateByCode(ctx, code)
			date := cert.Issued.In(e.svc.m.tz).Format("2006-01-02")
			if want := []string{e.svc.m.pack.Certificate(topic, "en", w.Name, date, code)}; err != nil || err2 != nil || !cmp.Equal(bodies, want) {
				t.Errorf("outbox of the nurse = %q, %v, %v, want %q", bodies, err, err2, want)
			}
		})
	}
}

// readFirstLesson reads the first lesson of Data recording to its key point
// and past it, and goes home, in a session of its own.
func readFirstLesson(t *testing.T, e *testEnv, phone, sid string) {
	t.Helper()
	inputs := []string{"1", "2", "1"} // Lessons, Data recording, its first lesson
	for range e.svc.m.pack.LessonsOf("recording")[0].Screens() {
		inputs = append(inputs, "1")
	}
	text := ""
	for _, in := range append(inputs, "00") {
		text = joinText(text, in)
		if _, body := e.post(sid, phone, text); !strings.HasPrefix(body, "CON ") {
			t.Fatalf("hop %q = %q", text, body)
		}
	}
	if err := e.pages.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// passQuiz answers every question of a practice quiz on topic right,
// reading the right numbers from the session as the machine keeps it, and
// returns the score screen.
func passQuiz(t *testing.T, e *testEnv, phone, topic string) string {
	t.Helper()
	m := e.svc.m
	ctx := context.Background()
	s, _, err := m.Dial(ctx, phone, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	n := slices.IndexFunc(m.pack.Topics, func(x lessons.Topic) bool { return x.ID == topic })
	inputs := []string{"2", strconv.Itoa(n + 1)}
	for _, in := range inputs {
		if s, _, err = m.Step(ctx, phone, s, in); err != nil {
			t.Fatal(err)
		}
	}
	for s.Top().State == StQuizQuestion {
		q, qs, i, ok := quizAt(&Ctx{Context: ctx, S: &s, m: m})
		if !ok {
			t.Fatalf("no quiz in session %+v", s)
		}
		right := slices.Index(lessons.Shuffle(qs[i], uint64(q.Seed)), qs[i].Answer())
		for _, in := range []string{strconv.Itoa(right + 1), "1"} {
			if s, _, err = m.Step(ctx, phone, s, in); err != nil {
				t.Fatal(err)
			}
		}
	}
	if s.Top().State != StQuizScore || !strings.Contains(s.Reply, "5/5") {
		t.Fatalf("after the quiz: %s %q, want the score 5/5", s.Top().State, s.Reply)
	}
	return s.Reply
}

func TestLearnerInTheSession(t *testing.T) {
	pack, err := lessons.Default()
	if err != nil {
		t.Fatal(err)
	}
	visit := time.Date(2025, 3, 11, 9, 0, 0, 0, time.UTC)
	l := &learner{Assessed: map[lessons.Form]lessons.Result{lessons.Baseline: {Right: 9, Total: 12}}, NextVisit: visit}
	l.Progress = map[string]lessons.Progress{}
	l.read("stk-amc", 2, false)
	l.read("rec-tally", 5, true)
	l.read("use-dropout", 1, false)
	l.Scored("stock", lessons.Result{Right: 3, Total: 5})
	l.Scored("stock", lessons.Result{Right: 5, Total: 5})
	l.Completed = map[string]bool{"stock": true}
	fp := fingerprint(pack)
	s := &Session{Learning: learningOf(pack, fp, l)}
	v := encodeSession(s)
	decoded, err := decodeSession(string(v))
	if err != nil {
		t.Fatal(err)
	}
	back, ok := decoded.Learning.learner(pack, fp)
	if !ok {
		t.Fatalf("learner of %+v failed", decoded.Learning)
	}
	if id, page := pack.Continue(back.Learner); id != "use-dropout" || page != 1 {
		t.Errorf("Continue(decoded) = %s, %d, want use-dropout, 1 (the unfinished lesson read last)", id, page)
	}
	noSeen := cmp.Transformer("noSeen", func(p lessons.Progress) lessons.Progress { p.Seen = time.Time{}; return p })
	if diff := cmp.Diff(l, back, noSeen); diff != "" {
		t.Errorf("the learner through the session differs (-want +got):\n%s", diff)
	}
	if n := len(v) - len(encodeSession(&Session{})); n > 48 {
		t.Errorf("the learner takes %d bytes of the session, want at most 48", n)
	}
	bad := []struct {
		name string
		l    *Learning
	}{
		{"none yet", nil},
		{"another pack", &Learning{Pack: fp + 1}},
		{"a lesson out of range", &Learning{Pack: fp, Lessons: []LessonMark{{Lesson: 999}}}},
		{"a negative topic", &Learning{Pack: fp, Quizzes: []QuizMark{{Topic: -1}}}},
		{"a form out of range", &Learning{Pack: fp, Assessed: []FormMark{{Form: 9}}}},
	}
	for _, b := range bad {
		if _, ok := b.l.learner(pack, fp); ok {
			t.Errorf("learner(%s) = ok, want a reload", b.name)
		}
	}
}

func TestPickPractice(t *testing.T) {
	pack, err := lessons.Default()
	if err != nil {
		t.Fatal(err)
	}
	bank := pack.Practice("stock")
	ids := func(qs []lessons.Question) []string {
		var s []string
		for _, q := range qs {
			s = append(s, q.ID)
		}
		return s
	}
	missed := []string{bank[7].ID, "gone-from-the-pack", bank[2].ID}
	got := ids(pickPractice(bank, missed, 42, practiceLen))
	if len(got) != practiceLen || got[0] != bank[7].ID || got[1] != bank[2].ID {
		t.Errorf("pickPractice(missed %v) = %v, want %d questions starting with the missed ones", missed, got, practiceLen)
	}
	if len(slices.Compact(slices.Sorted(slices.Values(got)))) != len(got) {
		t.Errorf("pickPractice() = %v, want no question twice", got)
	}
	if again := ids(pickPractice(bank, missed, 42, practiceLen)); !cmp.Equal(again, got) {
		t.Errorf("pickPractice(same seed) = %v, want %v", again, got)
	}
	if other := ids(pickPractice(bank, nil, 43, practiceLen)); cmp.Equal(other, ids(pickPractice(bank, nil, 42, practiceLen))) {
		t.Errorf("pickPractice(seed 43) = pickPractice(seed 42) = %v, want another draw", other)
	}
}

// TestJobAidBySMS: a topic offers its job aid (by SMS to a nurse on SMS); asking queues it in
// the nurse's language as a reply, once a day however often she asks.
func TestJobAidBySMS(t *testing.T) {
	e := newTestEnv(t, false)
	const p = "+254700000019"
	e.post("J", p, "")
	e.post("J", p, "1")
	e.post("J", p, "1*4")               // Stock forecasting: its lessons fill the first page
	_, more := e.post("J", p, "1*4*98") // the job aid comes last
	item := strconv.Itoa(len(e.svc.m.pack.LessonsOf("stock")) + 1)
	if !strings.Contains(more, item+" Card: Stock formula card") {
		t.Fatalf("topic menu, More = %q, want item %s: the job aid", more, item)
	}
	for i, text := range []string{"1*4*98*" + item, "1*4*98*" + item + "*" + item} {
		if _, body := e.post("J", p, text); !strings.Contains(body, "on its way by SMS") {
			t.Errorf("ask %d: %q, want the job aid promised", i+1, body)
		}
	}
	aid := e.svc.m.pack.JobAidsOf("stock")[0]
	rows := storetest.OutWhere(t, e.db, func(o storetest.Out) bool { return o.Phone == p })
	if len(rows) != 1 || rows[0].Kind != "reply" || rows[0].Body != aid.SMS.In("en") {
		t.Errorf("outbox = %+v, want one reply with the English job aid", rows)
	}
}
