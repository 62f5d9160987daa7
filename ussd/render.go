package ussd

import (
	"strconv"
	"strings"

	"github.com/chanjo-health/chanjo/lessons/screen"
)

// layout renders screen sc at the "98 More" page and under the notice of
// frame f with navigation labels (the nurse's language's,
// lessons.Pack.Labels): the one place where the screen rules (docs/architecture.md, "A USSD
// hop") are enforced, and the only one that knows the budget of a USSD screen (a
// channel with longer screens renders the same Screen its own way). The
// body it returns is at most screen.MaxLen characters of the screen
// character set. It reports whether a further page exists and the page it
// showed (a page past the end, left by content that got shorter, shows the
// last). The notice stands above the page it was given on (f.NoticeAt), so
// a wrong key repeats that very page under it, and the text it pushes down
// goes on over "98 More".
func layout(sc Screen, f Frame, labels screen.Labels) (string, bool, int) {
	text, notice := clean(compose(sc)), clean(f.Notice)
	nav := ""
	if !sc.Top {
		nav = screen.Nav(sc.Kind, labels)
	}
	budget := screen.MaxLen - len(nav)
	if notice != "" && len(notice)+1+len(text) <= budget {
		return notice + "\n" + text + nav, false, 0
	}
	if notice == "" && len(text) <= budget {
		return text + nav, false, 0
	}
	if sc.Kind == screen.Final || sc.Kind == screen.Entry {
		// These screens have no "98 More": content must fit; never overflow.
		if notice != "" {
			text = notice + "\n" + text
		}
		return cut(text, budget) + nav, false, 0
	}
	more := screen.MoreLine(labels)
	room := budget - len(more)
	pages, starts := paginate(text, room)
	if notice != "" {
		at := max(0, min(f.NoticeAt, len(pages)-1))
		rest, _ := paginate(notice+"\n"+text[starts[at]:], room)
		pages = append(pages[:at:at], rest...)
	}
	page := max(0, min(f.Page, len(pages)-1))
	body := pages[page]
	last := page == len(pages)-1
	if !last {
		body += more
	}
	return body + nav, !last, page
}

// compose joins the text and the numbered items, one per line.
func compose(sc Screen) string {
	n := len(sc.Text)
	for _, it := range sc.Items {
		n += len(it.Label) + 5
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteString(sc.Text)
	for i, it := range sc.Items {
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(strconv.Itoa(itemNumber(i)))
		b.WriteByte(' ')
		b.WriteString(it.Label)
	}
	return b.String()
}

// clean replaces every character a phone may garble with '?', so that no
// text (a typed name, a content typo) can break a screen.
func clean(s string) string {
	ok := true
	for _, r := range s {
		if !screen.Allowed(r) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	return strings.Map(func(r rune) rune {
		if screen.Allowed(r) {
			return r
		}
		return '?'
	}, s)
}

// paginate splits text into pages of at most room characters, breaking
// between lines, and inside a long line between words: a menu item is never
// cut in two unless it alone is longer than a page. A line longer than a
// page, cut anyway, starts on the page before when at least minFill
// characters are free there, so a notice above a full page pushes its text
// on rather than leave the page empty. It returns where each page starts
// in text too.
func paginate(text string, room int) (pages []string, starts []int) {
	cur, at := "", 0 // at: where the next piece is looked for in text
	// place finds piece in text, where it follows what was placed before.
	place := func(piece string) int {
		i := at + strings.Index(text[at:], piece)
		at = i + len(piece)
		return i
	}
	for _, line := range strings.Split(text, "\n") {
		if free := room - len(cur) - 1; cur != "" && len(line) > room && free >= minFill {
			if i := strings.LastIndexByte(line[:free+1], ' '); i > 0 {
				place(line[:i])
				cur += "\n" + line[:i]
				line = line[i+1:]
			}
		}
		for _, piece := range wrap(line, room) {
			from := place(piece)
			switch {
			case cur == "":
				cur = piece
				if len(starts) == len(pages) {
					starts = append(starts, from)
				}
			case len(cur)+1+len(piece) <= room:
				cur += "\n" + piece
			default:
				pages = append(pages, cur)
				cur = piece
				starts = append(starts, from)
			}
		}
	}
	if len(starts) == len(pages) {
		starts = append(starts, len(text))
	}
	return append(pages, cur), starts
}

// minFill is the least room worth starting a long line on (paginate).
const minFill = 20

// wrap splits line into pieces of at most room characters at spaces, or
// anywhere when a word is longer than room.
func wrap(line string, room int) []string {
	var out []string
	for len(line) > room {
		i := strings.LastIndexByte(line[:room+1], ' ')
		if i <= 0 {
			out = append(out, line[:room])
			line = line[room:]
			continue
		}
		out = append(out, line[:i])
		line = line[i+1:]
	}
	return append(out, line)
}

// cut shortens text to at most n characters, at a space when one is near.
func cut(text string, n int) string {
	if len(text) <= n {
		return text
	}
	text = text[:n]
	if i := strings.LastIndexAny(text, " \n"); i > n-20 && i > 0 {
		text = text[:i]
	}
	return text
}
