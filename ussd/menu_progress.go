package ussd

import (
	"fmt"
	"strings"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/percent"
)

var progressTree = []Node{
	{State: StProgress, Show: showProgress},
}

// showProgress shows her lessons done per topic, her quiz average, her
// assessment results and her next mentorship visit (in CHANJO_TZ). It reads
// the learner the session keeps, loaded once per session; a long report
// goes on over "98 More" pages.
func showProgress(c *Ctx) (Screen, error) {
	l, err := learnerOf(c)
	if err != nil {
		return Screen{}, err
	}
	lines := []string{c.Say("progress.title")}
	for _, r := range c.Pack().Report(l.Learner) {
		key := "progress.topic"
		if r.Complete {
			key = "progress.topic_complete"
		}
		lines = append(lines, c.Say(key, "topic", r.Topic.Title.In(c.Lang()), "done", r.Done, "total", r.Lessons))
	}
	avg, quizzes := l.QuizAverage(), 0
	for _, q := range l.Quiz {
		quizzes += q.Attempts
	}
	if quizzes == 0 {
		lines = append(lines, c.Say("progress.no_quiz"))
	} else {
		lines = append(lines, c.Say("progress.quiz", "percent", percent.Whole(avg.Right, avg.Total), "count", quizzes))
	}
	for _, f := range lessons.Assessments {
		if r, ok := l.Assessed[f]; ok {
			lines = append(lines, fmt.Sprintf("%s: %d/%d (%d%%)", formName(c, f), r.Right, r.Total, percent.Whole(r.Right, r.Total)))
		}
	}
	if l.NextVisit.IsZero() {
		lines = append(lines, c.Say("progress.no_visit"))
	} else {
		at := l.NextVisit.In(c.zone())
		lines = append(lines, c.Say("progress.visit", "date", at.Format("02/01/2006"), "time", at.Format("15:04")))
	}
	return Menu(strings.Join(lines, "\n")), nil
}
