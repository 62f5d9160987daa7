package ussd

import (
	"fmt"
	"strings"

	"github.com/chanjo-health/chanjo/lessons"
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
	lines := []string{c.T("My progress", "Maendeleo yangu")}
	for _, r := range c.m.pack.Report(l.Learner) {
		line := fmt.Sprintf(c.T("%s: %d/%d lessons", "%s: masomo %d/%d"), r.Topic.Title.In(c.Lang()), r.Done, r.Lessons)
		if r.Complete {
			line += c.T(", complete", ", imekamilika")
		}
		lines = append(lines, line)
	}
	avg, quizzes := l.QuizAverage(), 0
	for _, q := range l.Quiz {
		quizzes += q.Attempts
	}
	if quizzes == 0 {
		lines = append(lines, c.T("Quiz average: no quiz yet", "Wastani wa mazoezi: bado hujafanya"))
	} else {
		lines = append(lines, fmt.Sprintf(c.T("Quiz average: %d%% (%d quizzes)", "Wastani wa mazoezi: %d%% (mazoezi %d)"), percent(avg), quizzes))
	}
	for _, f := range lessons.Assessments {
		if r, ok := l.Assessed[f]; ok {
			lines = append(lines, fmt.Sprintf("%s: %d/%d (%d%%)", formName(c, f), r.Right, r.Total, percent(r)))
		}
	}
	if l.NextVisit.IsZero() {
		lines = append(lines, c.T("Next visit: none scheduled", "Ziara ijayo: haijapangwa"))
	} else {
		lines = append(lines, c.T("Next visit: ", "Ziara ijayo: ")+l.NextVisit.In(c.m.tz).Format("02/01/2006 15:04"))
	}
	return Menu(strings.Join(lines, "\n")), nil
}
