package ussd

import (
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/store"
)

// varLearner keeps the nurse's learning in the session: loaded once per
// session, then kept up to date by the menus, so that reading and
// navigating cost no SQL.
const varLearner = "ln"

// learner is what the lesson, quiz and progress menus know of the nurse.
type learner struct {
	lessons.Learner
	Assessed  map[lessons.Form]lessons.Result // finished assessments
	NextVisit time.Time                       // zero: none scheduled
}

// learnerOf loads the learner from the session, or once per session from
// the store.
func learnerOf(c *Ctx) (*learner, error) {
	if l, ok := decodeLearner(c.m.pack, c.S.Var(varLearner)); ok {
		return l, nil
	}
	sum, err := c.Store().ProgressSummary(c, c.S.Nurse.ID)
	if err != nil {
		return nil, err
	}
	l := learnerFromSummary(sum)
	keepLearner(c, l)
	return l, nil
}

// keepLearner writes l back into the session.
func keepLearner(c *Ctx, l *learner) { c.S.SetVar(varLearner, encodeLearner(c.m.pack, l)) }

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

// The session keeps the learner as text, by the positions of lessons and
// topics in the pack, to keep the session small:
//
//	fingerprint|lessons|quizzes|completed|assessments|next visit
//
// lessons: "index.page" with a "d" when done, oldest read first; quizzes:
// "topic.attempts.bestRight.bestTotal.allRight.allTotal"; completed: topic
// indexes; assessments: "form.right.total"; the visit in Unix seconds. A
// pack that changed (a restart with new content) has another fingerprint:
// the learner is loaded again.
func encodeLearner(p *lessons.Pack, l *learner) string {
	b := make([]byte, 0, 64)
	b = append(b, fingerprint(p)...)
	byAge := make([]int, 0, len(l.Progress))
	for i, x := range p.Lessons {
		if _, ok := l.Progress[x.ID]; ok {
			byAge = append(byAge, i)
		}
	}
	slices.SortStableFunc(byAge, func(a, b int) int {
		return l.Progress[p.Lessons[a].ID].Seen.Compare(l.Progress[p.Lessons[b].ID].Seen)
	})
	b, start := append(b, '|'), len(b)+1
	for _, i := range byAge {
		pr := l.Progress[p.Lessons[i].ID]
		b = appendInts(b, start, i, pr.Page)
		if pr.Done {
			b = append(b, 'd')
		}
	}
	b, start = append(b, '|'), len(b)+1
	for i, t := range p.Topics {
		if q, ok := l.Quiz[t.ID]; ok {
			b = appendInts(b, start, i, q.Attempts, q.Best.Right, q.Best.Total, q.All.Right, q.All.Total)
		}
	}
	b, start = append(b, '|'), len(b)+1
	for i, t := range p.Topics {
		if l.Completed[t.ID] {
			b = appendInts(b, start, i)
		}
	}
	b, start = append(b, '|'), len(b)+1
	for i, f := range lessons.Assessments {
		if r, ok := l.Assessed[f]; ok {
			b = appendInts(b, start, i, r.Right, r.Total)
		}
	}
	b = append(b, '|')
	if !l.NextVisit.IsZero() {
		b = strconv.AppendInt(b, l.NextVisit.Unix(), 10)
	}
	return string(b)
}

// appendInts appends one entry of a list that starts at b[start:]: a comma
// unless it is the first, then the numbers joined by dots.
func appendInts(b []byte, start int, n ...int) []byte {
	if len(b) > start {
		b = append(b, ',')
	}
	for i, x := range n {
		if i > 0 {
			b = append(b, '.')
		}
		b = strconv.AppendInt(b, int64(x), 10)
	}
	return b
}

// decodeLearner reads what encodeLearner wrote for the same pack; false for
// anything else (no learner yet, another pack, a damaged value).
func decodeLearner(p *lessons.Pack, s string) (*learner, bool) {
	f := strings.Split(s, "|")
	if len(f) != 6 || f[0] != fingerprint(p) {
		return nil, false
	}
	l := &learner{Assessed: map[lessons.Form]lessons.Result{}}
	l.Progress, l.Quiz, l.Completed = map[string]lessons.Progress{}, map[string]lessons.TopicQuiz{}, map[string]bool{}
	ok := eachInts(f[1], 2, func(age int, n []int, done bool) {
		l.Progress[p.Lessons[n[0]].ID] = lessons.Progress{Page: n[1], Done: done, Seen: time.Unix(int64(age+1), 0).UTC()}
	}, len(p.Lessons))
	ok = ok && eachInts(f[2], 6, func(_ int, n []int, _ bool) {
		l.Quiz[p.Topics[n[0]].ID] = lessons.TopicQuiz{Attempts: n[1],
			Best: lessons.Result{Right: n[2], Total: n[3]}, All: lessons.Result{Right: n[4], Total: n[5]}}
	}, len(p.Topics))
	ok = ok && eachInts(f[3], 1, func(_ int, n []int, _ bool) { l.Completed[p.Topics[n[0]].ID] = true }, len(p.Topics))
	ok = ok && eachInts(f[4], 3, func(_ int, n []int, _ bool) {
		l.Assessed[lessons.Assessments[n[0]]] = lessons.Result{Right: n[1], Total: n[2]}
	}, len(lessons.Assessments))
	if f[5] != "" {
		sec, err := strconv.ParseInt(f[5], 10, 64)
		ok = ok && err == nil
		l.NextVisit = time.Unix(sec, 0).UTC()
	}
	return l, ok
}

// eachInts calls fn with each comma-separated entry of s: want numbers
// separated by dots, the first an index below limit, optionally followed by
// "d". It reports false for an entry that is not so.
func eachInts(s string, want int, fn func(i int, n []int, d bool), limit int) bool {
	if s == "" {
		return true
	}
	var buf [6]int // want is at most 6
	n := buf[:want]
	for i, more := 0, true; more; i++ {
		var e string
		e, s, more = strings.Cut(s, ",")
		e, d := strings.CutSuffix(e, "d")
		for k := range n {
			x, rest, dot := strings.Cut(e, ".")
			v, err := strconv.Atoi(x)
			if err != nil || v < 0 || dot != (k < want-1) {
				return false
			}
			n[k], e = v, rest
		}
		if n[0] >= limit {
			return false
		}
		fn(i, n, d)
	}
	return true
}

// fingerprints caches fingerprint by pack: a pack is loaded once and never
// changes, and the fingerprint is checked on every hop that reads a learner.
var fingerprints sync.Map

// fingerprint names the pack's lessons and topics, in order.
func fingerprint(p *lessons.Pack) string {
	if f, ok := fingerprints.Load(p); ok {
		return f.(string)
	}
	h := fnv.New32a()
	for _, t := range p.Topics {
		fmt.Fprintf(h, "%s\n", t.ID)
	}
	for _, l := range p.Lessons {
		fmt.Fprintf(h, "%s\n", l.ID)
	}
	f := strconv.FormatUint(uint64(h.Sum32()), 36)
	fingerprints.Store(p, f)
	return f
}
