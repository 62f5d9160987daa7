package admin

import (
	"slices"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/store"
)

// checklistLine is one checklist item of a visit with the mentor's answer.
type checklistLine struct {
	ItemID string
	Topic  string
	Text   lessons.Text
	Answer string // store.AnswerDone, AnswerPartly, AnswerNotDone, or "" (not answered)
}

// AnswerText is the answer as people read it.
func (l checklistLine) AnswerText() string {
	switch l.Answer {
	case store.AnswerDone:
		return "done"
	case store.AnswerPartly:
		return "partly"
	case store.AnswerNotDone:
		return "not done"
	}
	return "not answered"
}

// checklistLines returns the content pack's checklist in its order with
// the visit's answers, followed by answers to items the pack no longer
// has (shown by id, so no answer is hidden).
func checklistLines(items []lessons.ChecklistItem, answers map[string]string) []checklistLine {
	lines := make([]checklistLine, 0, len(items))
	known := map[string]bool{}
	for _, it := range items {
		known[it.ID] = true
		lines = append(lines, checklistLine{ItemID: it.ID, Topic: it.Topic, Text: it.Text, Answer: answers[it.ID]})
	}
	var gone []string
	for id := range answers {
		if !known[id] {
			gone = append(gone, id)
		}
	}
	slices.Sort(gone)
	for _, id := range gone {
		lines = append(lines, checklistLine{ItemID: id, Answer: answers[id]})
	}
	return lines
}
