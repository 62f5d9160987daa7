package ussd

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/store"
)

// The states of "7 Mentor visit". Visits are read in CHANJO_TZ.
const (
	StVisitUpcoming State = "vis.upcoming" // Arg: offset in the list
	StVisitOne      State = "vis.one"      // Arg: visit id
	StVisitGaps     State = "vis.gaps"     // Arg: visit id
	StVisitItem     State = "vis.item"     // Arg: visit id:topic:item index
	StVisitNext     State = "vis.next"     // Arg: id of the visit done
	StVisitSaved    State = "vis.saved"    // Arg: id of the next visit
	StVisitMentees  State = "vis.mentees"  // Arg: offset in the list
	StVisitNew      State = "vis.new"      // Arg: mentee id
	StVisitMove     State = "vis.move"     // Arg: visit id
	StVisitCancel   State = "vis.cancel"   // Arg: visit id
	StVisitProgress State = "vis.progress" // Arg: offset in the list
)

var visitTree = []Node{
	{State: StVisit, Show: showVisits},
	{State: StVisitUpcoming, Show: showUpcoming},
	{State: StVisitOne, Show: showVisit},
	{State: StVisitGaps, Show: showGaps},
	{State: StVisitItem, Show: showItem, Input: itemInput},
	{State: StVisitNext, Show: showVisitDate("Date of the next visit to %s", "Tarehe ya ziara ijayo kwa %s"),
		Input: onVisitDay(scheduleNext)},
	{State: StVisitSaved, Show: showVisitSaved},
	{State: StVisitMentees, Show: showMentees},
	{State: StVisitNew, Show: showNewVisit, Input: newVisitInput},
	{State: StVisitMove, Show: showVisitDate("New date of the visit to %s", "Tarehe mpya ya ziara kwa %s"),
		Input: onVisitDay(moveVisit)},
	{State: StVisitCancel, Show: showCancelVisit, Input: cancelVisitInput},
	{State: StVisitProgress, Show: showMenteeProgress},
	{State: StVisitMentee, Show: showMentee},
}

// Date layouts on screen: the same in both languages.
const (
	dayLayout   = "02/01/2006"
	shortLayout = "02/01 15:04"
)

func showVisits(c *Ctx) (Screen, error) {
	if c.S.Nurse.Role != store.RoleMentor {
		return Menu(c.T("Mentor visits are for mentors.", "Ziara za ushauri ni kwa washauri.")), nil
	}
	today, upcoming, err := c.Store().MentorVisits(c, c.zone(), c.S.Nurse.ID)
	if err != nil {
		return Screen{}, err
	}
	text := c.T("Visits today:", "Ziara za leo:")
	if len(today) == 0 {
		text = c.T("No visit today.", "Hakuna ziara leo.")
	}
	// Visits logged as done with their checklist unfinished come first, so
	// a mentor who hung up half-way finds it again.
	items, err := unfinishedItems(c)
	if err != nil {
		return Screen{}, err
	}
	names, err := visitNames(c)
	if err != nil {
		return Screen{}, err
	}
	start := startOfDay(c.m.now(), c.zone())
	for _, v := range today {
		when := v.At.In(c.zone()).Format("15:04")
		if v.At.Before(start) {
			when = v.At.In(c.zone()).Format(shortLayout)
		}
		items = append(items, Item{Label: visitName(names, v) + " " + when, State: StVisitOne, Arg: itoa(v.ID)})
	}
	items = append(items,
		Item{Label: fmt.Sprintf(c.T("Upcoming visits (%d)", "Ziara zijazo (%d)"), len(upcoming)), State: StVisitUpcoming, Arg: "0"},
		Item{Label: c.T("Schedule a visit", "Panga ziara"), State: StVisitMentees, Arg: "0"},
		Item{Label: c.T("Mentees' progress", "Maendeleo ya washauriwa"), State: StVisitProgress, Arg: "0"})
	return Menu(text, items...), nil
}

func showUpcoming(c *Ctx) (Screen, error) {
	_, upcoming, err := c.Store().MentorVisits(c, c.zone(), c.S.Nurse.ID)
	if err != nil {
		return Screen{}, err
	}
	if len(upcoming) == 0 {
		return Menu(c.T("No upcoming visit.", "Hakuna ziara ijayo.")), nil
	}
	names, err := visitNames(c)
	if err != nil {
		return Screen{}, err
	}
	items := make([]Item, len(upcoming))
	for i, v := range upcoming {
		items[i] = Item{Label: v.At.In(c.zone()).Format(shortLayout) + " " + visitName(names, v), State: StVisitOne, Arg: itoa(v.ID)}
	}
	return Menu(c.T("Upcoming visits:", "Ziara zijazo:"), window(c, items, StVisitUpcoming)...), nil
}

// windowSize is how many entries of a long list one screen shows; "Next"
// opens the following ones. The lists are windowed here rather than left to
// "98 More", whose number an item 98 would hide.
const windowSize = 7

// window returns the items from the offset in the current frame's argument,
// and a "Next" item to the next window when more follow.
func window(c *Ctx, items []Item, state State) []Item {
	from, _ := strconv.Atoi(c.Arg())
	if from < 0 || from >= len(items) {
		from = 0
	}
	to := min(from+windowSize, len(items))
	out := append([]Item(nil), items[from:to]...)
	if to < len(items) {
		out = append(out, Item{Label: c.T("Next", "Ifuatayo"), State: state, Arg: itoa(int64(to))})
	}
	return out
}

// myVisit returns the visit of the current frame, and whether it is there
// and the mentor's own.
func myVisit(c *Ctx) (store.Visit, bool, error) {
	id, err := argID(c.Arg())
	if err != nil {
		return store.Visit{}, false, nil
	}
	v, err := c.Store().Visit(c, id)
	if errors.Is(err, store.ErrNotFound) || err == nil && v.MentorID != c.S.Nurse.ID {
		return store.Visit{}, false, nil
	}
	return v, err == nil, err
}

func noVisit(c *Ctx) Screen {
	return Menu(c.T("This visit is not there any more.", "Ziara hii haipo tena."))
}

func showVisit(c *Ctx) (Screen, error) {
	v, ok, err := myVisit(c)
	if err != nil || !ok {
		return noVisit(c), err
	}
	names, err := visitNames(c)
	if err != nil {
		return Screen{}, err
	}
	head := fmt.Sprintf(c.T("Visit to %s\n%s", "Ziara kwa %s\n%s"), visitName(names, v), v.At.In(c.zone()).Format(dayLayout+" 15:04"))
	switch v.Status {
	case store.VisitDone:
		return Menu(head+c.T(" - done", " - imefanyika"),
			Item{Label: c.T("Checklist", "Orodha ya ukaguzi"), State: StVisitGaps, Arg: c.Arg()},
			Item{Label: c.T("Notes, agreed actions", "Maelezo, makubaliano"), State: StVisitNotes, Arg: c.Arg()},
			Item{Label: c.T("Next visit date", "Tarehe ya ziara ijayo"), State: StVisitNext, Arg: c.Arg()}), nil
	case store.VisitCancelled:
		return Menu(head + c.T(" - cancelled", " - imeghairiwa")), nil
	}
	return Menu(head,
		Item{Label: c.T("Log as done, fill checklist", "Imefanyika, jaza orodha"), State: StVisitConfirm, Arg: c.Arg()},
		Item{Label: c.T("Change the date", "Badilisha tarehe"), State: StVisitMove, Arg: c.Arg()},
		Item{Label: c.T("Cancel the visit", "Ghairi ziara"), State: StVisitCancel, Arg: c.Arg()}), nil
}

// checklist returns the pack's checklist items of topic, in order.
func checklist(c *Ctx, topic string) []lessons.ChecklistItem {
	var out []lessons.ChecklistItem
	for _, it := range c.m.pack.Checklist {
		if it.Topic == topic {
			out = append(out, it)
		}
	}
	return out
}

func showGaps(c *Ctx) (Screen, error) {
	v, ok, err := myVisit(c)
	if err != nil || !ok {
		return noVisit(c), err
	}
	answers, err := c.Store().Checklist(c, v.ID)
	if err != nil {
		return Screen{}, err
	}
	var items []Item
	for _, t := range c.m.pack.Topics {
		its := checklist(c, t.ID)
		// A topic opens at its first item not answered, so a checklist left
		// half-way goes on where it stopped.
		done, first := 0, -1
		for i, it := range its {
			if answers[it.ID] != "" {
				done++
			} else if first < 0 {
				first = i
			}
		}
		if len(its) > 0 {
			label := fmt.Sprintf("%s %d/%d", t.Title.In(c.Lang()), done, len(its))
			items = append(items, Item{Label: label, State: StVisitItem, Arg: fmt.Sprintf("%d:%s:%d", v.ID, t.ID, max(first, 0))})
		}
	}
	items = append(items,
		Item{Label: c.T("Notes, agreed actions", "Maelezo, makubaliano"), State: StVisitNotes, Arg: c.Arg()},
		Item{Label: c.T("Next visit date", "Tarehe ya ziara ijayo"), State: StVisitNext, Arg: c.Arg()})
	// The visit's screen names the mentee: the topics need the room here.
	return Menu(c.T("Checklist:", "Orodha:"), items...), nil
}

// itemArg reads "visit:topic:index".
func itemArg(arg string) (visit int64, topic string, idx int, err error) {
	parts := strings.Split(arg, ":")
	if len(parts) == 3 {
		visit, err = argID(parts[0])
		if err == nil {
			idx, err = strconv.Atoi(parts[2])
		}
		return visit, parts[1], idx, err
	}
	return 0, "", 0, fmt.Errorf("bad checklist argument %q", arg)
}

// answerOrder is what "1 Done / 2 Partly / 3 Not done" stand for.
var answerOrder = []string{store.AnswerDone, store.AnswerPartly, store.AnswerNotDone}

func answerLabel(c *Ctx, a string) string {
	switch a {
	case store.AnswerDone:
		return c.T("Done", "Imefanyika")
	case store.AnswerPartly:
		return c.T("Partly", "Kiasi")
	}
	return c.T("Not done", "Haijafanyika")
}

func showItem(c *Ctx) (Screen, error) {
	visit, topic, idx, err := itemArg(c.Arg())
	its := checklist(c, topic)
	if err != nil || idx < 0 || idx >= len(its) {
		return noVisit(c), nil
	}
	answers, err := c.Store().Checklist(c, visit)
	if err != nil {
		return Screen{}, err
	}
	text := fmt.Sprintf("%d/%d %s", idx+1, len(its), its[idx].Text.In(c.Lang()))
	if a := answers[its[idx].ID]; a != "" {
		text += " (" + c.T("now: ", "sasa: ") + answerLabel(c, a) + ")"
	}
	items := make([]Item, len(answerOrder))
	for i, a := range answerOrder {
		items[i] = Item{Label: answerLabel(c, a)}
	}
	return Menu(text, items...), nil
}

// itemInput saves the answer before showing the next item of the topic;
// after the last, the topics again.
func itemInput(c *Ctx, in string) (Move, error) {
	n, err := strconv.Atoi(in)
	if err != nil || n < 1 || n > len(answerOrder) {
		return c.Invalid(), nil
	}
	visit, topic, idx, err := itemArg(c.Arg())
	its := checklist(c, topic)
	if err != nil || idx < 0 || idx >= len(its) {
		return c.Invalid(), nil
	}
	if err := c.Store().SaveChecklist(c, visit, map[string]string{its[idx].ID: answerOrder[n-1]}); err != nil {
		return Move{}, err
	}
	if idx+1 < len(its) {
		return Replace(StVisitItem, fmt.Sprintf("%d:%s:%d", visit, topic, idx+1)), nil
	}
	return Back().Say(c.T("Saved.", "Imehifadhiwa.")), nil
}

func datePrompt(c *Ctx, en, sw, name string) Screen {
	return Entry(fmt.Sprintf(c.T(en, sw), name) + c.T(" (DDMM or DD/MM/YYYY):", " (DDMM au DD/MM/YYYY):"))
}

// showVisitDate returns the screen asking for a day about the frame's visit;
// en and sw name its mentee with %s.
func showVisitDate(en, sw string) func(*Ctx) (Screen, error) {
	return func(c *Ctx) (Screen, error) {
		v, ok, err := myVisit(c)
		if err != nil || !ok {
			return noVisit(c), err
		}
		return datePrompt(c, en, sw, v.MenteeName), nil
	}
}

// onVisitDay returns the input of a showVisitDate screen: it reads the day
// typed, asks again when it does not read, and hands the frame's visit and
// the day to fn.
func onVisitDay(fn func(c *Ctx, v store.Visit, day time.Time) (Move, error)) func(*Ctx, string) (Move, error) {
	return func(c *Ctx, in string) (Move, error) {
		v, ok, err := myVisit(c)
		if err != nil || !ok {
			return c.Invalid(), err
		}
		day, err := parseDay(in, c.m.now(), c.zone())
		if err != nil {
			return dateRetry(c, err), nil
		}
		return fn(c, v, day)
	}
}

// scheduleNext schedules the mentee's next visit at the clock time of the
// visit done.
func scheduleNext(c *Ctx, v store.Visit, day time.Time) (Move, error) {
	next, err := scheduleOnce(c, v.MenteeID, onDay(day, v.At, c.zone()))
	if err != nil {
		return Move{}, err
	}
	return Replace(StVisitSaved, itoa(next.ID)), nil
}

// scheduleOnce schedules a visit to the mentee at, unless the mentor already
// has one with her on that local day: a replayed hop schedules nothing twice.
func scheduleOnce(c *Ctx, menteeID int64, at time.Time) (store.Visit, error) {
	today, upcoming, err := c.Store().MentorVisits(c, c.zone(), c.S.Nurse.ID)
	if err != nil {
		return store.Visit{}, err
	}
	day := at.In(c.zone()).Format(time.DateOnly)
	for _, v := range append(today, upcoming...) {
		if v.MenteeID == menteeID && v.At.In(c.zone()).Format(time.DateOnly) == day {
			return v, nil
		}
	}
	return c.mentoring().ScheduleVisit(c, c.S.Nurse.ID, menteeID, at)
}

func showVisitSaved(c *Ctx) (Screen, error) {
	v, ok, err := myVisit(c)
	if err != nil || !ok {
		return noVisit(c), err
	}
	return End(fmt.Sprintf(c.T("Saved. Next visit to %s: %s. Thank you!", "Imehifadhiwa. Ziara ijayo kwa %s: %s. Asante!"),
		v.MenteeName, v.At.In(c.zone()).Format(dayLayout+" 15:04"))), nil
}

func showMentees(c *Ctx) (Screen, error) {
	ms, err := c.Store().Mentees(c, c.S.Nurse.ID)
	if err != nil {
		return Screen{}, err
	}
	labels := menteeLabels(ms)
	var items []Item
	for _, m := range ms {
		if m.Visits == 0 {
			items = append(items, Item{Label: labels[m.ID], State: StVisitNew, Arg: itoa(m.ID)})
		}
	}
	switch {
	case len(ms) == 0:
		return Menu(c.T("You have no mentees yet.", "Bado huna washauriwa.")), nil
	case len(items) == 0:
		return Menu(c.T("Every mentee has a visit scheduled. Change one under Upcoming visits.",
			"Kila mshauriwa ana ziara iliyopangwa. Badilisha moja kwenye Ziara zijazo.")), nil
	}
	return Menu(c.T("Mentees without a visit:", "Washauriwa bila ziara:"), window(c, items, StVisitMentees)...), nil
}

// mentee returns the mentor's mentee of the current frame, and whether she is one.
func mentee(c *Ctx) (store.Mentee, bool, error) {
	id, err := argID(c.Arg())
	if err != nil {
		return store.Mentee{}, false, nil
	}
	ms, err := c.Store().Mentees(c, c.S.Nurse.ID)
	for _, m := range ms {
		if m.ID == id {
			return m, true, err
		}
	}
	return store.Mentee{}, false, err
}

func showNewVisit(c *Ctx) (Screen, error) {
	m, ok, err := mentee(c)
	if err != nil || !ok {
		return Menu(c.T("Not one of your mentees.", "Si mshauriwa wako.")), err
	}
	return datePrompt(c, "Date of the visit to %s", "Tarehe ya ziara kwa %s", m.Name), nil
}

func newVisitInput(c *Ctx, in string) (Move, error) {
	m, ok, err := mentee(c)
	if err != nil || !ok {
		return c.Invalid(), err
	}
	day, err := parseDay(in, c.m.now(), c.zone())
	if err != nil {
		return dateRetry(c, err), nil
	}
	v, err := scheduleOnce(c, m.ID, onDay(day, time.Time{}, c.zone()))
	if err != nil {
		return Move{}, err
	}
	return Replace(StVisitOne, itoa(v.ID)).Say(c.T("Visit saved.", "Ziara imehifadhiwa.")), nil
}

// moveVisit moves the visit to the day typed, at its clock time; the store
// moves its reminders with it.
func moveVisit(c *Ctx, v store.Visit, day time.Time) (Move, error) {
	v, err := c.mentoring().RescheduleVisit(c, v.ID, onDay(day, v.At, c.zone()))
	if errors.Is(err, store.ErrVisitClosed) {
		return Back().Say(c.T("This visit is closed.", "Ziara hii imefungwa.")), nil
	}
	if err != nil {
		return Move{}, err
	}
	return Back().Say(c.T("Visit moved to ", "Ziara imehamishwa hadi ") + v.At.In(c.zone()).Format(dayLayout) + "."), nil
}

func showCancelVisit(c *Ctx) (Screen, error) {
	v, ok, err := myVisit(c)
	if err != nil || !ok {
		return noVisit(c), err
	}
	return Menu(fmt.Sprintf(c.T("Cancel the visit to %s on %s?", "Ghairi ziara kwa %s tarehe %s?"), v.MenteeName, v.At.In(c.zone()).Format(dayLayout)),
		Item{Label: c.T("Yes, cancel it", "Ndiyo, ighairi")}), nil
}

func cancelVisitInput(c *Ctx, in string) (Move, error) {
	v, ok, err := myVisit(c)
	if err != nil || !ok || in != "1" {
		return c.Invalid(), err
	}
	err = c.mentoring().CancelVisit(c, v.ID)
	if errors.Is(err, store.ErrVisitClosed) {
		return Retry(c.T("This visit is already done.", "Ziara hii imeshafanyika.")), nil
	}
	if err != nil {
		return Move{}, err
	}
	return Reset(StVisit, "").Say(c.T("Visit cancelled.", "Ziara imeghairiwa.")), nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
