package ussd

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/lessons/i18n"
	"github.com/chanjo-health/chanjo/store"
)

// The states of "7 Mentor visit". Visits are read in CHANJO_TZ.
const (
	StVisitUpcoming State = "vis.upcoming"
	StVisitOne      State = "vis.one"   // ID: the visit
	StVisitGaps     State = "vis.gaps"  // ID: the visit
	StVisitItem     State = "vis.item"  // ID: the visit; Key: the topic; N: the item's index in it
	StVisitNext     State = "vis.next"  // ID: the visit done
	StVisitSaved    State = "vis.saved" // ID: the next visit
	StVisitMentees  State = "vis.mentees"
	StVisitNew      State = "vis.new"    // ID: the mentee
	StVisitTime     State = "vis.time"   // ID: the mentee; the day typed is Work.Visit
	StVisitMove     State = "vis.move"   // ID: the visit
	StVisitCancel   State = "vis.cancel" // ID: the visit
	StVisitProgress State = "vis.progress"
)

// visitStore is what the mentor screens (visits, mentees, inbox) need of the database.
type visitStore interface {
	MentorVisits(ctx context.Context, loc *time.Location, mentorID int64) (today, upcoming []store.Visit, err error)
	Visit(ctx context.Context, id int64) (store.Visit, error)
	SaveChecklist(ctx context.Context, visitID int64, answers map[string]string) error
	Checklist(ctx context.Context, visitID int64) (map[string]string, error)
	RecentDoneVisits(ctx context.Context, mentorID int64, since time.Time) ([]store.DoneVisit, error)
	SaveVisitNotes(ctx context.Context, visitID int64, notes string, sms i18n.Text) error
	Mentees(ctx context.Context, mentorID int64) ([]store.Mentee, error)
	WorkerAssessments(ctx context.Context, workerID int64) ([]store.FormScore, error)
}

var visitTree = []Node{
	{State: StVisit, Show: showVisits},
	{State: StVisitUpcoming, Show: showUpcoming},
	{State: StVisitOne, Show: showVisit},
	{State: StVisitGaps, Show: showGaps},
	{State: StVisitItem, Show: showItem},
	{State: StVisitNext, Show: showVisitDate("mentor.date_next"),
		Input: onVisitDay(scheduleNext)},
	{State: StVisitSaved, Show: showVisitSaved},
	{State: StVisitMentees, Show: showMentees},
	{State: StVisitNew, Show: showNewVisit, Input: newVisitInput},
	{State: StVisitTime, Show: showVisitTime, Input: visitTimeInput},
	{State: StVisitMove, Show: showVisitDate("mentor.date_move"),
		Input: onVisitDay(moveVisit)},
	{State: StVisitCancel, Show: showCancelVisit},
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
		return Menu(c.Say("mentor.visits_for_mentors")), nil
	}
	today, upcoming, err := storeOf[visitStore](c).MentorVisits(c, c.zone(), c.S.Nurse.ID)
	if err != nil {
		return Screen{}, err
	}
	text := c.Say("mentor.visits_today")
	if len(today) == 0 {
		text = c.Say("mentor.no_visit_today")
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
	start := startOfDay(c.Now(), c.zone())
	for _, v := range today {
		when := v.At.In(c.zone()).Format("15:04")
		if v.At.Before(start) {
			when = v.At.In(c.zone()).Format(shortLayout)
		}
		items = append(items, Item{Label: visitName(names, v) + " " + when, To: Frame{State: StVisitOne, ID: v.ID}})
	}
	items = append(items,
		Item{Label: c.Say("mentor.upcoming_count", "tally", len(upcoming)), To: Frame{State: StVisitUpcoming}},
		Item{Label: c.Say("mentor.schedule_visit"), To: Frame{State: StVisitMentees}},
		Item{Label: c.Say("mentor.mentees_progress"), To: Frame{State: StVisitProgress}})
	return Menu(text, items...), nil
}

func showUpcoming(c *Ctx) (Screen, error) {
	_, upcoming, err := storeOf[visitStore](c).MentorVisits(c, c.zone(), c.S.Nurse.ID)
	if err != nil {
		return Screen{}, err
	}
	if len(upcoming) == 0 {
		return Menu(c.Say("mentor.no_upcoming_visit")), nil
	}
	names, err := visitNames(c)
	if err != nil {
		return Screen{}, err
	}
	items := make([]Item, len(upcoming))
	for i, v := range upcoming {
		items[i] = Item{Label: v.At.In(c.zone()).Format(shortLayout) + " " + visitName(names, v), To: Frame{State: StVisitOne, ID: v.ID}}
	}
	// A long list is paged by the renderer, with "98 More".
	return Menu(c.Say("mentor.upcoming_visits"), items...), nil
}

// myVisit returns the visit of the current frame, and whether it is there
// and the mentor's own.
func myVisit(c *Ctx) (store.Visit, bool, error) {
	v, err := storeOf[visitStore](c).Visit(c, c.S.Top().ID)
	if errors.Is(err, store.ErrNotFound) || err == nil && v.MentorID != c.S.Nurse.ID {
		return store.Visit{}, false, nil
	}
	return v, err == nil, err
}

func noVisit(c *Ctx) Screen {
	return Menu(c.Say("mentor.visit_gone"))
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
	head := c.Say("mentor.visit_head", "mentee", visitName(names, v)) + "\n" + v.At.In(c.zone()).Format(dayLayout+" 15:04")
	switch v.Status {
	case store.VisitDone:
		return Menu(head+" "+c.Say("mentor.status_done"),
			Item{Label: c.Say("mentor.checklist"), To: Frame{State: StVisitGaps, ID: v.ID}},
			Item{Label: c.Say("mentor.notes_agreed_actions"), To: Frame{State: StVisitNotes, ID: v.ID}},
			Item{Label: c.Say("mentor.next_visit_date"), To: Frame{State: StVisitNext, ID: v.ID}}), nil
	case store.VisitCancelled:
		return Menu(head + " " + c.Say("mentor.status_cancelled")), nil
	}
	return Menu(head,
		Item{Label: c.Say("mentor.log_done"), To: Frame{State: StVisitConfirm, ID: v.ID}},
		Item{Label: c.Say("mentor.change_date"), To: Frame{State: StVisitMove, ID: v.ID}},
		Item{Label: c.Say("mentor.cancel_visit"), To: Frame{State: StVisitCancel, ID: v.ID}}), nil
}

// checklist returns the pack's checklist items of topic, in order.
func checklist(c *Ctx, topic string) []lessons.ChecklistItem {
	var out []lessons.ChecklistItem
	for _, it := range c.Pack().Checklist {
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
	answers, err := storeOf[visitStore](c).Checklist(c, v.ID)
	if err != nil {
		return Screen{}, err
	}
	var items []Item
	for _, t := range c.Pack().Topics {
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
			items = append(items, Item{Label: label, To: Frame{State: StVisitItem, ID: v.ID, Key: t.ID, N: max(first, 0)}})
		}
	}
	items = append(items,
		Item{Label: c.Say("mentor.notes_agreed_actions"), To: Frame{State: StVisitNotes, ID: v.ID}},
		Item{Label: c.Say("mentor.next_visit_date"), To: Frame{State: StVisitNext, ID: v.ID}})
	// The visit's screen names the mentee: the topics need the room here.
	return Menu(c.Say("mentor.checklist_title"), items...), nil
}

// answerOrder is what "1 Done / 2 Partly / 3 Not done" stand for.
var answerOrder = []string{store.AnswerDone, store.AnswerPartly, store.AnswerNotDone}

func answerLabel(c *Ctx, a string) string {
	switch a {
	case store.AnswerDone:
		return c.Say("mentor.answer_done")
	case store.AnswerPartly:
		return c.Say("mentor.partly")
	}
	return c.Say("mentor.not_done")
}

func showItem(c *Ctx) (Screen, error) {
	f := c.S.Top()
	its := checklist(c, f.Key)
	if f.N < 0 || f.N >= len(its) {
		return noVisit(c), nil
	}
	answers, err := storeOf[visitStore](c).Checklist(c, f.ID)
	if err != nil {
		return Screen{}, err
	}
	text := fmt.Sprintf("%d/%d %s", f.N+1, len(its), its[f.N].Text.In(c.Lang()))
	if a := answers[its[f.N].ID]; a != "" {
		text += " " + c.Say("mentor.answer_now", "choice", answerLabel(c, a))
	}
	items := make([]Item, len(answerOrder))
	for i, a := range answerOrder {
		items[i] = Item{Label: answerLabel(c, a), Do: answerItem(f, its, a)}
	}
	return Menu(text, items...), nil
}

// answerItem saves answer a to the checklist item of frame f before
// showing the next item of its topic; after the last, the topics again.
func answerItem(f Frame, its []lessons.ChecklistItem, a string) func(c *Ctx) (Move, error) {
	return func(c *Ctx) (Move, error) {
		if err := storeOf[visitStore](c).SaveChecklist(c, f.ID, map[string]string{its[f.N].ID: a}); err != nil {
			return Move{}, err
		}
		if f.N+1 < len(its) {
			return Replace(Frame{State: StVisitItem, ID: f.ID, Key: f.Key, N: f.N + 1}), nil
		}
		return Back().Say(c.Say("mentor.saved")), nil
	}
}

// datePrompt asks a date about the mentee named: key is the question,
// which says how to type it.
func datePrompt(c *Ctx, key, name string) Screen {
	return Entry(c.Say(key, "mentee", name))
}

// showVisitDate returns the screen asking for a day about the frame's visit;
// key is the question, naming its mentee.
func showVisitDate(key string) func(*Ctx) (Screen, error) {
	return func(c *Ctx) (Screen, error) {
		v, ok, err := myVisit(c)
		if err != nil || !ok {
			return noVisit(c), err
		}
		return datePrompt(c, key, v.MenteeName), nil
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
		day, err := parseDay(in, c.Now(), c.zone())
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
	return Replace(Frame{State: StVisitSaved, ID: next.ID}), nil
}

// scheduleOnce schedules a visit to the mentee at, unless the mentor already
// has one with her on that local day: a replayed hop schedules nothing twice.
func scheduleOnce(c *Ctx, menteeID int64, at time.Time) (store.Visit, error) {
	today, upcoming, err := storeOf[visitStore](c).MentorVisits(c, c.zone(), c.S.Nurse.ID)
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
	return End(c.Say("mentor.next_saved", "mentee", v.MenteeName, "when", v.At.In(c.zone()).Format(dayLayout+" 15:04"))), nil
}

func showMentees(c *Ctx) (Screen, error) {
	ms, err := storeOf[visitStore](c).Mentees(c, c.S.Nurse.ID)
	if err != nil {
		return Screen{}, err
	}
	labels := menteeLabels(ms)
	var items []Item
	for _, m := range ms {
		if m.Visits == 0 {
			items = append(items, Item{Label: labels[m.ID], To: Frame{State: StVisitNew, ID: m.ID}})
		}
	}
	switch {
	case len(ms) == 0:
		return Menu(c.Say("mentor.have_no_mentees_yet")), nil
	case len(items) == 0:
		return Menu(c.Say("mentor.every_mentee_scheduled")), nil
	}
	return Menu(c.Say("mentor.mentees_without_visit"), items...), nil
}

// mentee returns the mentor's mentee of the current frame, and whether she is one.
func mentee(c *Ctx) (store.Mentee, bool, error) {
	ms, err := storeOf[visitStore](c).Mentees(c, c.S.Nurse.ID)
	for _, m := range ms {
		if m.ID == c.S.Top().ID {
			return m, true, err
		}
	}
	return store.Mentee{}, false, err
}

func showNewVisit(c *Ctx) (Screen, error) {
	m, ok, err := mentee(c)
	if err != nil || !ok {
		return Menu(c.Say("mentor.not_your_mentee")), err
	}
	return datePrompt(c, "mentor.date_new", m.Name), nil
}

func newVisitInput(c *Ctx, in string) (Move, error) {
	m, ok, err := mentee(c)
	if err != nil || !ok {
		return c.Invalid(), err
	}
	day, err := parseDay(in, c.Now(), c.zone())
	if err != nil {
		return dateRetry(c, err), nil
	}
	c.S.Work.Visit = &VisitDraft{Mentee: m.ID, Day: day.Unix()}
	return Go(Frame{State: StVisitTime, ID: m.ID}), nil
}

// visitDay is the day typed for a new visit to the frame's mentee, and
// whether the session still holds it.
func visitDay(c *Ctx) (time.Time, bool) {
	d := c.S.Work.Visit
	if d == nil || d.Mentee != c.S.Top().ID {
		return time.Time{}, false
	}
	return time.Unix(d.Day, 0).In(c.zone()), true
}

// showVisitTime asks the clock time of a new visit: mentors plan visits
// at the time the clinic's session suits, and the mentee's reminders say
// it.
func showVisitTime(c *Ctx) (Screen, error) {
	m, ok, err := mentee(c)
	if err != nil || !ok {
		return Menu(c.Say("mentor.not_your_mentee")), err
	}
	day, ok := visitDay(c)
	if !ok {
		return showNewVisit(c)
	}
	return Entry(c.Say("mentor.visit_time_prompt", "mentee", m.Name, "date", day.Format(dayLayout))), nil
}

// visitTimeInput schedules the visit at the time typed on the day typed
// before, unless that moment is past.
func visitTimeInput(c *Ctx, in string) (Move, error) {
	m, ok, err := mentee(c)
	if err != nil || !ok {
		return c.Invalid(), err
	}
	day, ok := visitDay(c)
	if !ok {
		return c.Invalid(), nil
	}
	minutes, ok := parseClock(in)
	if !ok {
		return Retry(c.Say("mentor.visit_time_bad")), nil
	}
	at := day.Add(time.Duration(minutes) * time.Minute)
	if at.Before(c.Now()) {
		return Retry(c.Say("mentor.visit_time_past")), nil
	}
	v, err := scheduleOnce(c, m.ID, at)
	if err != nil {
		return Move{}, err
	}
	c.S.Work.Visit = nil
	// Back from the visit leads to the list she chose the mentee from, not
	// to the date and time typed.
	for j := len(c.S.Frames) - 1; j >= 0; j-- {
		if c.S.Frames[j].State == StVisitNew {
			c.S.Frames = c.S.Frames[:j]
			break
		}
	}
	return Go(Frame{State: StVisitOne, ID: v.ID}).Say(c.Say("mentor.visit_saved")), nil
}

// moveVisit moves the visit to the day typed, at its clock time; the store
// moves its reminders with it.
func moveVisit(c *Ctx, v store.Visit, day time.Time) (Move, error) {
	v, err := c.mentoring().RescheduleVisit(c, v.ID, onDay(day, v.At, c.zone()))
	if errors.Is(err, store.ErrVisitClosed) {
		return Back().Say(c.Say("mentor.visit_closed")), nil
	}
	if err != nil {
		return Move{}, err
	}
	return Back().Say(c.Say("mentor.visit_moved", "date", v.At.In(c.zone()).Format(dayLayout))), nil
}

func showCancelVisit(c *Ctx) (Screen, error) {
	v, ok, err := myVisit(c)
	if err != nil || !ok {
		return noVisit(c), err
	}
	return Menu(c.Say("mentor.cancel_ask", "mentee", v.MenteeName, "date", v.At.In(c.zone()).Format(dayLayout)),
		Item{Label: c.Say("mentor.yes_cancel"), Do: func(c *Ctx) (Move, error) { return cancelVisit(c, v) }}), nil
}

// cancelVisit cancels v; mentoring drops its reminders and tells the nurse.
func cancelVisit(c *Ctx, v store.Visit) (Move, error) {
	err := c.mentoring().CancelVisit(c, v.ID)
	if errors.Is(err, store.ErrVisitClosed) {
		return Retry(c.Say("mentor.visit_already_done")), nil
	}
	if err != nil {
		return Move{}, err
	}
	return Reset(Frame{State: StVisit}).Say(c.Say("mentor.visit_cancelled")), nil
}
