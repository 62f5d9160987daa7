package ussd

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/chanjo-health/chanjo/lessons"
)

// TestTurnPageIsReadThroughTheLearner checks the page turn on the session's
// learning against the long way it replaces (learner, read, learningOf):
// the same lessons in the same order, for random learnings of the pack.
func TestTurnPageIsReadThroughTheLearner(t *testing.T) {
	p, err := lessons.Default()
	if err != nil {
		t.Fatal(err)
	}
	fp := fingerprint(p)
	rng := rand.New(rand.NewPCG(1, 15))
	for n := range 500 {
		s := &Learning{Pack: fp}
		for _, i := range rng.Perm(len(p.Lessons))[:rng.IntN(len(p.Lessons)+1)] {
			s.Lessons = append(s.Lessons, LessonMark{Lesson: i, Page: rng.IntN(4), Done: rng.IntN(2) == 0})
		}
		for _, i := range rng.Perm(len(p.Topics))[:rng.IntN(len(p.Topics)+1)] {
			s.Quizzes = append(s.Quizzes, QuizMark{Topic: i, Attempts: 1 + rng.IntN(3)})
		}
		if !s.fits(p, fp) {
			t.Fatalf("case %d: a learning of the pack does not fit it: %+v", n, s)
		}
		i := rng.IntN(len(p.Lessons))
		page := rng.IntN(len(p.Lessons[i].Pages))

		l, ok := s.learner(p, fp)
		if !ok {
			t.Fatalf("case %d: learner refused %+v", n, s)
		}
		l.read(p.Lessons[i].ID, page, l.Progress[p.Lessons[i].ID].Done)
		want := learningOf(p, fp, l)

		got := s.clone()
		got.turnPage(i, page)
		if !reflect.DeepEqual(got.Lessons, want.Lessons) {
			t.Fatalf("case %d: turning page %d of lesson %d of %+v\n got %+v\nwant %+v", n, page, i, s.Lessons, got.Lessons, want.Lessons)
		}
		if got.done(i) != l.Progress[p.Lessons[i].ID].Done {
			t.Fatalf("case %d: done %v, the learner says %v", n, got.done(i), !got.done(i))
		}
	}
	for _, bad := range []*Learning{nil, {Pack: fp + 1}, {Pack: fp, Lessons: []LessonMark{{Lesson: len(p.Lessons)}}},
		{Pack: fp, Quizzes: []QuizMark{{Topic: -1}}}, {Pack: fp, Completed: []int{len(p.Topics)}},
		{Pack: fp, Assessed: []FormMark{{Form: len(lessons.Assessments)}}}} {
		if _, ok := bad.learner(p, fp); ok || bad.fits(p, fp) {
			t.Errorf("%+v: learner %v, fits %v; want both to refuse it", bad, ok, bad.fits(p, fp))
		}
	}
}
