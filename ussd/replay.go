package ussd

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/chanjo-health/chanjo/lessons/i18n"
	"github.com/chanjo-health/chanjo/store"
)

// maxTrail bounds the parts after a free text that replayFree tries as
// the inputs of the screens after it.
const maxTrail = 16

// replayFree answers the free-text screen of s (a question, a name) from
// rest, the parts of a replayed text from its input on. The gateway joined
// every input with '*', the free text's own '*' too, so the text is the
// rest up to the trailing parts that the screens after it accept as their
// inputs: the most trailing parts that all move on, tried first without
// writing anything (dry), then stepped for real. When no split is accepted,
// the whole rest is the text. It returns the session after the last part.
func (m *Machine) replayFree(ctx context.Context, phone string, s Session, rest []string) (Session, string, error) {
	trail, dry := 0, m.dry()
	for t := min(len(rest)-1, maxTrail); t > 0; t-- {
		ok, err := dry.accepts(ctx, phone, s, rest[:len(rest)-t], rest[len(rest)-t:])
		if err != nil {
			return s, "", err
		}
		if ok {
			trail = t
			break
		}
	}
	next, reply, err := m.Step(ctx, phone, s, strings.Join(rest[:len(rest)-trail], "*"))
	for _, in := range rest[len(rest)-trail:] {
		if err != nil || next.Done {
			break
		}
		next, reply, err = m.Step(ctx, phone, next, in)
	}
	return next, reply, err
}

// accepts reports whether the free text of parts free, then each of trail,
// each move on to another screen. It runs on a dry machine: an input that
// would write is accepted, and since what follows it depends on the write,
// only as the last one.
func (m *Machine) accepts(ctx context.Context, phone string, s Session, free, trail []string) (bool, error) {
	inputs := append([]string{strings.Join(free, "*")}, trail...)
	for i, in := range inputs {
		if s.Done {
			return false, nil
		}
		next, _, err := m.Step(ctx, phone, s, in)
		switch {
		case errors.Is(err, errDryRun):
			return i == len(inputs)-1, nil
		case err != nil:
			return false, err
		case slices.EqualFunc(next.Frames, s.Frames, sameScreen):
			return false, nil // the screen took it as a mistake, under a notice
		}
		s = next
	}
	return true, nil
}

// dry returns a copy of m whose store reads but does not write.
func (m *Machine) dry() *Machine {
	d := *m
	d.store = dryStore{m.store}
	d.mentoring = dryMentoring{}
	d.pages = NewProgress(dryStore{m.store}, nil)
	return &d
}

// errDryRun is what a dry store answers to a write.
var errDryRun = errors.New("dry run: no write")

// dryMentoring is a Mentoring that refuses every change with errDryRun.
type dryMentoring struct{}

func (dryMentoring) ScheduleVisit(context.Context, int64, int64, time.Time) (store.Visit, error) {
	return store.Visit{}, errDryRun
}
func (dryMentoring) RescheduleVisit(context.Context, int64, time.Time) (store.Visit, error) {
	return store.Visit{}, errDryRun
}
func (dryMentoring) CancelVisit(context.Context, int64) error { return errDryRun }
func (dryMentoring) MarkVisitDone(context.Context, int64, time.Time) (store.Visit, error) {
	return store.Visit{}, errDryRun
}
func (dryMentoring) AskQuestion(context.Context, int64, string, string) (store.Asked, error) {
	return store.Asked{}, errDryRun
}
func (dryMentoring) AnswerQuestion(context.Context, int64, int64, string) (store.Question, error) {
	return store.Question{}, errDryRun
}
func (dryMentoring) PassQuestion(context.Context, int64, int64) (int, error) { return 0, errDryRun }

// dryStore is a Store that reads and refuses every write with errDryRun.
type dryStore struct{ Store }

func (dryStore) TouchDial(context.Context, int64) error { return errDryRun }
func (dryStore) Register(context.Context, store.Registration) (store.Worker, error) {
	return store.Worker{}, errDryRun
}
func (dryStore) SetLanguage(context.Context, int64, string) error              { return errDryRun }
func (dryStore) SetOptOut(context.Context, string, bool) (bool, error)         { return false, errDryRun }
func (dryStore) SetWorkerChannel(context.Context, int64, string) error         { return errDryRun }
func (dryStore) RecordUSSDSession(context.Context, store.USSDSessionEnd) error { return errDryRun }
func (dryStore) SaveLessonPages(context.Context, []store.PageMark) error       { return errDryRun }
func (dryStore) QueueSMS(context.Context, store.Outgoing) (bool, error)        { return false, errDryRun }
func (dryStore) RecordConsent(context.Context, int64, string, time.Time) error { return errDryRun }
func (dryStore) SaveVisitNotes(context.Context, int64, string, i18n.Text) error {
	return errDryRun
}
func (dryStore) SaveChecklist(context.Context, int64, map[string]string) error {
	return errDryRun
}
func (dryStore) SaveCalculationFor(context.Context, int64, string, string, []byte, []byte, string) error {
	return errDryRun
}
func (dryStore) CompleteTopic(context.Context, store.TopicCompletion) (bool, error) {
	return false, errDryRun
}
func (dryStore) StartAttempt(context.Context, int64, string, string, int64) (int64, error) {
	return 0, errDryRun
}
func (dryStore) StartPractice(context.Context, int64, string, int64) (int64, []string, error) {
	return 0, nil, errDryRun
}
func (dryStore) RecordAnswer(context.Context, int64, string, string, int, bool) error {
	return errDryRun
}
func (dryStore) EndAttempt(context.Context, store.QuizEnd) (bool, error) { return false, errDryRun }
