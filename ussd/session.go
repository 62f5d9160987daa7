package ussd

import (
	"slices"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/lessons/screen"
)

// Session is what Chanjo remembers of one USSD session between hops. It is
// kept in Redis under the phone's session key (Service.keys). Every field is
// typed: what a tree keeps between its screens has a field of its own in
// Work, encoded by the one codec in session_codec.go.
type Session struct {
	// Text is the gateway's cumulative text at the last hop: the next hop's
	// input is what follows it.
	Text string
	// Frames is the stack of screens; the last is the current one. "0 Back"
	// pops it.
	Frames []Frame
	// Work is what the trees keep between their screens.
	Work
	// Nurse caches the worker, so that navigating needs no SQL.
	Nurse Nurse
	// Learning caches her learning (learner.go), loaded once per session.
	Learning *Learning
	// Open caches the assessment forms open now, read once per session.
	Open *OpenForms
	// Reply is the answer sent at the last hop, sent again for a repeated hop.
	Reply string
	// Shape is what the last screen offered, so the next input is understood
	// without showing that screen again (which could cost SQL).
	Shape Shape
	// Done is set when the session reached an END screen.
	Done bool
	// Saved holds the screens of a dropped session while "1 Continue /
	// 2 Start again" is offered.
	Saved *Saved
	// GatewayID is the gateway's sessionId of the hop that wrote the
	// session: the phone's session key holds the session of the phone's
	// latest dial, which a hop reads as its own only when the ids match
	// (Service.keys).
	GatewayID string
}

// Work is what the menu trees keep between screens: one typed field per
// tree, nil when the tree has nothing under way.
type Work struct {
	Quiz     *Quiz          // menu_quiz.go: the quiz or assessment under way
	Calc     *Calc          // menu_stock.go: the calculation being typed
	Visit    *VisitDraft    // menu_visit.go: the visit being scheduled or logged
	Question *QuestionDraft // menu_ask.go: the question being typed
	Reg      *RegDraft      // menu_register.go: the registration being typed
	// Won is the topic that the lesson or practice quiz just finished
	// completed, said when she leaves its key point (menu_lessons.go) or
	// the explanation of the quiz's last answer (menu_quiz.go).
	Won string
}

// Saved is the position of a dropped session.
type Saved struct {
	Frames []Frame
	Work   Work
}

// Frame is one screen on the stack: its state, what it shows, and the
// "98 More" page. Key, N and ID are typed arguments that each state
// documents; none is ever parsed.
type Frame struct {
	State State
	// Key names what the screen shows: a topic, a lesson, a form, a
	// calculator.
	Key string
	// N is a position in it: a lesson's page, a question, a list's offset.
	N int
	// ID is a database row: a visit, a question, a mentee.
	ID int64
	// Page is the "98 More" page of the screen.
	Page int
	// Notice is shown above the screen from its page NoticeAt on ("Invalid
	// choice."), and kept while she pages through the screen.
	Notice   string
	NoticeAt int
}

// Shape is what a rendered screen accepts: its kind, whether it has the
// navigation lines, whether "98 More" leads to a further page, and what its
// numbered items do: a Frame with a State opens it; one without is an
// action (Item.Do), which the screen is shown again to find.
type Shape struct {
	Kind  screen.Kind
	Top   bool
	More  bool
	Items []Frame
	Free  bool // a free-text entry (FreeText)
}

// Nurse is the worker behind the phone, as loaded from the store. ID 0 is a
// number the roster does not know (yet).
type Nurse struct {
	ID       int64
	Name     string
	Role     string
	Lang     string
	Status   string
	OptedOut bool
	// Loaded is when the row was read (Unix seconds): a cache older than
	// reloadAfter is read again at the next dial.
	Loaded int64
}

// Quiz is a practice quiz or an assessment under way; it stays after the
// last answer, for the score screen.
type Quiz struct {
	Attempt int64
	Seed    int64
	Form    lessons.Form
	Topic   string // practice: the topic
	// Questions are the question ids of a practice quiz; an assessment's
	// are its form's in the pack.
	Questions []string
	// Chosen is the option chosen per question (the pack's index), -1 for
	// none yet.
	Chosen []int
}

// Calc is a stock calculation being typed: the calculator, the vaccine
// chosen and the values typed so far, in the calculator's order of inputs.
type Calc struct {
	Name    string
	Vaccine string
	Values  []float64
}

// VisitDraft is a mentor visit being scheduled or logged: the mentee, the
// day typed (Unix seconds, local midnight), and notes typed so far.
type VisitDraft struct {
	Mentee int64
	Day    int64
	Notes  string
}

// QuestionDraft is a question to a mentor being typed.
type QuestionDraft struct {
	Text string
}

// RegDraft is a registration being typed: the name, the facility code and
// whether the roster knows it, and when she agreed to what is kept (Unix
// seconds).
type RegDraft struct {
	Name     string
	Facility string
	Known    bool
	Consent  int64
}

// OpenForms are the assessment forms open at the session's first look.
type OpenForms struct {
	Forms []lessons.Form
}

// Top returns the current frame.
func (s *Session) Top() Frame {
	if len(s.Frames) == 0 {
		return Frame{}
	}
	return s.Frames[len(s.Frames)-1]
}

func (s *Session) push(f Frame) { s.Frames = append(s.Frames, f) }

func (s *Session) setTop(f Frame) {
	if len(s.Frames) == 0 {
		s.push(f)
		return
	}
	s.Frames[len(s.Frames)-1] = f
}

// clone returns a deep copy of s, so a step can change its session in
// place and still fail without touching the session it started from (which
// a replay goes on from).
func (s Session) clone() Session {
	// Room for the frame a step pushes, so that it does not copy them again.
	s.Frames = append(make([]Frame, 0, len(s.Frames)+1), s.Frames...)
	s.Work = s.Work.clone()
	s.Learning = s.Learning.clone()
	if s.Open != nil {
		s.Open = &OpenForms{Forms: slices.Clone(s.Open.Forms)}
	}
	if s.Saved != nil {
		s.Saved = &Saved{Frames: slices.Clone(s.Saved.Frames), Work: s.Saved.Work.clone()}
	}
	// Shape.Items is shared: it is only read, and record replaces it whole.
	return s
}

func (w Work) clone() Work {
	if w.Quiz != nil {
		q := *w.Quiz
		q.Questions, q.Chosen = slices.Clone(q.Questions), slices.Clone(q.Chosen)
		w.Quiz = &q
	}
	if w.Calc != nil {
		c := *w.Calc
		c.Values = slices.Clone(c.Values)
		w.Calc = &c
	}
	w.Visit = clonePtr(w.Visit)
	w.Question = clonePtr(w.Question)
	w.Reg = clonePtr(w.Reg)
	return w
}

// clonePtr copies a struct without references.
func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	c := *p
	return &c
}
