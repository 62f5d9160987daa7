package ussd

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/store"
)

// The states of "1 Lessons": the menu (StLessons) lists the topics, below a
// "Continue" item when she has a lesson to resume; a topic lists its lessons;
// a lesson shows its screens one by one, the key point last.
const (
	StLessonTopic State = "les.topic" // Arg: topic id
	StLessonPage  State = "les.page"  // Arg: lesson id ":" screen
)

// varLessonWon is set when reaching a key point completed the lesson's topic,
// so that the screen after it can say so.
const varLessonWon = "les.won"

var lessonsTree = []Node{
	{State: StLessons, Show: showLessons, Input: lessonsInput},
	{State: StLessonTopic, Show: showLessonTopic, Input: jobAidInput},
	{State: StLessonPage, Show: showLessonPage, Input: lessonPageInput},
}

// showLessons offers the lesson to continue (Pack.Continue: the unfinished
// one she read last, at its page, else the next of her weakest topic), then
// the topics.
func showLessons(c *Ctx) (Screen, error) {
	l, err := learnerOf(c)
	if err != nil {
		return Screen{}, err
	}
	var items []Item
	if id, page := c.m.pack.Continue(l.Learner); id != "" {
		ls, _ := c.m.pack.Lesson(id)
		title := ls.Title.In(c.Lang())
		if pr, ok := l.Progress[id]; ok && !pr.Done {
			items = append(items, Item{Label: fmt.Sprintf(c.T("Continue: %s (page %d)", "Endelea: %s (ukurasa %d)"), title, page+1)})
		} else {
			items = append(items, Item{Label: c.T("Next: ", "Linalofuata: ") + title})
		}
	}
	for _, t := range c.m.pack.Topics {
		items = append(items, Item{Label: t.Title.In(c.Lang()), State: StLessonTopic, Arg: t.ID})
	}
	return Menu(c.T("Lessons", "Masomo"), items...), nil
}

// lessonsInput opens the lesson of the "Continue" item at its page, with the
// screens before it under it, so that "0 Back" turns back a page there too.
func lessonsInput(c *Ctx, in string) (Move, error) {
	l, err := learnerOf(c)
	if err != nil {
		return Move{}, err
	}
	id, page := c.m.pack.Continue(l.Learner)
	if in != "1" || id == "" {
		return c.Invalid(), nil
	}
	for p := 0; p <= page; p++ {
		c.S.push(Frame{State: StLessonPage, Arg: pageArg(id, p)})
	}
	return Stay(), nil
}

// showLessonTopic lists the lessons of a topic, marking those she finished.
func showLessonTopic(c *Ctx) (Screen, error) {
	t, ok := c.m.pack.Topic(c.Arg())
	if !ok {
		return Menu(c.T("This topic is no longer offered.", "Mada hii haipatikani tena.")), nil
	}
	l, err := learnerOf(c)
	if err != nil {
		return Screen{}, err
	}
	var items []Item
	for _, ls := range c.m.pack.LessonsOf(t.ID) {
		label := ls.Title.In(c.Lang())
		if l.Progress[ls.ID].Done {
			label += c.T(" (done)", " (umemaliza)")
		}
		items = append(items, Item{Label: label, State: StLessonPage, Arg: pageArg(ls.ID, 0)})
	}
	aids := c.m.pack.JobAidsOf(t.ID)
	for _, aid := range aids {
		label := c.T("Job aid by SMS", "Kadi ya msaada kwa SMS")
		if len(aids) > 1 { // several cards: each by its title
			label = c.T("SMS: ", "SMS: ") + aid.Title.In(c.Lang())
		}
		items = append(items, Item{Label: label})
	}
	return Menu(t.Title.In(c.Lang()), items...), nil
}

// jobAidInput sends the job aid chosen (a formula card, a checklist) to
// the nurse by SMS: through the outbox, as a reply, since she asked for it
// (it goes even in quiet hours and after STOP, which stops nudges). One a
// day per job aid, however often she asks. The job aids follow the
// topic's lessons in its menu.
func jobAidInput(c *Ctx, in string) (Move, error) {
	t := c.Arg()
	aids := c.m.pack.JobAidsOf(t)
	n, err := strconv.Atoi(in)
	k := n - len(c.m.pack.LessonsOf(t)) - 1
	if err != nil || k < 0 || k >= len(aids) || in != strconv.Itoa(n) {
		return c.Invalid(), nil
	}
	aid := aids[k]
	day := c.m.now().In(c.m.tz).Format("2006-01-02")
	_, err = c.Store().QueueSMS(c, store.Outgoing{DedupeKey: fmt.Sprintf("jobaid:%d:%s:%s", c.S.Nurse.ID, aid.ID, day),
		Kind: store.KindReply, Phone: c.Phone, Body: aid.SMS.In(c.Lang()), WorkerID: c.S.Nurse.ID})
	if err != nil {
		return Move{}, err
	}
	return Stay().Say(c.T("The job aid is on its way by SMS.", "Kadi inakuja kwa SMS.")), nil
}

// showLessonPage shows a screen of a lesson (lessons.PageScreen, the text
// the lint measured) and notes that she reached it: in the session at once,
// in the store behind the hop. The key point, the last screen, finishes the
// lesson.
func showLessonPage(c *Ctx) (Screen, error) {
	ls, page, ok := lessonAt(c)
	if !ok {
		return Menu(c.T("This lesson is no longer offered.", "Somo hili halipatikani tena.")), nil
	}
	l, err := learnerOf(c)
	if err != nil {
		return Screen{}, err
	}
	l.read(ls.ID, page, page == len(ls.Pages))
	keepLearner(c, l)
	mark := store.PageMark{WorkerID: c.S.Nurse.ID, Lesson: ls.ID, Page: page, Done: l.Progress[ls.ID].Done, At: c.m.now()}
	text := lessons.PageScreen(ls, page, c.Lang())
	switch err := c.m.pages.Mark(c, mark); {
	case errors.Is(err, ErrPageNotSaved):
		// The page is worth reading still; she must not believe it counted.
		text = c.T("(Progress not saved.)\n", "(Maendeleo hayajahifadhiwa.)\n") + text
	case err != nil:
		return Screen{}, err
	}
	return Page(text), nil
}

// lessonPageInput turns the page. The move onto the key point finishes the
// lesson, and records the topic's completion when it completes the topic
// (the congratulation SMS goes into the outbox with it). "1" on the key
// point returns to the list she opened the lesson from.
func lessonPageInput(c *Ctx, in string) (Move, error) {
	ls, page, ok := lessonAt(c)
	if in != "1" || !ok {
		return c.Invalid(), nil
	}
	if page < len(ls.Pages) {
		if page+1 == len(ls.Pages) {
			if err := finishLesson(c, ls); err != nil {
				return Move{}, err
			}
		}
		return Go(StLessonPage, pageArg(ls.ID, page+1)), nil
	}
	for len(c.S.Frames) > 1 && c.S.Top().State == StLessonPage {
		c.S.Frames = c.S.Frames[:len(c.S.Frames)-1]
	}
	notice := c.T("Lesson done.", "Somo limekamilika.")
	if t, won := c.m.pack.Topic(c.S.Var(varLessonWon)); won {
		notice += fmt.Sprintf(c.T(" You completed the topic %s! An SMS is on its way.", " Umekamilisha mada %s! Utapata SMS."), t.Title.In(c.Lang()))
		delete(c.S.Vars, varLessonWon)
	}
	return Stay().Say(notice), nil
}

// finishLesson notes the lesson done and, when that completes its topic,
// records the completion.
func finishLesson(c *Ctx, ls lessons.Lesson) error {
	l, err := learnerOf(c)
	if err != nil {
		return err
	}
	l.read(ls.ID, len(ls.Pages), true)
	won, err := completeTopic(c, l, ls.Topic)
	if err != nil {
		return err
	}
	if won {
		c.S.SetVar(varLessonWon, ls.Topic)
	}
	keepLearner(c, l)
	return nil
}

// completeTopic records that she completed topic when Pack.NewlyComplete
// says she just did; the store issues her certificate and queues its SMS
// once, and
// reports whether this call recorded it.
func completeTopic(c *Ctx, l *learner, topic string) (bool, error) {
	if !c.m.pack.NewlyComplete(l.Learner, topic) {
		return false, nil
	}
	t, _ := c.m.pack.Topic(topic)
	code, err := store.NewCertificateCode()
	if err != nil {
		return false, err
	}
	at := c.m.now()
	fresh, err := c.Store().CompleteTopic(c, store.TopicCompletion{WorkerID: c.S.Nurse.ID, Topic: topic, Code: code, At: at,
		SMS: lessons.Certificate(t, c.Lang(), c.S.Nurse.Name, at.In(c.m.tz).Format("2006-01-02"), code)})
	if err != nil {
		return false, err
	}
	if l.Completed == nil {
		l.Completed = map[string]bool{}
	}
	l.Completed[topic] = true
	return fresh, nil
}

func pageArg(lesson string, page int) string { return lesson + ":" + strconv.Itoa(page) }

// lessonAt returns the lesson and screen of the current frame; a screen
// past the end (a lesson shortened since) is its key point.
func lessonAt(c *Ctx) (lessons.Lesson, int, bool) {
	id, p, _ := strings.Cut(c.Arg(), ":")
	ls, ok := c.m.pack.Lesson(id)
	page, err := strconv.Atoi(p)
	if !ok || err != nil || page < 0 {
		return lessons.Lesson{}, 0, false
	}
	return ls, min(page, len(ls.Pages)), true
}
