package ussd

import (
	"fmt"
	"strings"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/store"
)

// StVisitMentee is one mentee's progress. ID: the mentee.
const StVisitMentee State = "vis.mentee"

// showMenteeProgress lists the mentor's mentees, each opening her progress.
func showMenteeProgress(c *Ctx) (Screen, error) {
	ms, err := storeOf[visitStore](c).Mentees(c, c.S.Nurse.ID)
	if err != nil {
		return Screen{}, err
	}
	if len(ms) == 0 {
		return Menu(c.Say("mentor.have_no_mentees_yet")), nil
	}
	labels := menteeLabels(ms)
	items := make([]Item, len(ms))
	for i, m := range ms {
		items[i] = Item{Label: labels[m.ID], To: Frame{State: StVisitMentee, ID: m.ID}}
	}
	// A long list is paged by the renderer, with "98 More".
	return Menu(c.Say("mentor.mentees_progress_title"), items...), nil
}

// showMentee shows a mentee's lessons done, quiz average and assessments,
// with the change from her first assessment to her last; her facility and
// the end of her number tell her from a namesake.
func showMentee(c *Ctx) (Screen, error) {
	m, ok, err := mentee(c)
	if err != nil || !ok {
		return Menu(c.Say("mentor.not_your_mentee")), err
	}
	scores, err := storeOf[visitStore](c).WorkerAssessments(c, m.ID)
	if err != nil {
		return Screen{}, err
	}
	lines := []string{m.Name + " " + phoneEnd(m.Phone)}
	if m.Facility != "" {
		lines = append(lines, cut(m.Facility, 30))
	}
	lines = append(lines, c.Say("mentor.lessons_done", "tally", m.LessonsDone))
	quiz := c.Say("mentor.quiz_average_none")
	if m.Quizzes > 0 {
		quiz = c.Say("mentor.quiz_average", "percent", m.QuizPercent(), "tally", m.Quizzes)
	}
	lines = append(lines, quiz)
	if len(scores) == 0 {
		lines = append(lines, c.Say("mentor.no_assessment_yet"))
	}
	for _, f := range scores {
		lines = append(lines, fmt.Sprintf("%s: %d%%", formName(c, lessons.Form(f.Form)), f.Percent()))
	}
	if len(scores) > 1 {
		change := scores[len(scores)-1].Percent() - scores[0].Percent()
		lines = append(lines, c.Say("mentor.change_points", "points", fmt.Sprintf("%+d", change)))
	}
	return Menu(strings.Join(lines, "\n")), nil
}

// phoneEnd is the end of a number that tells two people of one name apart.
func phoneEnd(phone string) string {
	if len(phone) <= 3 {
		return phone
	}
	return phone[len(phone)-3:]
}

// menteeLabels names each mentee, with the end of her number when another
// mentee has the same name.
func menteeLabels(ms []store.Mentee) map[int64]string {
	count := map[string]int{}
	for _, m := range ms {
		count[m.Name]++
	}
	labels := make(map[int64]string, len(ms))
	for _, m := range ms {
		labels[m.ID] = m.Name
		if count[m.Name] > 1 {
			labels[m.ID] += " " + phoneEnd(m.Phone)
		}
	}
	return labels
}

// visitNames returns how visit screens name the mentor's mentees, by id:
// with the end of the number when two share a name.
func visitNames(c *Ctx) (map[int64]string, error) {
	ms, err := storeOf[visitStore](c).Mentees(c, c.S.Nurse.ID)
	return menteeLabels(ms), err
}

// visitName is the mentee of v as names (from visitNames) shows her; a
// mentee no longer paired keeps her plain name.
func visitName(names map[int64]string, v store.Visit) string {
	if n, ok := names[v.MenteeID]; ok {
		return n
	}
	return v.MenteeName
}
