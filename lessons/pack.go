// Package lessons holds Chanjo's content pack - topics, micro-lessons,
// quiz and assessment questions, job aids, the mentorship checklist, reminder
// texts and programme settings - with its loader, its lint and the pure
// engine rules (next lesson, shuffling, scoring, topic completion).
//
// The screens a nurse sees for a lesson page, a question and an explanation
// are composed here (PageScreen, QuestionScreen, ExplainScreen), so the USSD
// renderer and the content lint measure the very same text.
package lessons

import (
	"github.com/chanjo-health/chanjo/lessons/i18n"
	"github.com/chanjo-health/chanjo/lessons/screen"
	"github.com/chanjo-health/chanjo/lessons/stock"
)

// Text is one piece of text a nurse reads: language code -> words, one
// entry per language the pack declares. It is i18n.Text, which the stock
// calculators share.
type Text = i18n.Text

// Topic is one of the four performance gaps lessons are grouped by.
type Topic struct {
	ID    string
	Title Text
}

// Lesson is a micro-lesson: 3 to 6 pages and a one-line key point.
type Lesson struct {
	ID       string
	Topic    string
	Sources  []string
	Title    Text
	Pages    []Text
	KeyPoint Text
}

// Form says what a question is for: practice or one of the three assessments.
type Form string

// The forms of question.
const (
	Practice Form = "practice"
	Baseline Form = "baseline"
	Midline  Form = "midline"
	Endline  Form = "endline"
)

// Assessments lists the assessment forms in the order nurses take them.
var Assessments = []Form{Baseline, Midline, Endline}

// Option is one answer of a multiple-choice question.
type Option struct {
	Text    Text
	Correct bool
	Explain Text // shown when this option is chosen
}

// Question is a multiple-choice question with 2 to 4 options (3 to 4 in an
// assessment), exactly one right.
type Question struct {
	ID      string
	Topic   string
	Form    Form
	Sources []string
	// Competency names what an assessment item measures (docs/domain.md section
	// 1): item k of a topic tests the same competency on every form.
	Competency string
	Prompt     Text
	Options    []Option
}

// Answer returns the index in q.Options of the right option, or -1 if none is
// marked (a loaded pack always has one).
func (q Question) Answer() int {
	for i, o := range q.Options {
		if o.Correct {
			return i
		}
	}
	return -1
}

// JobAid is a reference card of a topic (a topic has one or more), sent by
// SMS on request.
type JobAid struct {
	ID      string
	Topic   string
	Sources []string
	Title   Text
	SMS     Text
}

// ChecklistItem is one line of the mentorship visit checklist.
type ChecklistItem struct {
	ID    string
	Topic string
	Text  Text
}

// Settings are the programme settings staff edit with the content.
type Settings struct {
	// Languages are the languages a nurse may choose, in menu order; every
	// text of the pack is in each of them.
	Languages []Language
	// Placeholders holds the longest value of each <name> a text may hold
	// (reminders and the message catalogue): the lint measures every text
	// with its parameters at their longest, and filling cuts longer values.
	Placeholders map[string]int
	StockPolicy  stock.Policy
	Vaccines     []stock.Vaccine
	// PrivacyNotice is the SMS a worker enrolled from a roster gets once:
	// what is kept, why, and how to stop (docs/privacy.md).
	PrivacyNotice Text
	// VisitTime is the local time of a visit scheduled without one
	// (settings.yaml visit_time; 09:00 when the pack leaves it out).
	VisitTime Clock
	// WhatsAppTemplates are the approved templates a WhatsApp message goes
	// as outside her 24-hour window, by what it is (TemplateKinds).
	WhatsAppTemplates map[string]WhatsAppTemplate
}

// TemplateKinds are what a WhatsApp template is for: the outbox's kinds of
// message, a peer group's relayed message, and the invite to a mentor
// circle's WhatsApp group (its parameter is the group's id, not text).
var TemplateKinds = []string{"nudge", "broadcast", "reply", "group", "group_invite"}

// WhatsAppTemplate is a template approved by Meta: its name and, per
// language of the pack, its exact language code ("en" is not "en_US"). Its
// body has one parameter, {{1}}, which carries the message.
type WhatsAppTemplate struct {
	Name     string
	Language Text
	// Category is the category Meta approved it in, which prices it
	// (whatsapp-api.md §4.4): one of TemplateCategories, utility when the
	// pack leaves it out.
	Category string
}

// TemplateCategories are Meta's priced template categories.
var TemplateCategories = []string{"marketing", "utility", "authentication"}

// Pack is a loaded, valid content pack.
type Pack struct {
	Topics    []Topic
	Lessons   []Lesson
	Questions []Question
	JobAids   []JobAid
	Checklist []ChecklistItem
	Reminders []Reminder // in order of precedence
	Settings  Settings
	Glossary  Glossary
	Commands  Commands // the phrases of the SMS commands, commands.yaml
	// messages is the catalogue of messages-*.yaml: the words of menus,
	// screens and SMS, by key (Say).
	messages    map[string]message
	screenWords map[string]words // by language: the words lesson and quiz screens add
	labels      map[string]screen.Labels
}

// Topic returns the topic with the given id.
func (p *Pack) Topic(id string) (Topic, bool) {
	for _, t := range p.Topics {
		if t.ID == id {
			return t, true
		}
	}
	return Topic{}, false
}

// Lesson returns the lesson with the given id.
func (p *Pack) Lesson(id string) (Lesson, bool) {
	for _, l := range p.Lessons {
		if l.ID == id {
			return l, true
		}
	}
	return Lesson{}, false
}

// Question returns the question with the given id.
func (p *Pack) Question(id string) (Question, bool) {
	for _, q := range p.Questions {
		if q.ID == id {
			return q, true
		}
	}
	return Question{}, false
}

// LessonsOf returns the lessons of topic in the order of their file.
func (p *Pack) LessonsOf(topic string) []Lesson {
	n := 0
	for _, l := range p.Lessons {
		if l.Topic == topic {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	ls := make([]Lesson, 0, n) // one allocation: a topic's list is shown on many hops
	for _, l := range p.Lessons {
		if l.Topic == topic {
			ls = append(ls, l)
		}
	}
	return ls
}

// Practice returns the practice questions of topic in the order of their file.
func (p *Pack) Practice(topic string) []Question {
	return p.questions(topic, Practice)
}

// Assessment returns the questions of an assessment form: those of each
// topic in topic order, each topic's in the order of its file, so every
// nurse answers the same questions in the same order.
func (p *Pack) Assessment(form Form) []Question {
	var qs []Question
	for _, t := range p.Topics {
		qs = append(qs, p.questions(t.ID, form)...)
	}
	return qs
}

// JobAidsOf returns the job aids of topic in the order of their file.
func (p *Pack) JobAidsOf(topic string) []JobAid {
	var js []JobAid
	for _, j := range p.JobAids {
		if j.Topic == topic {
			js = append(js, j)
		}
	}
	return js
}

// Reminder returns the reminder rule with the given id.
func (p *Pack) Reminder(id string) (Reminder, bool) {
	for _, r := range p.Reminders {
		if r.ID == id {
			return r, true
		}
	}
	return Reminder{}, false
}

func (p *Pack) questions(topic string, form Form) []Question {
	var qs []Question
	for _, q := range p.Questions {
		if q.Topic == topic && q.Form == form {
			qs = append(qs, q)
		}
	}
	return qs
}
