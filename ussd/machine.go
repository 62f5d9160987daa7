package ussd

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/lessons/screen"
	"github.com/chanjo-health/chanjo/store"
)

// State names a screen of the menu tree. Each menu file declares its own
// states with a prefix of its own ("reg.name", "set.lang"), so trees written
// in separate files never collide.
type State string

// Store is what the service needs of the database: what each tree
// declares it needs, and no more (trees.go). A tree reaches its own part
// with storeOf.
type Store interface {
	dialStore     // advance.go
	endStore      // http.go
	registerStore // menu_register.go
	settingsStore // menu_settings.go
	learningStore // menu_lessons.go, menu_quiz.go, learner.go
	PageSaver     // progress.go
	visitStore    // menu_visit.go, menu_visit_done.go, menu_mentees.go
	askStore      // menu_ask.go
	inboxStore    // menu_inbox.go
	groupStore    // menu_groups.go
	stockStore    // menu_stock.go
}

// storeOf returns the store as S, the interface a tree declares: Store
// embeds every tree's, so the conversion always holds.
func storeOf[S any](c *Ctx) S { return c.m.store.(S) }

// Node is one state of a menu tree: how its screen looks, and what it does
// with an input that navigation and the screen's items did not take.
type Node struct {
	State State
	// Show returns the screen of the current frame. It runs after every move
	// onto the state, again for "98 More" and to find what a chosen item
	// does: it reads, and never writes (the move that reaches a screen
	// records what reaching it means).
	Show func(c *Ctx) (Screen, error)
	// Input handles what the nurse typed on an Entry screen, or "1" on a
	// Page. Nil: any other input is an invalid choice.
	Input func(c *Ctx, in string) (Move, error)
}

// Ctx is what a Node sees during a hop: the request's context, the session
// being built (which it may change), and through its methods the content
// pack, the clock and the store.
type Ctx struct {
	context.Context
	// S is the next session: Show and Input may set its Work and Nurse.
	S     *Session
	Phone string // +254...
	m     *Machine
}

// Lang returns the nurse's language: her choice when the pack speaks it,
// else the pack's first language.
func (c *Ctx) Lang() string { return c.m.pack.Lang(c.S.Nurse.Lang) }

// Say returns the catalogue's text key (the pack's messages-*.yaml) in the
// nurse's language, its <name> parameters filled from args given as name,
// value pairs: c.Say("quiz.score_all", "score", "5/5 (100%)").
func (c *Ctx) Say(key string, args ...any) string {
	return c.m.pack.Say(c.Lang(), key, args...)
}

// Pack returns the content pack: lessons, questions, stock settings.
func (c *Ctx) Pack() *lessons.Pack { return c.m.pack }

// Now returns the service's clock.
func (c *Ctx) Now() time.Time { return c.m.now() }

// OpenEnrolment reports whether unknown numbers that register are active at once.
func (c *Ctx) OpenEnrolment() bool { return c.m.open }

// Invalid is the move for an input the screen does not accept: the same
// screen again, under a clear "invalid choice", in every language before
// she chose hers.
func (c *Ctx) Invalid() Move {
	if c.S.Nurse.Lang == "" {
		return Retry(inEveryLanguage(c, "common.invalid"))
	}
	return Retry(c.Say("common.invalid"))
}

// markPage hands a lesson page she reached to the write-behind.
func (c *Ctx) markPage(mark store.PageMark) error { return c.m.pages.Mark(c, mark) }

// packPrint is the fingerprint of the pack, which the session's Learning
// carries.
func (c *Ctx) packPrint() uint32 { return c.m.print }

// Machine is the menu state machine. Step and Dial are pure with respect to
// HTTP and Redis: they take a session and give the next, so tests drive
// whole conversations without either.
type Machine struct {
	store Store
	open  bool
	now   func() time.Time
	nodes map[State]Node
	// pack holds the lessons and questions, and the stock settings
	// (vaccines, stock policy); print is its fingerprint.
	pack  *lessons.Pack
	print uint32
	pages *Progress // the write-behind of lesson pages
	tz    *time.Location
	// mentoring is Config.Mentoring.
	mentoring Mentoring
}

// nairobi is CHANJO_TZ's default, Africa/Nairobi, which has no summer time.
var nairobi = time.FixedZone("EAT", 3*60*60)

// maxFrames bounds the Back stack; the oldest screens above Home are dropped.
const maxFrames = 16

// Step applies one input to session s and returns the next session and the
// answer ("CON ..." or "END ..."). On error s is unchanged and still good.
func (m *Machine) Step(ctx context.Context, phone string, s Session, in string) (Session, string, error) {
	c, err := m.move(ctx, phone, s, in)
	if err != nil {
		return s, "", err
	}
	reply, err := m.render(c)
	if err != nil {
		return s, "", err
	}
	return *c.S, reply, nil
}

// move applies one input to a copy of s and returns the hop on it, for a
// channel's renderer to show (render, or renderChat on WhatsApp).
func (m *Machine) move(ctx context.Context, phone string, s Session, in string) (*Ctx, error) {
	next := s.clone()
	c := &Ctx{Context: ctx, S: &next, Phone: phone, m: m}
	mv, err := m.decide(c, in)
	if err != nil {
		return nil, err
	}
	m.apply(c, mv)
	return c, nil
}

// decide turns an input into a move: navigation first, then the screen's
// numbered items, then the state's own Input. Spaces around what she typed
// are dropped, but on a free-text screen, whose Input takes the text as it
// came.
func (m *Machine) decide(c *Ctx, in string) (Move, error) {
	sh := c.S.Shape
	if !sh.Free {
		in = strings.TrimSpace(in)
	}
	menu := sh.Kind != screen.Entry
	switch {
	case sh.Kind == screen.Final:
		return Stay(), nil
	case sh.Kind == screen.Entry && in == "00":
		return Back(), nil
	case menu && sh.Top && (in == "0" || in == "00") && c.S.Top().State == StHome:
		return Reset(Frame{State: StBye}), nil
	case menu && !sh.Top && in == "0":
		return Back(), nil
	case menu && !sh.Top && in == "00":
		return Home(), nil
	case menu && in == "98" && sh.More:
		f := c.S.Top()
		f.Page++
		return Go(f), nil
	case menu && in == "98":
		return Stay(), nil // the last page: it stays
	}
	node, ok := m.nodes[c.S.Top().State]
	if i, isItem := itemIndex(in, len(sh.Items)); isItem && ok {
		if to := sh.Items[i]; to.State != "" {
			return Go(to), nil
		}
		if mv, acted, err := m.act(c, node, i); acted || err != nil {
			return mv, err
		}
	}
	if !ok || node.Input == nil {
		return c.Invalid(), nil
	}
	mv, err := node.Input(c, in)
	if err != nil {
		return Move{}, fmt.Errorf("ussd: %s: %w", c.S.Top().State, err)
	}
	return mv, nil
}

// act does what item i of the current screen does (Item.Do): the screen
// is shown again to find it, which reads and never writes. It reports false
// when the screen shown again has no such item (a session saved on another
// screen), for the state's Input.
func (m *Machine) act(c *Ctx, node Node, i int) (Move, bool, error) {
	sc, err := node.Show(c)
	if err != nil {
		return Move{}, false, fmt.Errorf("ussd: show %s: %w", c.S.Top().State, err)
	}
	if i >= len(sc.Items) || sc.Items[i].Do == nil {
		return Move{}, false, nil
	}
	mv, err := sc.Items[i].Do(c)
	if err != nil {
		return Move{}, true, fmt.Errorf("ussd: %s item %d: %w", c.S.Top().State, itemNumber(i), err)
	}
	return mv, true, nil
}

// apply makes the move on the session's stack of screens. The screen it
// lands on shows the move's notice; without one, it keeps its own while
// she stays on it or pages through it ("98 More", Back to the page before),
// and loses it when she comes back from another screen.
func (m *Machine) apply(c *Ctx, mv Move) {
	s := c.S
	from := s.Top()
	switch mv.kind {
	case movePush:
		s.Frames = append(s.Frames, mv.frames...)
		if len(s.Frames) > maxFrames {
			s.Frames = append(s.Frames[:1], s.Frames[len(s.Frames)-maxFrames+1:]...)
		}
	case moveReplace:
		s.setTop(mv.frames[0])
	case moveBack:
		if len(s.Frames) > 1 {
			s.Frames = s.Frames[:len(s.Frames)-1]
		} else {
			s.Frames = []Frame{{State: m.home(s)}}
		}
	case moveHome:
		s.Frames = []Frame{{State: m.home(s)}}
	case moveReset:
		s.Frames = []Frame{mv.frames[0]}
	}
	top := s.Top()
	switch {
	case mv.notice != "":
		top.Notice, top.NoticeAt = mv.notice, top.Page
	case !sameScreen(top, from):
		top.Notice, top.NoticeAt = "", 0
	}
	s.setTop(top)
}

// sameScreen reports whether a and b are pages of one screen.
func sameScreen(a, b Frame) bool {
	a.Page, a.Notice, a.NoticeAt = b.Page, b.Notice, b.NoticeAt
	return a == b
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
// returns the answer.
func (m *Machine) render(c *Ctx) (string, error) {
	sc, err := m.show(c)
	if err != nil {
		return "", err
	}
	f := c.S.Top()
	body, more, page := layout(sc, f, c.Pack().Labels(c.Lang()))
	f.Page = page
	c.S.setTop(f)
	c.S.record(sc, more)
	if c.S.Done {
		c.S.Reply = "END " + body
	} else {
		c.S.Reply = "CON " + body
	}
	return c.S.Reply, nil
}

// show returns the screen of the current frame, whatever the channel. A
// state no tree knows (a session from before a new release) falls back to
// Home.
func (m *Machine) show(c *Ctx) (Screen, error) {
	node, ok := m.nodes[c.S.Top().State]
	if !ok {
		c.S.Frames = []Frame{{State: m.home(c.S)}}
		node = m.nodes[c.S.Top().State]
	}
	sc, err := node.Show(c)
	if err != nil {
		return Screen{}, fmt.Errorf("ussd: show %s: %w", c.S.Top().State, err)
	}
	if sc.Text == "" && len(sc.Items) == 0 {
		return Screen{}, fmt.Errorf("ussd: show %s: %w", c.S.Top().State, errNoScreen)
	}
	return sc, nil
}

// record keeps the shape of the screen shown, which the next input is
// read against; more tells whether a "98 More" page follows.
func (s *Session) record(sc Screen, more bool) {
	s.Shape = Shape{Kind: sc.Kind, Top: sc.Top, More: more, Items: targets(sc.Items), Free: sc.Free}
	s.Done = sc.Kind == screen.Final
}
