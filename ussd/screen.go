package ussd

import (
	"strconv"

	"github.com/chanjo-health/chanjo/lessons/screen"
)

// Screen is what a state shows: a text, numbered items below it, and a kind
// that decides the navigation lines (screen.Menu: "0 Back 00 Home";
// screen.Page: "1 Next" above them; screen.Entry: "00 Back" only, since 0 is
// a number there; screen.Final: an END screen without navigation).
// The renderer adds the numbers, the "98 More" pages and the navigation.
type Screen struct {
	Kind  screen.Kind
	Text  string
	Items []Item
	// Top drops the navigation lines: the main menu and the resume offer,
	// where Back and Home lead nowhere.
	Top bool
	// Free marks an Entry whose answer is free text, '*' included (FreeText).
	Free bool
}

// Item is a numbered line of a menu: it opens the screen To, or does Do
// (records an answer, sends a job aid) and moves as Do says. Choosing it
// runs the one it carries, whatever its place in the list. Do runs on the
// screen shown again, so what it needs is in the item itself.
type Item struct {
	Label string
	To    Frame
	Do    func(c *Ctx) (Move, error)
}

// Menu returns a menu screen.
func Menu(text string, items ...Item) Screen {
	return Screen{Kind: screen.Menu, Text: text, Items: items}
}

// Page returns a page screen: text, "1 Next", then Back and Home. The
// state's Input handles "1".
func Page(text string) Screen { return Screen{Kind: screen.Page, Text: text} }

// Entry returns a screen that asks for a value; its Input gets every answer
// but "00".
func Entry(prompt string) Screen { return Screen{Kind: screen.Entry, Text: prompt} }

// FreeText returns an Entry whose answer is free text that may hold '*' (a
// question, a name): replaying the gateway's text after a lost session
// gives it the rest of the text up to the parts the screens after it accept.
func FreeText(prompt string) Screen { return Screen{Kind: screen.Entry, Text: prompt, Free: true} }

// End returns a final screen: the session ends on it.
func End(text string) Screen { return Screen{Kind: screen.Final, Text: text} }

// targets are what the screen's items open, for Shape: a Frame without a
// State for an item that acts.
func targets(items []Item) []Frame {
	if len(items) == 0 {
		return nil
	}
	fs := make([]Frame, len(items))
	for i, it := range items {
		if it.To.State != "" {
			fs[i] = it.To
		}
	}
	return fs
}

type moveKind int

const (
	moveStay moveKind = iota
	movePush
	moveReplace
	moveBack
	moveHome
	moveReset
)

// Move is what an input does: open a screen, go back, go home or stay, with
// an optional notice shown once above the next screen.
type Move struct {
	kind   moveKind
	frames []Frame
	notice string
}

// Go opens the screen f on top of the current one ("0 Back" returns).
// Several frames open each on the one before, the last on top, so "0 Back"
// walks back through them (the pages of a lesson resumed midway).
func Go(f Frame, more ...Frame) Move {
	return Move{kind: movePush, frames: append([]Frame{f}, more...)}
}

// Replace shows f in place of the current screen, so "0 Back" skips it
// (the next question of a quiz, a result after an entry).
func Replace(f Frame) Move { return Move{kind: moveReplace, frames: []Frame{f}} }

// Reset makes f the only screen on the stack.
func Reset(f Frame) Move { return Move{kind: moveReset, frames: []Frame{f}} }

// Back returns to the previous screen.
func Back() Move { return Move{kind: moveBack} }

// Home returns to the main menu.
func Home() Move { return Move{kind: moveHome} }

// Stay shows the current screen again (after Input changed the session).
func Stay() Move { return Move{kind: moveStay} }

// Retry shows the current screen again under notice: an input it rejects.
func Retry(notice string) Move { return Move{kind: moveStay, notice: notice} }

// Say adds a notice shown once above the next screen ("Saved.").
func (m Move) Say(notice string) Move {
	m.notice = notice
	return m
}

// itemNumber is the number shown for the item at index i: 1 on, but 98,
// which is "98 More" on every screen, so a long list paged by the renderer
// never hides an item behind it.
func itemNumber(i int) int {
	if i+1 < 98 {
		return i + 1
	}
	return i + 2
}

// itemIndex returns the index of the item numbered in, of n items; false
// when in is no item's number (not a number, 98, "01").
func itemIndex(in string, n int) (int, bool) {
	k, err := strconv.Atoi(in)
	if err != nil || in != strconv.Itoa(k) || k < 1 || k == 98 {
		return 0, false
	}
	i := k - 1
	if k > 98 {
		i = k - 2
	}
	return i, i < n
}
