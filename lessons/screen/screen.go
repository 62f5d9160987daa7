// Package screen defines the USSD screen budget once: the length limit, the
// character set and the navigation lines. The USSD renderer and the content
// lint both use it, so a lesson that passes the lint always fits on a phone.
package screen

import (
	"strings"
)

// MaxLen is the most characters a screen body (what follows "CON " or "END ")
// may hold, numbering and navigation included: Safaricom's limit.
const MaxLen = 160

// allowedPunct lists the punctuation of the GSM-7 basic set that is also
// printable ASCII. The extension characters []{}~^\| count double on GSM-7 and
// are garbled by some handsets, so they are left out, as is the backtick.
const allowedPunct = ".,:;!?'\"()-+*/#%&=<>@_$"

// Allowed reports whether r may appear on a USSD screen.
func Allowed(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return true
	case r == ' ' || r == '\n':
		return true
	}
	return strings.ContainsRune(allowedPunct, r)
}

// Labels are the navigation lines of one language ("0 Back"), made from
// the content pack's words (lessons.Pack.Labels).
type Labels struct {
	Next, Back, Home, More, EntryBack string
}

// Kind is the shape of a screen, which decides its navigation lines.
type Kind int

// The kinds of screen.
const (
	// Menu screens end with "0 Back" and "00 Home" on one line.
	Menu Kind = iota
	// Page screens (a lesson page, an explanation) add "1 Next" above Menu's line.
	Page
	// Entry screens ask for a number, so 0 is a digit: they end with "00 Back" only.
	Entry
	// Final screens (END) carry no navigation.
	Final
)

// Nav returns the navigation lines that follow the body of a screen of kind k
// with labels l, starting with a newline, or "" for Final screens.
func Nav(k Kind, l Labels) string {
	switch k {
	case Menu:
		return "\n" + l.Back + " " + l.Home
	case Page:
		return "\n" + l.Next + "\n" + l.Back + " " + l.Home
	case Entry:
		return "\n" + l.EntryBack
	}
	return ""
}

// MoreLine is what a paginated screen adds before its navigation lines.
func MoreLine(l Labels) string { return "\n" + l.More }

// Budget is how many characters the body of a screen of kind k may use
// with labels l once its navigation lines are added.
func Budget(k Kind, l Labels) int { return MaxLen - len(Nav(k, l)) }
