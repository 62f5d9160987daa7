package ussd

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/chanjo-health/chanjo/store"
)

// The states of logging a visit as done and finishing its checklist.
const (
	StVisitConfirm State = "vis.confirm" // Arg: visit id
	StVisitNotes   State = "vis.notes"   // Arg: visit id
)

var visitDoneTree = []Node{
	{State: StVisitConfirm, Show: showVisitConfirm, Input: visitConfirmInput},
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
	start := startOfDay(c.m.now(), c.zone())
	done, err := c.Store().RecentDoneVisits(c, c.S.Nurse.ID, start.Add(-recentDone))
	if err != nil {
		return nil, err
	}
	names, err := visitNames(c)
	if err != nil {
		return nil, err
	}
	total := len(c.m.pack.Checklist)
	var items []Item
	for _, v := range done {
		if v.Answered >= total && v.DoneAt.Time.Before(start) {
			continue
		}
		label := fmt.Sprintf(c.T("%s %s checklist %d/%d", "%s %s orodha %d/%d"),
			visitName(names, v.Visit), v.At.In(c.zone()).Format("02/01"), min(v.Answered, total), total)
		items = append(items, Item{Label: label, State: StVisitOne, Arg: itoa(v.ID)})
		if len(items) == maxUnfinished {
			break
		}
	}
	return items, nil
}

// visitAhead reports whether the visit's local day is after today: such a
// visit cannot be logged as done.
func visitAhead(c *Ctx, v store.Visit) bool {
	return !v.At.Before(startOfDay(c.m.now(), c.zone()).AddDate(0, 0, 1))
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
		return Menu(fmt.Sprintf(c.T("This visit is on %s. Log it as done on that day or later.",
			"Ziara hii ni tarehe %s. Irekodi kuwa imefanyika siku hiyo au baadaye."), day)), nil
	}
	return Menu(fmt.Sprintf(c.T("Did the visit to %s on %s take place? Her reminders of it will stop.",
		"Ziara kwa %s tarehe %s imefanyika? Vikumbusho vyake vitasimama."), v.MenteeName, day),
		Item{Label: c.T("Yes, log it as done", "Ndiyo, irekodi")}), nil
}

// visitConfirmInput logs the visit as done (again: no change) and opens its
// checklist; the store refuses a visit on a later day.
func visitConfirmInput(c *Ctx, in string) (Move, error) {
	v, ok, err := myVisit(c)
	if err != nil || !ok || in != "1" {
		return c.Invalid(), err
	}
	_, err = c.mentoring().MarkVisitDone(c, v.ID, time.Time{})
	switch {
	case errors.Is(err, store.ErrVisitAhead):
		return Retry(c.T("Not yet: this visit is on a later day.", "Bado: ziara hii ni siku ijayo.")), nil
	case errors.Is(err, store.ErrVisitClosed):
		return Retry(c.T("This visit was cancelled.", "Ziara hii imeghairiwa.")), nil
	case err != nil:
		return Move{}, err
	}
	return Replace(StVisitGaps, c.Arg()).Say(c.T("Visit logged as done.", "Ziara imerekodiwa.")), nil
}

func showVisitNotes(c *Ctx) (Screen, error) {
	v, ok, err := myVisit(c)
	if err != nil || !ok {
		return noVisit(c), err
	}
	return FreeText(fmt.Sprintf(c.T("Notes and agreed actions for %s, at most 160 letters. She gets them by SMS:",
		"Maelezo na makubaliano kwa %s, herufi 160 tu. Atayapata kwa SMS:"), v.MenteeName)), nil
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
		return Retry(c.T("Please type the notes.", "Tafadhali andika maelezo.")), nil
	case n > store.MaxVisitNotes:
		return Retry(fmt.Sprintf(c.T("Too long: %d letters, at most %d.", "Ni refu mno: herufi %d, %d tu."), n, store.MaxVisitNotes)), nil
	}
	err = c.Store().SaveVisitNotes(c, v.ID, notes, func(lang string) string { return notesSMS(c, lang, v, notes) })
	if err != nil {
		return Move{}, err
	}
	// The visit's screen, not the checklist's second page where Back would
	// land, so the notice and what is left to do show together.
	return Replace(StVisitOne, c.Arg()).Say(fmt.Sprintf(c.T("Notes sent to %s by SMS.", "Maelezo yametumwa kwa %s kwa SMS."), v.MenteeName)), nil
}

// notesSMS words the notes of visit v for the nurse visited, in her
// language lang.
func notesSMS(c *Ctx, lang string, v store.Visit, notes string) string {
	day := v.At.In(c.zone()).Format("02/01")
	if lang == "sw" {
		return fmt.Sprintf("Chanjo: maelezo ya ziara ya %s tarehe %s: %s", v.MentorName, day, notes)
	}
	return fmt.Sprintf("Chanjo: notes of %s's visit on %s: %s", v.MentorName, day, notes)
}
