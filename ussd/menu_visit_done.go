package ussd

import (
	"errors"
	"strings"
	"time"

	"github.com/chanjo-health/chanjo/lessons/i18n"
	"github.com/chanjo-health/chanjo/store"
)

// The states of logging a visit as done and finishing its checklist.
const (
	StVisitConfirm State = "vis.confirm" // ID: the visit
	StVisitNotes   State = "vis.notes"   // ID: the visit
)

var visitDoneTree = []Node{
	{State: StVisitConfirm, Show: showVisitConfirm},
	{State: StVisitNotes, Show: showVisitNotes, Input: visitNotesInput},
}

// recentDone is how far back a visit logged as done with its checklist
// unfinished is offered again on the visits screen; maxUnfinished bounds how
// many, so today's visits keep their room.
const (
	recentDone    = 7 * 24 * time.Hour
	maxUnfinished = 3
)

// unfinishedItems returns the visits of the last recentDone whose checklist
// is not complete, and those done today, as items opening them, the latest
// first.
func unfinishedItems(c *Ctx) ([]Item, error) {
	start := startOfDay(c.Now(), c.zone())
	done, err := storeOf[visitStore](c).RecentDoneVisits(c, c.S.Nurse.ID, start.Add(-recentDone))
	if err != nil {
		return nil, err
	}
	names, err := visitNames(c)
	if err != nil {
		return nil, err
	}
	total := len(c.Pack().Checklist)
	var items []Item
	for _, v := range done {
		if v.Answered >= total && v.DoneAt.Time.Before(start) {
			continue
		}
		label := c.Say("mentor.unfinished", "mentee", visitName(names, v.Visit), "day", v.At.In(c.zone()).Format("02/01"),
			"answered", min(v.Answered, total), "items", total)
		items = append(items, Item{Label: label, To: Frame{State: StVisitOne, ID: v.ID}})
		if len(items) == maxUnfinished {
			break
		}
	}
	return items, nil
}

// visitAhead reports whether the visit's local day is after today: such a
// visit cannot be logged as done.
func visitAhead(c *Ctx, v store.Visit) bool {
	return !v.At.Before(startOfDay(c.Now(), c.zone()).AddDate(0, 0, 1))
}

func showVisitConfirm(c *Ctx) (Screen, error) {
	v, ok, err := myVisit(c)
	if err != nil || !ok {
		return noVisit(c), err
	}
	if v.Status != store.VisitScheduled {
		return showVisit(c)
	}
	day := v.At.In(c.zone()).Format(dayLayout)
	if visitAhead(c, v) {
		return Menu(c.Say("mentor.visit_ahead", "date", day)), nil
	}
	return Menu(c.Say("mentor.log_done_ask", "mentee", v.MenteeName, "date", day),
		Item{Label: c.Say("mentor.log_done_yes"), Do: func(c *Ctx) (Move, error) { return logDone(c, v) }}), nil
}

// logDone logs the visit as done (again: no change) and opens its
// checklist; the store refuses a visit on a later day.
func logDone(c *Ctx, v store.Visit) (Move, error) {
	_, err := c.mentoring().MarkVisitDone(c, v.ID, time.Time{})
	switch {
	case errors.Is(err, store.ErrVisitAhead):
		return Retry(c.Say("mentor.visit_later")), nil
	case errors.Is(err, store.ErrVisitClosed):
		return Retry(c.Say("mentor.visit_was_cancelled")), nil
	case err != nil:
		return Move{}, err
	}
	return Replace(Frame{State: StVisitGaps, ID: v.ID}).Say(c.Say("mentor.visit_logged_as_done")), nil
}

func showVisitNotes(c *Ctx) (Screen, error) {
	v, ok, err := myVisit(c)
	if err != nil || !ok {
		return noVisit(c), err
	}
	return FreeText(c.Say("mentor.notes_prompt", "mentee", v.MenteeName)), nil
}

// visitNotesInput saves the notes and queues them to the nurse by SMS in one
// transaction.
func visitNotesInput(c *Ctx, in string) (Move, error) {
	v, ok, err := myVisit(c)
	if err != nil || !ok {
		return c.Invalid(), err
	}
	notes := strings.Join(strings.Fields(in), " ")
	switch n := len([]rune(notes)); {
	case n < minQuestion:
		return Retry(c.Say("mentor.please_type_notes")), nil
	case n > store.MaxVisitNotes:
		return Retry(c.Say("mentor.notes_long", "letters", n, "most", store.MaxVisitNotes)), nil
	}
	err = storeOf[visitStore](c).SaveVisitNotes(c, v.ID, notes, notesSMS(c, v, notes))
	if err != nil {
		return Move{}, err
	}
	// The visit's screen, not the checklist's second page where Back would
	// land, so the notice and what is left to do show together.
	return Replace(Frame{State: StVisitOne, ID: v.ID}).Say(c.Say("mentor.notes_sent", "mentee", v.MenteeName)), nil
}

// notesSMS words the notes of visit v for the nurse visited in each of the
// pack's languages (the store picks hers); the mentor's notes follow the
// pack's words whole.
func notesSMS(c *Ctx, v store.Visit, notes string) i18n.Text {
	sms := i18n.Text{}
	for _, lang := range c.Pack().LanguageCodes() {
		sms[lang] = c.Pack().Say(lang, "mentor.notes_sms", "mentor", v.MentorName, "day", v.At.In(c.zone()).Format("02/01")) + " " + notes
	}
	return sms
}
