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

// words are the fixed words the composed screens add to the content.
// saysRight and saysWrong are how explanations that already give the verdict
// begin, so the screen does not say it twice ("Correct! Right: ...").
type words struct {
	keyPoint, question, right, wrong, answer string
	saysRight, saysWrong                     []string
}

var wordsByLang = map[string]words{
	"en": {keyPoint: "Key point: ", question: "Question", right: "Correct! ", wrong: "Not correct. ", answer: "Answer: ",
		saysRight: []string{"Right", "Correct"}, saysWrong: []string{"No", "Wrong", "Not correct", "Not right"}},
	"sw": {keyPoint: "Jambo kuu: ", question: "Swali", right: "Sahihi! ", wrong: "Si sahihi. ", answer: "Jibu: ",
		saysRight: []string{"Sahihi"}, saysWrong: []string{"Hapana", "Si sahihi", "Sio sahihi", "Siyo sahihi"}},
}

func wordsIn(lang string) words {
	if w, ok := wordsByLang[lang]; ok {
		return w
	}
	return wordsByLang["en"]
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
func PageScreen(l Lesson, page int, lang string) string {
	n := l.Screens()
	page = max(0, min(page, n-1))
	head := fmt.Sprintf("(%d/%d) ", page+1, n)
	if page == len(l.Pages) {
		return head + wordsIn(lang).keyPoint + l.KeyPoint.In(lang)
	}
	return head + l.Pages[page].In(lang)
}

// QuestionScreen returns the body of the screen asking q as question n of
// total in lang, its options numbered from 1 in the order given by order
// (from Shuffle).
func QuestionScreen(q Question, order []int, n, total int, lang string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %d/%d\n%s", wordsIn(lang).question, n, total, q.Prompt.In(lang))
	for i, o := range order {
		fmt.Fprintf(&b, "\n%d %s", i+1, q.Options[o].Text.In(lang))
	}
	return b.String()
}

// ExplainScreen returns the body of the screen shown after option chosen
// (an index in q.Options) was picked. A right choice shows the verdict,
// unless the explanation already begins with it, then the explanation. A
// wrong choice always names the right option before the explanation says
// why, so a nurse never leaves a question without its answer: "Not correct.
// Answer: 1.5. Divide stock by AMC."
func ExplainScreen(q Question, chosen int, lang string) string {
	w := wordsIn(lang)
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
