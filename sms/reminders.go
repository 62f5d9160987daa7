package sms

import (
	"context"
	"fmt"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/mentoring"
	"github.com/chanjo-health/chanjo/store"
)

// compose returns the text of the due reminder r, in the worker's language,
// from the pack's rule.
func (s *Scheduler) compose(ctx context.Context, r store.DueReminder) (string, error) {
	rule, ok := s.pack.Reminder(r.Rule)
	if !ok {
		return "", fmt.Errorf("sms: reminder %d: the content pack has no rule %q", r.ID, r.Rule)
	}
	values := map[string]string{"code": s.cfg.USSDCode}
	var err error
	switch r.Rule {
	case lessons.VisitBefore:
		var toMentor bool
		if toMentor, err = s.visitValues(ctx, r, values); toMentor && len(rule.MentorText) > 0 {
			rule = rule.ForMentor()
		} else if toMentor {
			values["mentor"] = values["mentee"] // a pack without mentor_text: the nurse's text names the other person
		}
	case lessons.VisitReview:
		var topic string
		if topic, err = s.db.WeakestChecklistTopic(ctx, r.WorkerID, s.itemTopics); err == nil {
			values["lesson"], err = s.lessonTitle(ctx, r, topic)
		}
	default:
		values["lesson"], err = s.lessonTitle(ctx, r, "")
	}
	if err != nil {
		return "", fmt.Errorf("sms: reminder %d: %w", r.ID, err)
	}
	return rule.Fill(r.Language, values), nil
}

// visitValues fills the visit's date and the mentor's and mentee's names,
// and reports whether the reminder goes to the mentor.
func (s *Scheduler) visitValues(ctx context.Context, r store.DueReminder, values map[string]string) (toMentor bool, err error) {
	v, err := s.db.Visit(ctx, r.VisitID.Int64)
	if err != nil {
		return false, err
	}
	values["date"] = v.At.In(s.cfg.TZ).Format(mentoring.DateLayout)
	values["mentor"], values["mentee"] = v.MentorName, v.MenteeName
	return r.WorkerID == v.MentorID, nil
}

// lessonTitle returns the title of the lesson the reminder offers: in topic,
// the first she has not done (else its first); with no topic, the lesson
// "Lessons" offers her (Pack.Continue: her unfinished one, else her weakest
// topic's next), or, when she has done them all, her weakest topic's first.
func (s *Scheduler) lessonTitle(ctx context.Context, r store.DueReminder, topic string) (string, error) {
	l, err := s.learner(ctx, r.WorkerID)
	if err != nil {
		return "", err
	}
	var id string
	if ls := s.pack.LessonsOf(topic); len(ls) > 0 {
		id = ls[0].ID
		for _, x := range ls {
			if !l.Progress[x.ID].Done {
				id = x.ID
				break
			}
		}
	} else if id, _ = s.pack.Continue(l); id == "" {
		id = s.pack.NextLesson(nil, average(l))
	}
	lesson, _ := s.pack.Lesson(id)
	return lesson.Title.In(r.Language), nil
}

// learner loads what the pack's engine needs of her learning.
func (s *Scheduler) learner(ctx context.Context, workerID int64) (lessons.Learner, error) {
	progress, err := s.db.LessonProgress(ctx, workerID)
	if err != nil {
		return lessons.Learner{}, err
	}
	quiz, err := s.db.QuizResults(ctx, workerID)
	if err != nil {
		return lessons.Learner{}, err
	}
	l := lessons.Learner{Progress: map[string]lessons.Progress{}, Quiz: map[string]lessons.TopicQuiz{}}
	for id, p := range progress {
		l.Progress[id] = lessons.Progress(p)
	}
	for topic, q := range quiz.Practice {
		l.Quiz[topic] = lessons.TopicQuiz{Attempts: q.Attempts, Best: lessons.Result(q.Best), All: lessons.Result(q.All)}
	}
	return l, nil
}

// average returns her quiz average by topic.
func average(l lessons.Learner) map[string]lessons.Result {
	avg := make(map[string]lessons.Result, len(l.Quiz))
	for t, q := range l.Quiz {
		avg[t] = q.All
	}
	return avg
}
