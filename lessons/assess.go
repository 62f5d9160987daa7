package lessons

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/chanjo-health/chanjo/lessons/i18n"
)

// checkParallel reports a topic whose assessment forms are not parallel:
// each form must hold as many items, and item k of every form must test the
// same competency, so that the forms measure the same things.
func (l *loader) checkParallel(topic string) {
	base := l.pack.questions(topic, Assessments[0])
	for _, f := range Assessments[1:] {
		qs := l.pack.questions(topic, f)
		if len(qs) != len(base) {
			at := l.ids[qs0(qs, base)]
			l.probs = append(l.probs, Problem{File: at.file, Line: at.line, Message: fmt.Sprintf("topic %q has %d %s items and %d %s items: parallel forms hold as many",
				topic, len(base), Assessments[0], len(qs), f)})
			continue
		}
		for k, q := range qs {
			if q.Competency != base[k].Competency {
				at := l.ids[q.ID]
				l.probs = append(l.probs, Problem{File: at.file, Line: at.line, Message: fmt.Sprintf("%s item %d (%s) tests %q, but %s item %d (%s) tests %q",
					f, k+1, q.ID, q.Competency, Assessments[0], k+1, base[k].ID, base[k].Competency)})
			}
		}
	}
}

// qs0 returns the id of the first item of qs, else of base, for where to
// report a count mismatch.
func qs0(qs, base []Question) string {
	if len(qs) > 0 {
		return qs[0].ID
	}
	if len(base) > 0 {
		return base[0].ID
	}
	return ""
}

// StemTemplate is what is left of a question's English prompt once its
// particulars are normalised: lower case, every number (with its decimal
// point or thousands comma) as "#", every vaccine or form name as "@", and
// spaces collapsed. Two questions with the same template are one question
// with new numbers or a new vaccine: a practice question must not share it
// with an assessment item, or the practice quiz teaches the assessment.
func StemTemplate(prompt string) string {
	s := strings.ToLower(prompt)
	s = vaccineWord.ReplaceAllString(s, "@")
	s = number.ReplaceAllString(s, "#")
	return strings.Join(strings.Fields(s), " ")
}

var (
	number      = regexp.MustCompile(`\d+([.,]\d+)*`)
	vaccineWord = regexp.MustCompile(`\b(bcg|bopv|opv|penta|pcv|pcv10|rota|ipv|mr|yf|td|hpv|rts,s|moh)\d*(-\d+)?\b`)
)

// cloneOverlap is the share of words two stem templates may have in common
// before they count as the same question: "What balance do you write?"
// and "What ending balance do you write?" are one question.
const cloneOverlap = 0.7

// sameStem reports whether stem templates a and b share more than
// cloneOverlap of their words (Jaccard similarity of their word sets).
func sameStem(a, b string) bool {
	wa, wb := wordSet(a), wordSet(b)
	common := 0
	for w := range wa {
		if wb[w] {
			common++
		}
	}
	union := len(wa) + len(wb) - common
	return union > 0 && float64(common)/float64(union) >= cloneOverlap
}

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[strings.Trim(w, ".,:;!?'\"()")] = true
	}
	return m
}

// checkClones reports every practice question whose stem template is (all
// but) an assessment item's, at the practice question.
func (l *loader) checkClones() {
	var assessed []Question
	for _, q := range l.pack.Questions {
		if q.Form != Practice {
			assessed = append(assessed, q)
		}
	}
	for _, q := range l.pack.Questions {
		if q.Form != Practice {
			continue
		}
		t := StemTemplate(q.Prompt.In(i18n.Source))
		for _, a := range assessed {
			if sameStem(t, StemTemplate(a.Prompt.In(i18n.Source))) {
				at := l.ids[q.ID]
				l.probs = append(l.probs, Problem{File: at.file, Line: at.line,
					Message: fmt.Sprintf("practice question %q has the stem of assessment item %q (the same words once numbers and vaccines are set aside): reword one", q.ID, a.ID)})
				break
			}
		}
	}
}
