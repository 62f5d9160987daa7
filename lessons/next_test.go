package lessons_test

import (
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/lessons"
)

// twoTopics has topics a (lessons a1, a2) and b (b1, b2), in that order.
var twoTopics = &lessons.Pack{
	Topics:  []lessons.Topic{{ID: "a"}, {ID: "b"}},
	Lessons: []lessons.Lesson{{ID: "a1", Topic: "a"}, {ID: "a2", Topic: "a"}, {ID: "b1", Topic: "b"}, {ID: "b2", Topic: "b"}},
}

func TestNextLesson(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 1, d, 10, 0, 0, 0, time.UTC) }
	done := lessons.Progress{Done: true}
	cases := []struct {
		name     string
		progress map[string]lessons.Progress
		quiz     map[string]lessons.Result
		want     string
	}{
		{"new nurse: first lesson of the first topic", nil, nil, "a1"},
		{"resume the unfinished lesson", map[string]lessons.Progress{"b2": {Page: 2, Seen: day(1)}}, nil, "b2"},
		{"resume the one read last", map[string]lessons.Progress{"a2": {Page: 1, Seen: day(3)}, "b1": {Page: 2, Seen: day(2)}}, nil, "a2"},
		{"a finished lesson is not resumed", map[string]lessons.Progress{"a1": {Done: true, Seen: day(5)}, "b1": {Page: 1, Seen: day(2)}}, nil, "b1"},
		{"weakest topic first", nil, map[string]lessons.Result{"a": {Right: 9, Total: 10}, "b": {Right: 5, Total: 10}}, "b1"},
		{"a topic without quiz counts as weakest", nil, map[string]lessons.Result{"a": {Right: 1, Total: 10}}, "b1"},
		{"ties go by topic order", nil, map[string]lessons.Result{"a": {Right: 1, Total: 2}, "b": {Right: 2, Total: 4}}, "a1"},
		{"first lesson not done of the weakest topic", map[string]lessons.Progress{"b1": done}, map[string]lessons.Result{"a": {Right: 9, Total: 10}}, "b2"},
		{"weakest topic done: next weakest", map[string]lessons.Progress{"b1": done, "b2": done}, map[string]lessons.Result{"a": {Right: 9, Total: 10}}, "a1"},
		{"progress of a lesson no longer in the pack", map[string]lessons.Progress{"gone": {Page: 1, Seen: day(9)}}, nil, "a1"},
		{"all done", map[string]lessons.Progress{"a1": done, "a2": done, "b1": done, "b2": done}, nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := twoTopics.NextLesson(c.progress, c.quiz); got != c.want {
				t.Errorf("NextLesson(%v, %v) = %q, want %q", c.progress, c.quiz, got, c.want)
			}
		})
	}
}

func TestTopicComplete(t *testing.T) {
	done := lessons.Progress{Done: true}
	all := map[string]lessons.Progress{"a1": done, "a2": done}
	cases := []struct {
		name     string
		topic    string
		progress map[string]lessons.Progress
		best     lessons.Result
		want     bool
	}{
		{"all lessons and 80 %", "a", all, lessons.Result{Right: 8, Total: 10}, true},
		{"all lessons, 79 %", "a", all, lessons.Result{Right: 79, Total: 100}, false},
		{"a lesson unfinished", "a", map[string]lessons.Progress{"a1": done, "a2": {Page: 3}}, lessons.Result{Right: 10, Total: 10}, false},
		{"no quiz yet", "a", all, lessons.Result{}, false},
		{"unknown topic", "z", all, lessons.Result{Right: 10, Total: 10}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := twoTopics.TopicComplete(c.topic, c.progress, c.best); got != c.want {
				t.Errorf("TopicComplete(%q, %v, %v) = %v, want %v", c.topic, c.progress, c.best, got, c.want)
			}
		})
	}
}

func TestReminderFill(t *testing.T) {
	p, err := lessons.Load(genPack(valid)) // "Visit on <date> with <mentor>. Dial <code>.", mentor at most 20
	if err != nil {
		t.Fatal(err)
	}
	r, _ := p.Reminder(lessons.VisitBefore)
	values := map[string]string{"date": "Tue 3 Feb", "mentor": "Wanjiku Kamau Njoroge Otieno", "code": "*384*123#"}
	cases := []struct{ lang, want string }{
		{"en", "Visit on Tue 3 Feb with Wanjiku Kamau. Dial *384*123#."}, // a long name loses whole words
		{"sw", "Ziara tarehe Tue 3 Feb na Wanjiku Kamau. Piga *384*123#."},
	}
	for _, c := range cases {
		if got := r.Fill(c.lang, values); got != c.want {
			t.Errorf("Fill(%q, %v) = %q, want %q", c.lang, values, got, c.want)
		}
	}
}
