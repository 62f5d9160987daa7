package ussd

import (
	"fmt"
	"hash/fnv"
	"slices"
	"time"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/store"
)

// learner is what the lesson, quiz and progress menus know of the nurse.
type learner struct {
	lessons.Learner
	Assessed  map[lessons.Form]lessons.Result // finished assessments
	NextVisit time.Time                       // zero: none scheduled
}

// learnerOf loads the learner from the session, or once per session from
// the store: kept up to date by the menus, so that reading and navigating
// cost no SQL.
func learnerOf(c *Ctx) (*learner, error) {
	if l, ok := c.S.Learning.learner(c.Pack(), c.packPrint()); ok {
		return l, nil
	}
	sum, err := storeOf[learningStore](c).ProgressSummary(c, c.S.Nurse.ID)
	if err != nil {
		return nil, err
	}
	l := learnerFromSummary(sum)
	keepLearner(c, l)
	return l, nil
}

// complete notes that she completed topic.
func (l *learner) complete(topic string) {
	if l.Completed == nil {
		l.Completed = map[string]bool{}
	}
	l.Completed[topic] = true
}

// keepLearner writes l back into the session.
func keepLearner(c *Ctx, l *learner) { c.S.Learning = learningOf(c.Pack(), c.packPrint(), l) }

func learnerFromSummary(s store.Summary) *learner {
	l := &learner{Assessed: map[lessons.Form]lessons.Result{}}
	l.Progress = make(map[string]lessons.Progress, len(s.Lessons))
	for id, st := range s.Lessons {
		l.Progress[id] = lessons.Progress(st)
	}
	l.Quiz = make(map[string]lessons.TopicQuiz, len(s.Quiz.Practice))
	for t, q := range s.Quiz.Practice {
		l.Quiz[t] = lessons.TopicQuiz{Attempts: q.Attempts, Best: lessons.Result(q.Best), All: lessons.Result(q.All)}
	}
	for f, r := range s.Quiz.Assessments {
		l.Assessed[lessons.Form(f)] = lessons.Result(r)
	}
	l.Completed = make(map[string]bool, len(s.Completed))
	for _, t := range s.Completed {
		l.Completed[t] = true
	}
	if s.NextVisit.Valid {
		l.NextVisit = s.NextVisit.Time
	}
	return l
}

// read notes that she reached page of lesson: it becomes the lesson she read
// last. Only the order of reading matters to Continue, so the time is one
// tick after the latest, whatever the clock says.
func (l *learner) read(lesson string, page int, done bool) {
	var last time.Time
	for _, pr := range l.Progress {
		if pr.Seen.After(last) {
			last = pr.Seen
		}
	}
	l.Read(lesson, page, done, last.Add(time.Second))
}

// Learning is the learner as the session keeps it, small: lessons and
// topics by their positions in the pack whose fingerprint Pack is. A pack
// that changed (a restart with new content) has another fingerprint: the
// learner is loaded again.
type Learning struct {
	Pack      uint32
	Lessons   []LessonMark // oldest read first
	Quizzes   []QuizMark
	Completed []int // topics
	Assessed  []FormMark
	NextVisit int64 // Unix seconds; 0: none
}

// LessonMark is how far she read a lesson (its position in the pack).
type LessonMark struct {
	Lesson, Page int
	Done         bool
}

// QuizMark is her practice on a topic (its position in the pack).
type QuizMark struct {
	Topic, Attempts int
	Best, All       lessons.Result
}

// FormMark is her score on an assessment form (its position in
// lessons.Assessments).
type FormMark struct {
	Form  int
	Score lessons.Result
}

func (l *Learning) clone() *Learning {
	if l == nil {
		return nil
	}
	c := *l
	c.Lessons, c.Quizzes = slices.Clone(c.Lessons), slices.Clone(c.Quizzes)
	c.Completed, c.Assessed = slices.Clone(c.Completed), slices.Clone(c.Assessed)
	return &c
}

// learningOf writes l for the session.
func learningOf(p *lessons.Pack, fp uint32, l *learner) *Learning {
	out := &Learning{Pack: fp}
	for i, x := range p.Lessons {
		if pr, ok := l.Progress[x.ID]; ok {
			out.Lessons = append(out.Lessons, LessonMark{Lesson: i, Page: pr.Page, Done: pr.Done})
		}
	}
	slices.SortStableFunc(out.Lessons, func(a, b LessonMark) int {
		return l.Progress[p.Lessons[a.Lesson].ID].Seen.Compare(l.Progress[p.Lessons[b.Lesson].ID].Seen)
	})
	for i, t := range p.Topics {
		if q, ok := l.Quiz[t.ID]; ok {
			out.Quizzes = append(out.Quizzes, QuizMark{Topic: i, Attempts: q.Attempts, Best: q.Best, All: q.All})
		}
		if l.Completed[t.ID] {
			out.Completed = append(out.Completed, i)
		}
	}
	for i, f := range lessons.Assessments {
		if r, ok := l.Assessed[f]; ok {
			out.Assessed = append(out.Assessed, FormMark{Form: i, Score: r})
		}
	}
	if !l.NextVisit.IsZero() {
		out.NextVisit = l.NextVisit.Unix()
	}
	return out
}

// learner reads what learningOf wrote for the same pack; false for another
// pack or positions the pack does not have.
func (s *Learning) learner(p *lessons.Pack, fp uint32) (*learner, bool) {
	if s == nil || s.Pack != fp {
		return nil, false
	}
	l := &learner{Assessed: make(map[lessons.Form]lessons.Result, len(s.Assessed))}
	l.Progress, l.Quiz = make(map[string]lessons.Progress, len(s.Lessons)), make(map[string]lessons.TopicQuiz, len(s.Quizzes))
	l.Completed = make(map[string]bool, len(s.Completed))
	for age, m := range s.Lessons {
		if m.Lesson < 0 || m.Lesson >= len(p.Lessons) {
			return nil, false
		}
		// Only the order of reading matters to Continue.
		l.Progress[p.Lessons[m.Lesson].ID] = lessons.Progress{Page: m.Page, Done: m.Done, Seen: time.Unix(int64(age+1), 0).UTC()}
	}
	for _, q := range s.Quizzes {
		if q.Topic < 0 || q.Topic >= len(p.Topics) {
			return nil, false
		}
		l.Quiz[p.Topics[q.Topic].ID] = lessons.TopicQuiz{Attempts: q.Attempts, Best: q.Best, All: q.All}
	}
	for _, t := range s.Completed {
		if t < 0 || t >= len(p.Topics) {
			return nil, false
		}
		l.Completed[p.Topics[t].ID] = true
	}
	for _, f := range s.Assessed {
		if f.Form < 0 || f.Form >= len(lessons.Assessments) {
			return nil, false
		}
		l.Assessed[lessons.Assessments[f.Form]] = f.Score
	}
	if s.NextVisit != 0 {
		l.NextVisit = time.Unix(s.NextVisit, 0).UTC()
	}
	return l, true
}

// fits reports whether s is the learning of pack p, whose fingerprint is
// fp, every position in it one of p's: what learner requires to read it.
func (s *Learning) fits(p *lessons.Pack, fp uint32) bool {
	if s == nil || s.Pack != fp {
		return false
	}
	for _, m := range s.Lessons {
		if m.Lesson < 0 || m.Lesson >= len(p.Lessons) {
			return false
		}
	}
	for _, q := range s.Quizzes {
		if q.Topic < 0 || q.Topic >= len(p.Topics) {
			return false
		}
	}
	for _, t := range s.Completed {
		if t < 0 || t >= len(p.Topics) {
			return false
		}
	}
	for _, f := range s.Assessed {
		if f.Form < 0 || f.Form >= len(lessons.Assessments) {
			return false
		}
	}
	return true
}

// done reports whether she finished the lesson at position i; as in
// learner, the last mark of a lesson counts.
func (s *Learning) done(i int) bool {
	done := false
	for _, m := range s.Lessons {
		if m.Lesson == i {
			done = m.Done
		}
	}
	return done
}

// turnPage notes on s itself, which fits the pack, that she reached page,
// a screen before the key point, of the lesson at position i: the lesson
// becomes the one she read last, keeping whether she finished it. It is
// learner, learner.read and learningOf in one, without their maps: most
// lesson hops turn a page, and building her learner was 8 % of the dial
// walk's CPU (docs/performance.md, "The lesson and dial walks after
// i15-walk").
func (s *Learning) turnPage(i, page int) {
	done := s.done(i)
	s.Lessons = slices.DeleteFunc(s.Lessons, func(m LessonMark) bool { return m.Lesson == i })
	s.Lessons = append(s.Lessons, LessonMark{Lesson: i, Page: page, Done: done})
}

// lessonIndex returns the position of lesson id in p, -1 when p has none.
func lessonIndex(p *lessons.Pack, id string) int {
	for i := range p.Lessons {
		if p.Lessons[i].ID == id {
			return i
		}
	}
	return -1
}

// fingerprint names the pack's lessons and topics, in order: the machine
// computes it once (Ctx.packPrint).
func fingerprint(p *lessons.Pack) uint32 {
	h := fnv.New32a()
	for _, t := range p.Topics {
		fmt.Fprintf(h, "%s\n", t.ID)
	}
	for _, l := range p.Lessons {
		fmt.Fprintf(h, "%s\n", l.ID)
	}
	return h.Sum32()
}
