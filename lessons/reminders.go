package lessons

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// The reminder rules, in order of precedence when two fall on the same day.
const (
	VisitBefore = "visit-before" // before a mentorship visit, to mentor and mentee
	VisitReview = "visit-review" // the day after a visit: the lesson for the weakest checklist area
	Weekly      = "weekly"       // between visits: a lesson on the weakest topic
	Inactive    = "inactive"     // after days without dialling
)

// ReminderRules lists the rule ids in order of precedence.
var ReminderRules = []string{VisitBefore, VisitReview, Weekly, Inactive}

// smsLen is the length of one SMS segment in the GSM-7 alphabet.
const smsLen = 160

// Reminder is a reminder rule: when it fires and what it says.
type Reminder struct {
	ID   string
	When When
	Text Text
	// MentorText is what the mentor gets of a rule that goes to her too
	// (visit-before, mentor_text in reminders.yaml); empty when the rule
	// has none.
	MentorText Text
	// limits is the pack's placeholders: the longest value of each.
	limits map[string]int
}

// ForMentor returns r with the mentor's text in place of the nurse's,
// when it has one.
func (r Reminder) ForMentor() Reminder {
	if len(r.MentorText) > 0 {
		r.Text = r.MentorText
	}
	return r
}

// When says when a reminder fires; each rule uses one of the day fields.
type When struct {
	DaysBeforeVisit int          // visit-before
	DaysAfterVisit  int          // visit-review
	Weekday         time.Weekday // weekly
	DaysInactive    int          // inactive: days without dialling
	At              Clock        // local time of day (CHANJO_TZ)
}

// Clock is a time of day.
type Clock struct {
	Hour, Minute int
}

// String returns the clock as "HH:MM".
func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", c.Hour, c.Minute) }

// ruleSpec is what a rule's "when" holds and which placeholders its text may use.
type ruleSpec struct {
	when         string
	placeholders []string
}

var ruleSpecs = map[string]ruleSpec{
	VisitBefore: {when: "days_before_visit", placeholders: []string{"date", "mentor", "mentee", "code"}},
	VisitReview: {when: "days_after_visit", placeholders: []string{"lesson", "code"}},
	Weekly:      {when: "weekday", placeholders: []string{"lesson", "code"}},
	Inactive:    {when: "days_inactive", placeholders: []string{"lesson", "code"}},
}

var placeholderPattern = regexp.MustCompile(`<([a-z_]+)>`)

// Fill returns r's text in lang with each <name> replaced by values[name],
// cut to its longest length in the pack's placeholders.
func (r Reminder) Fill(lang string, values map[string]string) string {
	return placeholderPattern.ReplaceAllStringFunc(r.Text.In(lang), func(m string) string {
		name := m[1 : len(m)-1]
		v := values[name]
		if n, ok := r.limits[name]; ok {
			v = cut(v, n)
		}
		return v
	})
}

// cut shortens s to at most n bytes, at a space when it has one, so a
// long name loses whole words.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	if i := strings.LastIndexByte(s[:n+1], ' '); i > 0 {
		return s[:i]
	}
	return s[:n]
}

// longest fills every placeholder of s that limits declares with its
// longest value; any other <word> is text and stays.
func longest(s string, limits map[string]int) string {
	return placeholderPattern.ReplaceAllStringFunc(s, func(m string) string {
		n, ok := limits[m[1:len(m)-1]]
		if !ok {
			return m
		}
		return strings.Repeat("x", n)
	})
}

var clockPattern = regexp.MustCompile(`^([01][0-9]|2[0-3]):([0-5][0-9])$`)

func parseClock(s string) (Clock, bool) {
	m := clockPattern.FindStringSubmatch(s)
	if m == nil {
		return Clock{}, false
	}
	h, _ := strconv.Atoi(m[1]) // the pattern admits digits only
	min, _ := strconv.Atoi(m[2])
	return Clock{Hour: h, Minute: min}, true
}

func parseWeekday(s string) (time.Weekday, bool) {
	for d := time.Sunday; d <= time.Saturday; d++ {
		if strings.EqualFold(s, d.String()) {
			return d, true
		}
	}
	return 0, false
}
