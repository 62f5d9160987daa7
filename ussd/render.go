package ussd

import (
	"strconv"
	"strings"

	"github.com/chanjo-health/chanjo/lessons/screen"
)

// layout renders screen sc at "98 More" page in lang, under notice: the one
// place where the screen rules (docs/architecture.md, "A USSD hop") are enforced. The body it returns is
// at most screen.MaxLen characters of the screen character set. It reports
// whether a further page exists and the page it showed (a page past the end,
// left by content that got shorter, shows the last).
func layout(sc Screen, page int, lang, notice string) (string, bool, int) {
	text := clean(compose(sc, notice))
	nav := ""
	if !sc.Top {
		nav = screen.Nav(sc.Kind, lang)
	}
	budget := screen.MaxLen - len(nav)
	if len(text) <= budget {
		return text + nav, false, 0
	}
	if sc.Kind == screen.Final || sc.Kind == screen.Entry {
		// These screens have no "98 More": content must fit; never overflow.
		return cut(text, budget) + nav, false, 0
	}
	more := screen.MoreLine(lang)
	pages := paginate(text, budget-len(more))
	page = max(0, min(page, len(pages)-1))
	body := pages[page]
	last := page == len(pages)-1
	if !last {
		body += more
	}
	return body + nav, !last, page
}

// compose joins the notice, the text and the numbered items, one per line.
func compose(sc Screen, notice string) string {
	n := len(notice) + 1 + len(sc.Text)
	for _, it := range sc.Items {
		n += len(it.Label) + 5
	}
	var b strings.Builder
	b.Grow(n)
	if notice != "" {
		b.WriteString(notice)
	}
	if sc.Text != "" {
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(sc.Text)
	}
	for i, it := range sc.Items {
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(strconv.Itoa(i + 1))
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
// cut in two unless it alone is longer than a page.
func paginate(text string, room int) []string {
	var pages []string
	cur := ""
	for _, line := range strings.Split(text, "\n") {
		for _, piece := range wrap(line, room) {
			switch {
			case cur == "":
				cur = piece
			case len(cur)+1+len(piece) <= room:
				cur += "\n" + piece
			default:
				pages = append(pages, cur)
				cur = piece
			}
		}
	}
	return append(pages, cur)
}

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
