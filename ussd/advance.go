package ussd

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/chanjo-health/chanjo/store"
)

// reloadAfter is how long the worker cached with a phone's last position is
// trusted at a dial; older, the row is read again (and the dial recorded).
const reloadAfter = 10 * time.Minute

// maxReplay bounds the inputs replayed from a text that does not extend the
// session's; the gateway never sends that many in one session.
const maxReplay = 64

// Advance answers one hop: the gateway's cumulative text against the
// session cur (nil when Redis has none under this sessionId) and the phone's
// last position last (nil when none). It reconciles the input:
//   - the same text as the last hop (a network retry) gets the stored answer
//     and changed is false: nothing may be written;
//   - a text that extends the last one by "*" carries one input, which may
//     itself contain '*';
//   - an empty text starts the session (and may offer to resume);
//   - any other text is replayed from the first screen, input by input.
func (m *Machine) Advance(ctx context.Context, phone string, cur, last *Session, text string) (next Session, reply string, changed bool, err error) {
	switch {
	case cur != nil && (text == cur.Text || cur.Done):
		return *cur, cur.Reply, false, nil
	case cur != nil && extends(cur.Text, text):
		in := text
		if cur.Text != "" {
			in = text[len(cur.Text)+1:]
		}
		next, reply, err = m.Step(ctx, phone, *cur, in)
	case cur == nil && text == "":
		next, reply, err = m.Dial(ctx, phone, last, true)
	default:
		known := last
		if cur != nil {
			known = cur
		}
		next, reply, err = m.replay(ctx, phone, known, text)
	}
	next.Text = text
	return next, reply, err == nil, err
}

// extends reports whether text is prev followed by one more input.
func extends(prev, text string) bool {
	if prev == "" {
		return text != ""
	}
	return strings.HasPrefix(text, prev+"*")
}

// replay starts a session and applies every '*'-separated part of text,
// without the resume offer, so that the same text always gives the same
// screen. A free-text screen takes the rest of the text, '*' included, but
// for the parts the screens after it accept (replayFree).
func (m *Machine) replay(ctx context.Context, phone string, known *Session, text string) (Session, string, error) {
	s, reply, err := m.Dial(ctx, phone, known, false)
	parts := strings.Split(text, "*")
	if text == "" {
		parts = nil
	}
	parts = parts[:min(len(parts), maxReplay)]
	for i := 0; err == nil && i < len(parts) && !s.Done; i++ {
		if s.Shape.Free && i+1 < len(parts) {
			return m.replayFree(ctx, phone, s, parts[i:])
		}
		s, reply, err = m.Step(ctx, phone, s, parts[i])
	}
	return s, reply, err
}

// Dial starts a session for phone: registration for an unknown number, a
// final screen for one that is pending or inactive, else the main menu or,
// when offer is set and last was dropped away from the main menu, the
// choice "1 Continue / 2 Start again".
func (m *Machine) Dial(ctx context.Context, phone string, last *Session, offer bool) (Session, string, error) {
	c, err := m.start(ctx, phone, last, offer)
	if err != nil {
		return Session{}, "", err
	}
	reply, err := m.render(c)
	return *c.S, reply, err
}

// start begins the session of a dial and returns it, not rendered yet, for
// a channel's renderer to show (Dial).
func (m *Machine) start(ctx context.Context, phone string, last *Session, offer bool) (*Ctx, error) {
	n, cached, err := m.nurse(ctx, phone, last)
	if err != nil {
		return nil, err
	}
	s := Session{Nurse: n}
	if cached {
		// The learner goes with the nurse it was loaded for, so it is never
		// older than reloadAfter either: a redial reads no SQL.
		s.Learning = last.Learning.clone()
	}
	if q := last.quizLeft(); q != nil && last.Nurse.ID == n.ID && n.ID != 0 {
		// A quiz left midway is taken up again when she opens it (practise).
		s.Quiz = q
	}
	start := m.home(&s)
	switch {
	case n.ID != 0 && n.Status == store.StatusPending:
		start = StPending
	case n.ID != 0 && n.Status != store.StatusActive:
		start = StInactive
	case offer && resumable(last, n):
		s.Saved = savedOf(last)
		start = StResume
	}
	s.Frames = []Frame{{State: start}}
	return &Ctx{Context: ctx, S: &s, Phone: phone, m: m}, nil
}

// quizLeft returns a copy of the quiz the session left with questions
// unanswered, nil when none.
func (s *Session) quizLeft() *Quiz {
	if s == nil || s.Quiz == nil || s.Quiz.next() == len(s.Quiz.Chosen) {
		return nil
	}
	return s.Work.clone().Quiz
}

// resumable reports whether last is a session of the same person that was
// dropped somewhere worth returning to.
func resumable(last *Session, n Nurse) bool {
	if last == nil || last.Done || len(last.Frames) == 0 || last.Nurse.ID != n.ID {
		return false
	}
	top := last.Top().State
	if top == StResume {
		return last.Saved != nil
	}
	return top != StHome && top != StRegister
}

func savedOf(last *Session) *Saved {
	if last.Top().State == StResume {
		return last.Saved
	}
	return &Saved{Frames: last.Frames, Work: last.Work}
}

// dialStore is what a dial needs of the database.
type dialStore interface {
	WorkerByPhone(ctx context.Context, phone string) (store.Worker, error)
	TouchDial(ctx context.Context, workerID int64) error
}

// nurse returns the worker behind phone: from the last position when it was
// read recently (cached), else from the store, recording the dial.
func (m *Machine) nurse(ctx context.Context, phone string, last *Session) (n Nurse, cached bool, err error) {
	now := m.now()
	if last != nil && last.Nurse.ID != 0 && last.Nurse.Status == store.StatusActive &&
		now.Sub(time.Unix(last.Nurse.Loaded, 0)) < reloadAfter {
		return last.Nurse, true, nil
	}
	w, err := m.store.WorkerByPhone(ctx, phone)
	if errors.Is(err, store.ErrNotFound) {
		return Nurse{}, false, nil
	}
	if err != nil {
		return Nurse{}, false, err
	}
	if err := m.store.TouchDial(ctx, w.ID); err != nil {
		return Nurse{}, false, err
	}
	return nurseOf(w, now), false, nil
}

func nurseOf(w store.Worker, now time.Time) Nurse {
	return Nurse{ID: w.ID, Name: w.Name, Role: w.Role, Lang: w.Language, Status: w.Status, OptedOut: w.OptedOut, Loaded: now.Unix()}
}
