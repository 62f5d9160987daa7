package ussd

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/store"
)

// The states of "1 Lessons": the menu (StLessons) lists the topics, below a
// "Continue" item when she has a lesson to resume; a topic lists its lessons;
// a lesson shows its screens one by one, the key point last.
const (
	StLessonTopic State = "les.topic" // Key: topic id
	StLessonPage  State = "les.page"  // Key: lesson id; N: its screen
)

// learningStore is what the lesson, quiz and progress menus need of the
// database.
type learningStore interface {
	ProgressSummary(ctx context.Context, workerID int64) (store.Summary, error)
	CompleteTopic(ctx context.Context, c store.TopicCompletion) (bool, error)
	StartPractice(ctx context.Context, workerID int64, topic string, seed int64) (int64, []string, error)
	StartAttempt(ctx context.Context, workerID int64, form, topic string, seed int64) (int64, error)
	RecordAnswer(ctx context.Context, attemptID int64, questionID, topic string, chosen int, correct bool) error
	EndAttempt(ctx context.Context, e store.QuizEnd) (bool, error)
	AssessmentAttempt(ctx context.Context, workerID int64, form string) (store.Attempt, error)
	AssessmentBlocker(ctx context.Context, workerID int64, form string) (string, error)
	OpenAssessments(ctx context.Context, now time.Time) ([]store.Window, error)
	QueueSMS(ctx context.Context, m store.Outgoing) (bool, error) // a job aid by SMS
}

var lessonsTree = []Node{
	{State: StLessons, Show: showLessons},
	{State: StLessonTopic, Show: showLessonTopic},
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
	items := make([]Item, 0, 1+len(c.Pack().Topics))
	if id, page := c.Pack().Continue(l.Learner); id != "" {
		ls, _ := c.Pack().Lesson(id)
		label := c.Say("lessons.next", "lesson", ls.Title.In(c.Lang()))
		if pr, ok := l.Progress[id]; ok && !pr.Done {
			label = c.Say("lessons.continue", "lesson", ls.Title.In(c.Lang()), "page", page+1)
		}
		items = append(items, Item{Label: label, Do: continueLesson(ls, page)})
	}
	for _, t := range c.Pack().Topics {
		items = append(items, Item{Label: t.Title.In(c.Lang()), To: Frame{State: StLessonTopic, Key: t.ID}})
	}
	return Menu(c.Say("lessons.title"), items...), nil
}

// continueLesson opens lesson ls at page, with the screens before it under
// it, so that "0 Back" turns back a page there too.
func continueLesson(ls lessons.Lesson, page int) func(c *Ctx) (Move, error) {
	return func(c *Ctx) (Move, error) {
		frames := make([]Frame, page+1)
		for p := range frames {
			frames[p] = Frame{State: StLessonPage, Key: ls.ID, N: p}
		}
		return reachPage(c, ls, page, Go(frames[0], frames[1:]...))
	}
}

// showLessonTopic lists the lessons of a topic, marking those she finished,
// then its job aids.
func showLessonTopic(c *Ctx) (Screen, error) {
	t, ok := c.Pack().Topic(c.S.Top().Key)
	if !ok {
		return Menu(c.Say("lessons.topic_gone")), nil
	}
	if !c.S.Learning.fits(c.Pack(), c.packPrint()) {
		if _, err := learnerOf(c); err != nil { // which keeps it in the session
			return Screen{}, err
		}
	}
	aids := c.Pack().JobAidsOf(t.ID)
	n := len(aids)
	for i := range c.Pack().Lessons {
		if c.Pack().Lessons[i].Topic == t.ID {
			n++
		}
	}
	items := make([]Item, 0, n)
	for i := range c.Pack().Lessons {
		ls := &c.Pack().Lessons[i]
		if ls.Topic != t.ID {
			continue
		}
		label := ls.Title.In(c.Lang())
		if c.S.Learning.done(i) {
			label = c.Say("lessons.lesson_done", "lesson", label)
		}
		items = append(items, Item{Label: label, Do: openLesson(ls)})
	}
	for _, aid := range aids {
		label := c.Say("lessons.job_aid")
		if len(aids) > 1 { // several cards: each by its title
			label = c.Say("lessons.job_aid_named", "aid", aid.Title.In(c.Lang()))
		}
		items = append(items, Item{Label: label, Do: sendJobAid(aid)})
	}
	return Menu(t.Title.In(c.Lang()), items...), nil
}

// openLesson opens ls, a lesson of the pack, at its first screen. It takes
// the pack's lesson by pointer: a topic's list makes one of these a lesson
// on every hop that shows it, and a copy of the lesson in each.
func openLesson(ls *lessons.Lesson) func(c *Ctx) (Move, error) {
	return func(c *Ctx) (Move, error) {
		return reachPage(c, *ls, 0, Go(Frame{State: StLessonPage, Key: ls.ID}))
	}
}

// sendJobAid sends the job aid (a formula card, a checklist) to the nurse
// on her channel: through the outbox, as a reply, since she asked for it
// (it goes even in quiet hours and after STOP, which stops nudges); by SMS,
// or on WhatsApp as a document. One a day per job aid, however often she
// asks.
func sendJobAid(aid lessons.JobAid) func(c *Ctx) (Move, error) {
	return func(c *Ctx) (Move, error) {
		day := c.Now().In(c.zone()).Format("2006-01-02")
		_, err := storeOf[learningStore](c).QueueSMS(c, store.Outgoing{DedupeKey: fmt.Sprintf("jobaid:%d:%s:%s", c.S.Nurse.ID, aid.ID, day),
			Kind: store.KindReply, Phone: c.Phone, Body: aid.SMS.In(c.Lang()), WorkerID: c.S.Nurse.ID, HerChannel: true})
		if err != nil {
			return Move{}, err
		}
		key, err := onHerChannel(c, "lessons.job_aid_sent", "lessons.job_aid_sent_whatsapp")
		if err != nil {
			return Move{}, err
		}
		return Stay().Say(c.Say(key)), nil
	}
}

// showLessonPage shows a screen of a lesson (lessons.PageScreen, the text
// the lint measured). The move that reached it recorded it (reachPage).
func showLessonPage(c *Ctx) (Screen, error) {
	ls, page, ok := lessonAt(c)
	if !ok {
		return Menu(c.Say("lessons.lesson_gone")), nil
	}
	return Page(c.Pack().PageScreen(ls, page, c.Lang())), nil
}

// lessonPageInput turns the page. "1" on the key point returns to the list
// she opened the lesson from, saying so, and that the lesson completed its
// topic when it did.
func lessonPageInput(c *Ctx, in string) (Move, error) {
	ls, page, ok := lessonAt(c)
	if in != "1" || !ok {
		return c.Invalid(), nil
	}
	if page < len(ls.Pages) {
		return reachPage(c, ls, page+1, Go(Frame{State: StLessonPage, Key: ls.ID, N: page + 1}))
	}
	for len(c.S.Frames) > 1 && c.S.Top().State == StLessonPage {
		c.S.Frames = c.S.Frames[:len(c.S.Frames)-1]
	}
	notice := c.Say("lessons.done")
	if t, won := c.Pack().Topic(c.S.Won); won {
		notice = c.Say("lessons.done_topic", "topic", t.Title.In(c.Lang()))
	}
	c.S.Won = ""
	return Stay().Say(notice), nil
}

// reachPage records that she reached page of ls, then moves as mv: in the
// session at once, in the store behind the hop. The key point, the last
// screen, finishes the lesson, and records the topic's completion when it
// completes the topic (the congratulation SMS goes into the outbox with it).
func reachPage(c *Ctx, ls lessons.Lesson, page int, mv Move) (Move, error) {
	done, err := readPage(c, ls, page)
	if err != nil {
		return Move{}, err
	}
	err = c.markPage(store.PageMark{WorkerID: c.S.Nurse.ID, Lesson: ls.ID, Page: page, Done: done, At: c.Now()})
	switch {
	case errors.Is(err, ErrPageNotSaved):
		// The page is worth reading still; she must not believe it counted.
		return mv.Say(c.Say("lessons.not_saved")), nil
	case err != nil:
		return Move{}, err
	}
	return mv, nil
}

// readPage notes in her learner that she reached page of ls, and whether
// she has finished ls. A page before the key point is noted on the
// session's learning as it is (Learning.turnPage); the key point may
// complete the topic, which takes her whole learner.
func readPage(c *Ctx, ls lessons.Lesson, page int) (done bool, err error) {
	i := lessonIndex(c.Pack(), ls.ID)
	if page < len(ls.Pages) && i >= 0 && c.S.Learning.fits(c.Pack(), c.packPrint()) {
		c.S.Learning.turnPage(i, page)
		return c.S.Learning.done(i), nil
	}
	l, err := learnerOf(c)
	if err != nil {
		return false, err
	}
	done = page >= len(ls.Pages) || l.Progress[ls.ID].Done
	l.read(ls.ID, page, done)
	if page >= len(ls.Pages) {
		won, err := completeTopic(c, l, ls.Topic)
		if err != nil {
			return false, err
		}
		if won {
			c.S.Won = ls.Topic
		}
	}
	keepLearner(c, l)
	return done, nil
}

// completeTopic records that she completed topic when Pack.NewlyComplete
// says she just did; the store issues her certificate and queues its SMS
// once, and reports whether this call recorded it.
func completeTopic(c *Ctx, l *learner, topic string) (bool, error) {
	tc, err := completion(c, l, topic)
	if tc == nil || err != nil {
		return false, err
	}
	fresh, err := storeOf[learningStore](c).CompleteTopic(c, *tc)
	if err != nil {
		return false, err
	}
	l.complete(topic)
	return fresh, nil
}

// completion returns the completion of topic to record when
// Pack.NewlyComplete says she just completed it (her certificate and its
// SMS), nil when she did not.
func completion(c *Ctx, l *learner, topic string) (*store.TopicCompletion, error) {
	if !c.Pack().NewlyComplete(l.Learner, topic) {
		return nil, nil
	}
	t, _ := c.Pack().Topic(topic)
	code, err := store.NewCertificateCode()
	if err != nil {
		return nil, err
	}
	at := c.Now()
	return &store.TopicCompletion{WorkerID: c.S.Nurse.ID, Topic: topic, Code: code, At: at,
		SMS: c.Pack().Certificate(t, c.Lang(), c.S.Nurse.Name, at.In(c.zone()).Format("2006-01-02"), code)}, nil
}

// lessonAt returns the lesson and screen of the current frame; a screen
// past the end (a lesson shortened since) is its key point.
func lessonAt(c *Ctx) (lessons.Lesson, int, bool) {
	f := c.S.Top()
	ls, ok := c.Pack().Lesson(f.Key)
	if !ok || f.N < 0 {
		return lessons.Lesson{}, 0, false
	}
	return ls, min(f.N, len(ls.Pages)), true
}
