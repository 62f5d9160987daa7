package ussd

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/lessons/screen"
	"github.com/chanjo-health/chanjo/store"
)

// State names a screen of the menu tree. Each menu file declares its own
// states with a prefix of its own ("reg.name", "set.lang"), so trees written
// in separate files never collide.
type State string

// Store is what the menus and the end-of-session callback need of the database.
type Store interface {
	WorkerByPhone(ctx context.Context, phone string) (store.Worker, error)
	TouchDial(ctx context.Context, workerID int64) error
	Register(ctx context.Context, r store.Registration) (store.Worker, error)
	RecordConsent(ctx context.Context, workerID int64, via string, at time.Time) error
	FacilityKnown(ctx context.Context, code string) (bool, error)
	SubCounties(ctx context.Context) ([]string, error)
	SetLanguage(ctx context.Context, workerID int64, lang string) error
	SetOptOut(ctx context.Context, phone string, out bool) (bool, error)
	SaveCalculationFor(ctx context.Context, workerID int64, calculator, vaccine string, inputs, result []byte, status string) error
	RecordUSSDSession(ctx context.Context, e store.USSDSessionEnd) error

	// Lessons, quizzes and assessments (menu_lessons.go, menu_quiz.go).
	SaveLessonPages(ctx context.Context, marks []store.PageMark) error
	ProgressSummary(ctx context.Context, workerID int64) (store.Summary, error)
	CompleteTopic(ctx context.Context, c store.TopicCompletion) (bool, error)
	MissedQuestions(ctx context.Context, workerID int64, topic string) ([]string, error)
	StartAttempt(ctx context.Context, workerID int64, form, topic string, seed int64) (int64, error)
	RecordAnswer(ctx context.Context, attemptID int64, questionID, topic string, chosen int, correct bool) error
	FinishAttempt(ctx context.Context, attemptID int64, score, total int) error
	AssessmentAttempt(ctx context.Context, workerID int64, form string) (store.Attempt, error)
	AssessmentBlocker(ctx context.Context, workerID int64, form string) (string, error)
	OpenAssessments(ctx context.Context, now time.Time) ([]store.Window, error)
	QueueSMS(ctx context.Context, m store.Outgoing) (bool, error) // a job aid by SMS

	MentorStore // visits and questions (menu_visit.go, menu_ask.go)
}

// Node is one state of a menu tree: how its screen looks, and what it does
// with an input that navigation did not take.
type Node struct {
	State State
	// Show returns the screen of the current frame. It runs after every move
	// onto the state, and again for "98 More".
	Show func(c *Ctx) (Screen, error)
	// Input handles what the nurse typed on this screen, once "0", "00",
	// "98" and the numbers of the screen's Items are taken. Nil: any other
	// input is an invalid choice.
	Input func(c *Ctx, in string) (Move, error)
}

// Ctx is what a Node sees during a hop: the request's context, the session
// being built (which it may change), and the service's store.
type Ctx struct {
	context.Context
	// S is the next session: Show and Input may set its Vars and Nurse.
	S     *Session
	Phone string // +254...
	m     *Machine
}

// Lang returns the nurse's language, en or sw.
func (c *Ctx) Lang() string {
	if c.S.Nurse.Lang == "sw" {
		return "sw"
	}
	return "en"
}

// T returns en or sw, whichever is the nurse's language.
func (c *Ctx) T(en, sw string) string {
	if c.Lang() == "sw" {
		return sw
	}
	return en
}

// Store returns the database.
func (c *Ctx) Store() Store { return c.m.store }

// Arg returns the argument of the current frame.
func (c *Ctx) Arg() string { return c.S.Top().Arg }

// OpenEnrolment reports whether unknown numbers that register are active at once.
func (c *Ctx) OpenEnrolment() bool { return c.m.open }

// Invalid is the move for an input the screen does not accept: the same
// screen again, under a clear "invalid choice".
func (c *Ctx) Invalid() Move { return Retry(c.T("Invalid choice.", "Chaguo si sahihi.")) }

// Machine is the menu state machine. Step and Dial are pure with respect to
// HTTP and Redis: they take a session and give the next, so tests drive
// whole conversations without either.
type Machine struct {
	store Store
	open  bool
	now   func() time.Time
	nodes map[State]Node
	// pack holds the lessons and questions, and the stock settings
	// (vaccines, stock policy): Config.Pack, else the embedded pack.
	pack  *lessons.Pack
	pages *Progress // the write-behind of lesson pages
	tz    *time.Location
	// mentoring is Config.Mentoring.
	mentoring Mentoring
}

// NewMachine returns the machine over every tree listed in trees.go.
// open is CHANJO_ENROLMENT=open; now is the clock (nil: time.Now).
func NewMachine(st Store, open bool, now func() time.Time) *Machine {
	if now == nil {
		now = time.Now
	}
	pack, err := lessons.Default()
	if err != nil {
		panic(err) // the shipped pack is linted by the tests of lessons
	}
	return &Machine{store: st, open: open, now: now, nodes: table, pack: pack, pages: NewProgress(st, nil), tz: nairobi}
}

// nairobi is CHANJO_TZ's default, Africa/Nairobi, which has no summer time.
var nairobi = time.FixedZone("EAT", 3*60*60)

// maxFrames bounds the Back stack; the oldest screens above Home are dropped.
const maxFrames = 16

// Step applies one input to session s and returns the next session and the
// answer ("CON ..." or "END ..."). On error s is unchanged and still good.
func (m *Machine) Step(ctx context.Context, phone string, s Session, in string) (Session, string, error) {
	next := s.clone()
	c := &Ctx{Context: ctx, S: &next, Phone: phone, m: m}
	mv, err := m.decide(c, in)
	if err != nil {
		return s, "", err
	}
	m.apply(c, mv)
	reply, err := m.render(c, mv.notice)
	if err != nil {
		return s, "", err
	}
	return next, reply, nil
}

// decide turns an input into a move: navigation first, then the screen's
// numbered items, then the state's own Input.
func (m *Machine) decide(c *Ctx, in string) (Move, error) {
	sh := c.S.Shape
	switch {
	case sh.Kind == screen.Final:
		return Stay(), nil
	case sh.Kind == screen.Entry && in == "00":
		return Back(), nil
	case sh.Kind != screen.Entry && !sh.Top && in == "0":
		return Back(), nil
	case sh.Kind != screen.Entry && !sh.Top && in == "00":
		return Home(), nil
	case sh.Kind != screen.Entry && in == "98" && sh.More:
		f := c.S.Top()
		f.Page++
		return Move{kind: movePush, frame: f}, nil
	}
	if n, err := strconv.Atoi(in); err == nil && n >= 1 && n <= len(sh.Items) && sh.Items[n-1].State != "" {
		return Go(sh.Items[n-1].State, sh.Items[n-1].Arg), nil
	}
	node, ok := m.nodes[c.S.Top().State]
	if !ok || node.Input == nil {
		return c.Invalid(), nil
	}
	mv, err := node.Input(c, in)
	if err != nil {
		return Move{}, fmt.Errorf("ussd: %s: %w", c.S.Top().State, err)
	}
	return mv, nil
}

func (m *Machine) apply(c *Ctx, mv Move) {
	s := c.S
	switch mv.kind {
	case movePush:
		s.push(mv.frame)
		if len(s.Frames) > maxFrames {
			s.Frames = append(s.Frames[:1], s.Frames[len(s.Frames)-maxFrames+1:]...)
		}
	case moveReplace:
		s.setTop(mv.frame)
	case moveBack:
		if len(s.Frames) > 1 {
			s.Frames = s.Frames[:len(s.Frames)-1]
		} else {
			s.Frames = []Frame{{State: m.home(s)}}
		}
	case moveHome:
		s.Frames = []Frame{{State: m.home(s)}}
	case moveReset:
		s.Frames = []Frame{mv.frame}
	case moveStay:
		// A notice stands above a screen's first page ("98 More" pages are
		// frames of their own): go back to that page so it is seen.
		for mv.notice != "" && len(s.Frames) > 1 && s.Top().Page > 0 {
			s.Frames = s.Frames[:len(s.Frames)-1]
		}
	}
}

// home is where "00 Home" leads: the main menu, or for a number the roster
// does not know, the start of registration.
func (m *Machine) home(s *Session) State {
	if s.Nurse.ID == 0 {
		return StRegister
	}
	return StHome
}

// errNoScreen is returned when a state shows a screen with nothing on it.
var errNoScreen = errors.New("empty screen")

// render shows the current frame, records its shape for the next hop and
// returns the answer. A state no tree knows (a session from before a new
// release) falls back to Home.
func (m *Machine) render(c *Ctx, notice string) (string, error) {
	node, ok := m.nodes[c.S.Top().State]
	if !ok {
		c.S.Frames = []Frame{{State: m.home(c.S)}}
		node = m.nodes[c.S.Top().State]
	}
	sc, err := node.Show(c)
	if err != nil {
		return "", fmt.Errorf("ussd: show %s: %w", c.S.Top().State, err)
	}
	if sc.Text == "" && len(sc.Items) == 0 {
		return "", fmt.Errorf("ussd: show %s: %w", c.S.Top().State, errNoScreen)
	}
	f := c.S.Top()
	body, more, page := layout(sc, f.Page, c.Lang(), notice)
	f.Page = page
	c.S.setTop(f)
	c.S.Shape = Shape{Kind: sc.Kind, Top: sc.Top, More: more, Items: targets(sc.Items), Free: sc.Free}
	c.S.Done = sc.Kind == screen.Final
	if c.S.Done {
		c.S.Reply = "END " + body
	} else {
		c.S.Reply = "CON " + body
	}
	return c.S.Reply, nil
}
