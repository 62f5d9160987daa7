package lessons

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/chanjo-health/chanjo/lessons/screen"
)

// The kinds of screen the composed bodies below are shown on; the USSD
// renderer appends screen.Nav of the same kind.
const (
	PageKind     = screen.Page // lesson pages and the key point: "1 Next", "0 Back 00 Home"
	QuestionKind = screen.Menu // a question: its options are a numbered menu
	ExplainKind  = screen.Page // the explanation after an answer
)

// MaxQuizLen is the most questions a quiz may hold: the lint measures
// question screens with a two-digit "n/total" header, the longest there is.
const MaxQuizLen = 99

// words are the fixed words the composed screens add to the content, from
// the catalogue (messages-screen.yaml). saysRight and saysWrong are how
// explanations that already give the verdict begin, so the screen does not
// say it twice ("Correct! Right: ...").
type words struct {
	keyPoint, question, right, wrong, answer string
	saysRight, saysWrong                     []string
}

// words returns the screen words in lang, read from the catalogue once at
// load (screenWords): a quiz hop composes two screens.
func (p *Pack) words(lang string) words {
	if w, ok := p.screenWords[lang]; ok {
		return w
	}
	return p.screenWords[p.Lang(lang)]
}

// readWords reads the screen words of lang from the catalogue.
func (p *Pack) readWords(lang string) words {
	list := func(key string) []string {
		var ws []string
		for _, w := range strings.Split(p.Say(lang, key), ",") {
			if w = strings.TrimSpace(w); w != "" {
				ws = append(ws, w)
			}
		}
		return ws
	}
	return words{keyPoint: p.Say(lang, "screen.key_point") + " ", question: p.Say(lang, "screen.question"),
		right: p.Say(lang, "screen.right") + " ", wrong: p.Say(lang, "screen.wrong") + " ", answer: p.Say(lang, "screen.answer") + " ",
		saysRight: list("screen.says_right"), saysWrong: list("screen.says_wrong")}
}

// Labels returns the navigation lines in lang ("0 Back", "98 More"): the
// keys a nurse presses are fixed, their words come from the catalogue
// (messages-nav.yaml).
func (p *Pack) Labels(lang string) screen.Labels {
	if l, ok := p.labels[lang]; ok {
		return l
	}
	return p.labels[p.Lang(lang)]
}

// readLabels reads the navigation lines of lang from the catalogue.
func (p *Pack) readLabels(lang string) screen.Labels {
	back := p.Say(lang, "nav.back")
	return screen.Labels{Next: "1 " + p.Say(lang, "nav.next"), Back: "0 " + back, Home: "00 " + p.Say(lang, "nav.home"),
		More: "98 " + p.Say(lang, "nav.more"), EntryBack: "00 " + back}
}

// minBudget is the smallest screen.Budget of kind k over the pack's
// languages: the limit content must meet so that it fits in all of them.
func (p *Pack) minBudget(k screen.Kind) int {
	min := screen.MaxLen
	for _, l := range p.Settings.Languages {
		min = minInt(min, screen.Budget(k, p.Labels(l.Code)))
	}
	return min
}

func minInt(a, b int) int {
	if a < b {
		return a
	}
	return b
}

// saysVerdict reports whether s begins with one of the words as a whole word.
func saysVerdict(s string, verdicts []string) bool {
	for _, v := range verdicts {
		rest, ok := strings.CutPrefix(s, v)
		if ok && (rest == "" || !unicode.IsLetter(rune(rest[0]))) {
			return true
		}
	}
	return false
}

// Screens is how many screens lesson l takes: its pages, then its key point.
func (l Lesson) Screens() int { return len(l.Pages) + 1 }

// PageScreen returns the body of screen page (0-based) of lesson l in lang:
// "(2/5) " and the page text, or on the last screen the key point. A page out
// of range shows the nearest screen, so progress saved before the lesson was
// shortened still opens it.
func (p *Pack) PageScreen(l Lesson, page int, lang string) string {
	n := l.Screens()
	page = max(0, min(page, n-1))
	head := fmt.Sprintf("(%d/%d) ", page+1, n)
	if page == len(l.Pages) {
		return head + p.words(lang).keyPoint + l.KeyPoint.In(lang)
	}
	return head + l.Pages[page].In(lang)
}

// QuestionScreen returns the body of the screen asking q as question n of
// total in lang, its options numbered from 1 in the order given by order
// (from Shuffle).
func (p *Pack) QuestionScreen(q Question, order []int, n, total int, lang string) string {
	head, options := p.QuestionParts(q, order, n, total, lang)
	var b strings.Builder
	b.WriteString(head)
	for i, o := range options {
		fmt.Fprintf(&b, "\n%d %s", i+1, o)
	}
	return b.String()
}

// QuestionParts returns what QuestionScreen shows apart: the question's
// heading and prompt, and its options in the order given, for a menu that
// numbers them itself (and WhatsApp, which makes them buttons).
func (p *Pack) QuestionParts(q Question, order []int, n, total int, lang string) (head string, options []string) {
	head = fmt.Sprintf("%s %d/%d\n%s", p.Say(lang, "screen.question"), n, total, q.Prompt.In(lang))
	for _, o := range order {
		options = append(options, q.Options[o].Text.In(lang))
	}
	return head, options
}

// ExplainScreen returns the body of the screen shown after option chosen
// (an index in q.Options) was picked. A right choice shows the verdict,
// unless the explanation already begins with it, then the explanation. A
// wrong choice always names the right option before the explanation says
// why, so a nurse never leaves a question without its answer: "Not correct.
// Answer: 1.5. Divide stock by AMC."
func (p *Pack) ExplainScreen(q Question, chosen int, lang string) string {
	w := p.words(lang)
	o := q.Options[chosen]
	text := o.Explain.In(lang)
	if o.Correct {
		if saysVerdict(text, w.saysRight) {
			return text
		}
		return w.right + text
	}
	why := dropVerdict(text, w.saysWrong)
	right := q.Answer()
	if right < 0 {
		return w.wrong + why
	}
	answer := q.Options[right].Text.In(lang)
	if !strings.HasSuffix(answer, ".") && !strings.HasSuffix(answer, "?") && !strings.HasSuffix(answer, "!") {
		answer += "."
	}
	return w.wrong + w.answer + answer + " " + why
}

// dropVerdict removes a leading verdict word and its punctuation ("No.",
// "Hapana,"), since the screen gives its own. A verdict word followed by a
// space is part of the sentence ("No MR vial carries over") and stays.
func dropVerdict(s string, verdicts []string) string {
	for _, v := range verdicts {
		rest, ok := strings.CutPrefix(s, v)
		if !ok || rest == "" || !strings.ContainsRune(".,:;!", rune(rest[0])) {
			continue
		}
		rest = strings.TrimLeft(rest, ".,:;! ")
		if rest == "" {
			return s
		}
		return strings.ToUpper(rest[:1]) + rest[1:]
	}
	return s
}
