package lessons_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/lessons/screen"
)

func TestContinue(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 1, d, 10, 0, 0, 0, time.UTC) }
	done := lessons.Progress{Done: true, Seen: day(9)}
	cases := []struct {
		name    string
		learner lessons.Learner
		lesson  string
		page    int
	}{
		{"new nurse", lessons.Learner{}, "a1", 0},
		{"dropped mid-lesson: same page", lessons.Learner{Progress: map[string]lessons.Progress{"b1": {Page: 3, Seen: day(2)}}}, "b1", 3},
		{"weakest topic by average, not by best", lessons.Learner{Quiz: map[string]lessons.TopicQuiz{
			"a": {Attempts: 2, Best: lessons.Result{Right: 5, Total: 5}, All: lessons.Result{Right: 6, Total: 10}},
			"b": {Attempts: 1, Best: lessons.Result{Right: 4, Total: 5}, All: lessons.Result{Right: 4, Total: 5}}}}, "a1", 0},
		{"next lesson opens at its first screen", lessons.Learner{Progress: map[string]lessons.Progress{"a1": done}}, "a2", 0},
		{"all done", lessons.Learner{Progress: map[string]lessons.Progress{"a1": done, "a2": done, "b1": done, "b2": done}}, "", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lesson, page := twoTopics.Continue(c.learner)
			if lesson != c.lesson || page != c.page {
				t.Errorf("Continue(%+v) = %q, %d, want %q, %d", c.learner, lesson, page, c.lesson, c.page)
			}
		})
	}
}

func TestLearnerReadAndScored(t *testing.T) {
	at := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	var l lessons.Learner
	l.Read("a1", 4, true, at)
	l.Read("a1", 1, false, at.Add(time.Minute))
	l.Read("a2", 2, false, at)
	wantProgress := map[string]lessons.Progress{"a1": {Page: 1, Done: true, Seen: at.Add(time.Minute)}, "a2": {Page: 2, Seen: at}}
	if diff := cmp.Diff(wantProgress, l.Progress); diff != "" {
		t.Errorf("Progress after reading a finished lesson again (-want +got):\n%s", diff)
	}
	for _, r := range []lessons.Result{{Right: 3, Total: 5}, {Right: 9, Total: 10}, {Right: 4, Total: 5}} {
		l.Scored("a", r)
	}
	want := lessons.TopicQuiz{Attempts: 3, Best: lessons.Result{Right: 9, Total: 10}, All: lessons.Result{Right: 16, Total: 20}}
	if l.Quiz["a"] != want {
		t.Errorf("Quiz[a] after 3/5, 9/10, 4/5 = %+v, want %+v", l.Quiz["a"], want)
	}
	l.Scored("b", lessons.Result{Right: 1, Total: 5})
	if got, want := l.QuizAverage(), (lessons.Result{Right: 17, Total: 25}); got != want {
		t.Errorf("QuizAverage() = %+v, want %+v", got, want)
	}
}

func TestNewlyComplete(t *testing.T) {
	done := lessons.Progress{Done: true}
	allA := map[string]lessons.Progress{"a1": done, "a2": done}
	pass := map[string]lessons.TopicQuiz{"a": {Attempts: 2, Best: lessons.Result{Right: 4, Total: 5}, All: lessons.Result{Right: 5, Total: 10}}}
	fail := map[string]lessons.TopicQuiz{"a": {Attempts: 1, Best: lessons.Result{Right: 3, Total: 5}, All: lessons.Result{Right: 3, Total: 5}}}
	cases := []struct {
		name    string
		learner lessons.Learner
		want    bool
	}{
		{"lessons done, best quiz 80%", lessons.Learner{Progress: allA, Quiz: pass}, true},
		{"already recorded", lessons.Learner{Progress: allA, Quiz: pass, Completed: map[string]bool{"a": true}}, false},
		{"best quiz below 80%", lessons.Learner{Progress: allA, Quiz: fail}, false},
		{"a lesson not done", lessons.Learner{Progress: map[string]lessons.Progress{"a1": done}, Quiz: pass}, false},
		{"no quiz", lessons.Learner{Progress: allA}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := twoTopics.NewlyComplete(c.learner, "a"); got != c.want {
				t.Errorf("NewlyComplete(%+v, a) = %v, want %v", c.learner, got, c.want)
			}
		})
	}
}

func TestReport(t *testing.T) {
	done := lessons.Progress{Done: true}
	l := lessons.Learner{
		Progress:  map[string]lessons.Progress{"a1": done, "a2": done, "b1": {Page: 2}},
		Quiz:      map[string]lessons.TopicQuiz{"a": {Attempts: 1, Best: lessons.Result{Right: 5, Total: 5}, All: lessons.Result{Right: 5, Total: 5}}},
		Completed: map[string]bool{"b": true},
	}
	want := []lessons.TopicReport{
		{Topic: lessons.Topic{ID: "a"}, Done: 2, Lessons: 2, Quiz: l.Quiz["a"], Complete: true},
		{Topic: lessons.Topic{ID: "b"}, Done: 0, Lessons: 2, Complete: true}, // recorded earlier
	}
	if diff := cmp.Diff(want, twoTopics.Report(l)); diff != "" {
		t.Errorf("Report (-want +got):\n%s", diff)
	}
}

func TestCertificateFitsTwoSMS(t *testing.T) {
	p, err := lessons.Default()
	if err != nil {
		t.Fatal(err)
	}
	topics := append(slices.Clone(p.Topics), lessons.Topic{ID: "longest", Title: lessons.Text{"en": strings.Repeat("x", 28), "sw": strings.Repeat("x", 28)}})
	name := strings.Repeat("N", 40)
	for _, topic := range topics {
		for _, lang := range []string{"en", "sw"} {
			s := p.Certificate(topic, lang, name, "2026-12-06", "K7MX3QPA")
			for _, want := range []string{name, "2026-12-06", "'" + topic.Title.In(lang) + "'", "80%", "K7MX3QPA"} {
				if !strings.Contains(s, want) {
					t.Errorf("Certificate(%s, %s) = %q, want %q in it", topic.ID, lang, s, want)
				}
			}
			if len(s) > 306 {
				t.Errorf("Certificate(%s, %s) = %q (%d chars), want at most two SMS (306)", topic.ID, lang, s, len(s))
			}
			for _, r := range s {
				if !screen.Allowed(r) {
					t.Errorf("Certificate(%s, %s) has %q, outside the character set", topic.ID, lang, r)
				}
			}
		}
	}
}
