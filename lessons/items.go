package lessons

import (
	"fmt"
	"regexp"
	"slices"

	"go.yaml.in/yaml/v3"
)

// Limits of the content pack format (docs/content.md) that no composed
// screen measures: these texts appear in menus and SMS the lint cannot see.
const (
	maxTitle     = 28  // a line of a numbered menu
	maxChecklist = 60  // a checklist item, asked on a mentor's screen
	maxJobAidSMS = 306 // two concatenated SMS segments
	minPages     = 3
	maxPages     = 6
	minOptions   = 2
	maxOptions   = 4
	// minAssessOptions: a two-option assessment item is a coin toss.
	minAssessOptions = 3
)

// Sources are the source ids of docs/domain.md that content may cite.
var Sources = []string{"R1", "R2", "R3", "R4", "R6", "R7", "R8", "R10", "R11a", "R12", "R13", "R14",
	"R15", "R16", "R17", "R18", "R19", "R20", "R21", "R24", "R25a", "R25b", "R25c", "R26", "R27", "R30", "R36",
	"R39", "R40", "R41", "R42", "R44", "R45", "R46", "R47", "R48", "R49", "R50", "R51", "R52", "R53"}

// newID reads an item id and notes a duplicate anywhere in the pack.
func (l *loader) newID(d decoder, n *yaml.Node) string {
	id := d.id(n)
	if first, dup := l.ids[id]; dup {
		d.problem(n, "duplicate id %q (first at %s:%d)", id, first.file, first.line)
	} else {
		l.ids[id] = d.at(n)
	}
	return id
}

// topic reads a topic id; in a per-topic file it must be the file's topic.
func (l *loader) topic(d decoder, n *yaml.Node, fileTopic string) string {
	t := d.str(n)
	switch _, known := l.topics[t]; {
	case !known && len(l.topics) == 0:
		// settings.yaml is broken and already reported: one problem, not one per item
	case !known:
		d.problem(n, "unknown topic %q (topics in settings.yaml: %s)", t, l.topicList())
	case fileTopic != "" && t != fileTopic:
		d.problem(n, "topic %q in the file of topic %q", t, fileTopic)
	}
	return t
}

// sources reads a non-empty list of known source ids.
func (l *loader) sources(d decoder, n *yaml.Node) []string {
	ss := d.strs(n)
	for i, s := range ss {
		if !slices.Contains(Sources, s) {
			d.problem(n.Content[i], "unknown source %q (see docs/domain.md, Sources)", s)
		}
	}
	if n.Kind == yaml.SequenceNode && len(ss) == 0 {
		d.problem(n, "no sources: list the docs/domain.md sources of the facts")
	}
	return ss
}

// lesson reads one lesson and measures each of its screens.
func (l *loader) lesson(d decoder, n *yaml.Node, fileTopic string) {
	var x Lesson
	var pageNodes []*yaml.Node
	keyNode := n
	d.fields(n, map[string]func(*yaml.Node){
		"id":      func(v *yaml.Node) { x.ID = l.newID(d, v) },
		"topic":   func(v *yaml.Node) { x.Topic = l.topic(d, v, fileTopic) },
		"sources": func(v *yaml.Node) { x.Sources = l.sources(d, v) },
		"title":   func(v *yaml.Node) { x.Title = d.text(v); d.limitText(v, "title", x.Title, maxTitle) },
		"pages": func(v *yaml.Node) {
			d.list(v, func(p *yaml.Node) { x.Pages = append(x.Pages, d.text(p)); pageNodes = append(pageNodes, p) })
			if v.Kind == yaml.SequenceNode && (len(x.Pages) < minPages || len(x.Pages) > maxPages) {
				d.problem(v, "%d pages: a lesson has %d to %d", len(x.Pages), minPages, maxPages)
			}
		},
		"key_point": func(v *yaml.Node) { x.KeyPoint = d.text(v); keyNode = v },
	})
	budget := l.pack.minBudget(PageKind)
	for _, lang := range codes(l.pack.Settings.Languages) {
		for i := range x.Screens() {
			what, node := fmt.Sprintf("page %d screen", i+1), keyNode
			if i < len(pageNodes) {
				node = pageNodes[i]
			} else {
				what = "key point screen"
			}
			d.limit(node, what, lang, l.pack.PageScreen(x, i, lang), budget)
		}
	}
	l.pack.Lessons = append(l.pack.Lessons, x)
}

// vague matches options that stop making sense once options are shuffled.
var vague = regexp.MustCompile(`(?i)(all|both|none) of (the )?(above|these)|(zote|yote) (hapo )?juu|hakuna kati ya (hizi|haya|hayo|hizo)`)

// question reads one question and measures its screens.
func (l *loader) question(d decoder, n *yaml.Node, fileTopic string) {
	var x Question
	var explainNodes []*yaml.Node
	promptNode := n
	d.fields(n, map[string]func(*yaml.Node){
		"id":         func(v *yaml.Node) { x.ID = l.newID(d, v) },
		"topic":      func(v *yaml.Node) { x.Topic = l.topic(d, v, fileTopic) },
		"form":       func(v *yaml.Node) { x.Form = l.form(d, v) },
		"sources":    func(v *yaml.Node) { x.Sources = l.sources(d, v) },
		"competency": func(v *yaml.Node) { x.Competency = d.id(v) },
		"prompt":     func(v *yaml.Node) { x.Prompt = d.text(v); promptNode = v },
		"options":    func(v *yaml.Node) { x.Options, explainNodes = l.options(d, v) },
	}, "competency")
	if x.Form != Practice && x.Form != "" {
		if x.Competency == "" {
			d.problem(n, "assessment item %q names no competency", x.ID)
		}
		if len(x.Options) > 0 && len(x.Options) < minAssessOptions {
			d.problem(n, "assessment item %q has %d options, needs %d to %d plausible ones", x.ID, len(x.Options), minAssessOptions, maxOptions)
		}
	}
	order := make([]int, len(x.Options))
	for i := range order {
		order[i] = i
	}
	for _, lang := range codes(l.pack.Settings.Languages) {
		body := l.pack.QuestionScreen(x, order, MaxQuizLen, MaxQuizLen, lang)
		d.limit(promptNode, "question screen", lang, body, l.pack.minBudget(QuestionKind))
		for i, en := range explainNodes {
			d.limit(en, "explanation screen", lang, l.pack.ExplainScreen(x, i, lang), l.pack.minBudget(ExplainKind))
		}
	}
	l.pack.Questions = append(l.pack.Questions, x)
}

func (l *loader) form(d decoder, n *yaml.Node) Form {
	f := Form(d.str(n))
	if f != Practice && !slices.Contains(Assessments, f) {
		d.problem(n, "unknown form %q (practice, baseline, midline or endline)", f)
	}
	return f
}

// options reads a question's options: 2 to 4, exactly one right. It returns
// the node of each explanation, measured once the whole question is known
// (a wrong option's screen names the right one).
func (l *loader) options(d decoder, n *yaml.Node) ([]Option, []*yaml.Node) {
	var opts []Option
	var nodes []*yaml.Node
	d.list(n, func(item *yaml.Node) {
		var o Option
		explainNode := item
		d.fields(item, map[string]func(*yaml.Node){
			"text":    func(v *yaml.Node) { o.Text = d.text(v); l.notVague(d, v, o.Text) },
			"correct": func(v *yaml.Node) { o.Correct = d.bool(v) },
			"explain": func(v *yaml.Node) { o.Explain = d.text(v); explainNode = v },
		}, "correct")
		opts = append(opts, o)
		nodes = append(nodes, explainNode)
	})
	if n.Kind != yaml.SequenceNode {
		return opts, nodes
	}
	if len(opts) < minOptions || len(opts) > maxOptions {
		d.problem(n, "%d options: a question has %d to %d", len(opts), minOptions, maxOptions)
	}
	right := 0
	for _, o := range opts {
		if o.Correct {
			right++
		}
	}
	if right != 1 {
		d.problem(n, "%d options marked correct: exactly 1 must be", right)
	}
	return opts, nodes
}

func (l *loader) notVague(d decoder, n *yaml.Node, t Text) {
	for _, lang := range codes(l.pack.Settings.Languages) {
		if m := vague.FindString(t.In(lang)); m != "" {
			d.problem(n, "option (%s) says %q, but options are shuffled on screen", lang, m)
		}
	}
}

func (l *loader) jobAid(d decoder, n *yaml.Node) {
	var x JobAid
	d.fields(n, map[string]func(*yaml.Node){
		"id":      func(v *yaml.Node) { x.ID = l.newID(d, v) },
		"topic":   func(v *yaml.Node) { x.Topic = l.topic(d, v, "") },
		"sources": func(v *yaml.Node) { x.Sources = l.sources(d, v) },
		"title":   func(v *yaml.Node) { x.Title = d.text(v); d.limitText(v, "title", x.Title, maxTitle) },
		"sms":     func(v *yaml.Node) { x.SMS = d.text(v); d.limitText(v, "job aid SMS", x.SMS, maxJobAidSMS) },
	})
	l.pack.JobAids = append(l.pack.JobAids, x)
}

func (l *loader) checkItem(d decoder, n *yaml.Node) {
	var x ChecklistItem
	d.fields(n, map[string]func(*yaml.Node){
		"id":    func(v *yaml.Node) { x.ID = l.newID(d, v) },
		"topic": func(v *yaml.Node) { x.Topic = l.topic(d, v, "") },
		"text":  func(v *yaml.Node) { x.Text = d.text(v); d.limitText(v, "checklist item", x.Text, maxChecklist) },
	})
	l.pack.Checklist = append(l.pack.Checklist, x)
}
