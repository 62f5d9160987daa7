package lessons

import (
	"time"
)

// TopicQuiz is a nurse's finished practice quizzes on one topic.
type TopicQuiz struct {
	Attempts int
	Best     Result // the attempt with the highest score
	All      Result // every attempt added up: its percentage is her average
}

// Learner is what the menus know of one nurse's learning, loaded once per
// session and kept up to date as she reads and answers, so that a hop that
// only navigates needs no query.
type Learner struct {
	Progress  map[string]Progress  // by lesson id
	Quiz      map[string]TopicQuiz // by topic id: practice quizzes
	Completed map[string]bool      // topics whose completion is recorded
}

// Read notes that she reached screen page of lesson at time at; done marks
// the lesson finished, and a finished lesson stays finished when she reads
// it again.
func (l *Learner) Read(lesson string, page int, done bool, at time.Time) {
	if l.Progress == nil {
		l.Progress = map[string]Progress{}
	}
	done = done || l.Progress[lesson].Done
	l.Progress[lesson] = Progress{Page: page, Done: done, Seen: at}
}

// Scored notes a finished practice quiz on topic.
func (l *Learner) Scored(topic string, r Result) {
	if l.Quiz == nil {
		l.Quiz = map[string]TopicQuiz{}
	}
	q := l.Quiz[topic]
	if q.Attempts == 0 || q.Best.less(r) {
		q.Best = r
	}
	q.Attempts++
	q.All = q.All.Add(r)
	l.Quiz[topic] = q
}

// QuizAverage returns all her practice quizzes added up.
func (l Learner) QuizAverage() Result {
	var all Result
	for _, q := range l.Quiz {
		all = all.Add(q.All)
	}
	return all
}

// Continue returns the lesson "Lessons" offers her and the screen to open
// it at: the unfinished lesson she read last, at its page, else the next
// lesson of her weakest topic by quiz average (see NextLesson), at its
// first screen. The lesson is "" when she has done them all.
func (p *Pack) Continue(l Learner) (lesson string, page int) {
	avg := make(map[string]Result, len(l.Quiz))
	for t, q := range l.Quiz {
		avg[t] = q.All
	}
	id := p.NextLesson(l.Progress, avg)
	if pr, ok := l.Progress[id]; ok && !pr.Done {
		return id, pr.Page
	}
	return id, 0
}

// NewlyComplete reports whether she has just completed topic: it is
// complete (TopicComplete, with her best quiz) and not yet recorded. Ask
// after she finishes a lesson or a practice quiz of the topic; when it
// says true, record the completion and send Congratulation.
func (p *Pack) NewlyComplete(l Learner, topic string) bool {
	return !l.Completed[topic] && p.TopicComplete(topic, l.Progress, l.Quiz[topic].Best)
}

// TopicReport is one topic's line of "My progress".
type TopicReport struct {
	Topic    Topic
	Done     int // lessons finished
	Lessons  int // lessons in the topic
	Quiz     TopicQuiz
	Complete bool
}

// Report returns her progress in each topic, in topic order. A completion
// once recorded stays, even if lessons are added to the pack later.
func (p *Pack) Report(l Learner) []TopicReport {
	rs := make([]TopicReport, 0, len(p.Topics))
	for _, t := range p.Topics {
		r := TopicReport{Topic: t, Quiz: l.Quiz[t.ID]}
		for _, ls := range p.LessonsOf(t.ID) {
			r.Lessons++
			if l.Progress[ls.ID].Done {
				r.Done++
			}
		}
		r.Complete = l.Completed[t.ID] || p.TopicComplete(t.ID, l.Progress, r.Quiz.Best)
		rs = append(rs, r)
	}
	return rs
}

// Certificate returns the SMS that certifies that the nurse named name
// completed topic t on date (YYYY-MM-DD), with the certificate's code, which
// anyone can check at /verify/CODE, in lang (catalogue sms.certificate).
func (p *Pack) Certificate(t Topic, lang, name, date, code string) string {
	return p.Say(lang, "sms.certificate", "name", name, "date", date, "topic", t.Title.In(lang),
		"percent", PassPercent, "code", code)
}
