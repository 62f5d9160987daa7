package lessons

import (
	"cmp"
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/chanjo-health/chanjo/lessons/screen"
)

//go:embed content
var embedded embed.FS

// Embedded returns the content pack shipped in the binary.
func Embedded() fs.FS {
	sub, err := fs.Sub(embedded, "content")
	if err != nil {
		panic(err) // "content" is a valid path, so fs.Sub cannot fail
	}
	return sub
}

var defaultPack = sync.OnceValues(func() (*Pack, error) { return Load(Embedded()) })

// Default returns the embedded pack, loaded once. Every caller shares the
// same Pack: read it, never change it.
func Default() (*Pack, error) { return defaultPack() }

// LoadDir loads the pack in directory dir (CONTENT_DIR). Besides Load's
// checks, its catalogue must hold every key the code uses (those of the
// embedded pack): a pack copied before an upgrade would show a key where a
// word belongs.
func LoadDir(dir string) (*Pack, error) {
	fsys := os.DirFS(dir)
	p, err := Load(fsys)
	if err == nil {
		if probs := missingKeys(p); len(probs) > 0 {
			err = &LoadError{Problems: probs}
		}
	}
	if err != nil {
		return nil, fmt.Errorf("lessons: load %s: %w", dir, err)
	}
	return p, nil
}

// missingKeys reports each key of the embedded pack's catalogue that p
// lacks, at the file it belongs in.
func missingKeys(p *Pack) []Problem {
	shipped, err := Default()
	if err != nil {
		return []Problem{{File: ".", Message: fmt.Sprintf("the built-in pack does not load: %v", err)}}
	}
	var probs []Problem
	for _, key := range shipped.MessageKeys() {
		if _, ok := p.messages[key]; !ok {
			area, _, _ := strings.Cut(key, ".")
			probs = append(probs, Problem{File: messagesPrefix + area + ".yaml",
				Message: fmt.Sprintf("missing key %s: this version of chanjo uses it (see lessons/content/%s%s.yaml)", key, messagesPrefix, area)})
		}
	}
	return probs
}

// Load reads the content pack at the root of fsys. A pack with any problem
// does not load: the error is a *LoadError listing every problem.
func Load(fsys fs.FS) (*Pack, error) {
	l := newLoader(fsys)
	l.run()
	if len(l.probs) > 0 {
		return nil, &LoadError{Problems: l.probs}
	}
	return l.pack, nil
}

// Lint returns every problem of the content pack at the root of fsys, in
// the order of the files and their lines.
func Lint(fsys fs.FS) []Problem {
	l := newLoader(fsys)
	l.run()
	return l.probs
}

// LoadError is the error of a pack that has problems.
type LoadError struct {
	Problems []Problem
}

// Error names the first problems and how many there are.
func (e *LoadError) Error() string {
	const shown = 5
	var b strings.Builder
	fmt.Fprintf(&b, "content pack has %d problems", len(e.Problems))
	for i, p := range e.Problems {
		if i == shown {
			fmt.Fprintf(&b, "; and %d more (run chanjo content lint)", len(e.Problems)-shown)
			break
		}
		b.WriteString("; " + p.String())
	}
	return b.String()
}

// Minimums per topic.
const (
	minLessons    = 4
	minPractice   = 12
	minAssessment = 8 // items per topic and form: one item then moves a score by 12.5 points, not 33
	minChecklist  = 3
)

// The files of a pack besides the per-topic lessons-<topic>.yaml and
// questions-<topic>.yaml.
const (
	settingsFile  = "settings.yaml"
	jobAidsFile   = "jobaids.yaml"
	checklistFile = "checklist.yaml"
	remindersFile = "reminders.yaml"
)

type loader struct {
	fsys   fs.FS
	pack   *Pack
	probs  []Problem
	topics map[string]pos // where each topic is declared in settings.yaml
	ids    map[string]pos // where each item id is first used
	keys   map[string]pos // where each catalogue key is defined
	texts  []langText     // every text read, per language, checked against the glossary at the end
	typed  []string       // settings.yaml typed_words: the <word>s a text shows as written
}

func newLoader(fsys fs.FS) *loader {
	return &loader{fsys: fsys, pack: &Pack{}, topics: map[string]pos{}, ids: map[string]pos{}, keys: map[string]pos{}}
}

// run reads settings.yaml first, since every other file refers to its
// languages and topics, then the catalogue, then the other files in name
// order, then checks the pack as a whole.
func (l *loader) run() {
	entries, err := fs.ReadDir(l.fsys, ".")
	if err != nil {
		l.probs = append(l.probs, Problem{File: ".", Message: fmt.Sprintf("cannot read the pack: %v", err)})
		return
	}
	l.file(settingsFile, func(d decoder, n *yaml.Node) { l.settings(d, n) })
	// The catalogue next: the lint measures lesson screens with its words.
	for _, e := range entries {
		if name := e.Name(); !e.IsDir() && strings.HasPrefix(name, messagesPrefix) {
			l.dispatch(name)
		}
	}
	l.pack.screenWords, l.pack.labels = map[string]words{}, map[string]screen.Labels{}
	for _, lang := range l.pack.Settings.Languages {
		l.pack.screenWords[lang.Code] = l.pack.readWords(lang.Code)
		l.pack.labels[lang.Code] = l.pack.readLabels(lang.Code)
	}
	for _, e := range entries {
		if name := e.Name(); !e.IsDir() && name != settingsFile && !strings.HasPrefix(name, messagesPrefix) {
			l.dispatch(name)
		}
	}
	if len(l.pack.messages) == 0 {
		// Without it no menu has words.
		l.probs = append(l.probs, Problem{File: messagesPrefix + "*.yaml", Message: "missing files: the pack has no message catalogue"})
	}
	if l.pack.Commands.phrases == nil {
		// Without it nobody could opt out by SMS (Data Protection Act).
		l.probs = append(l.probs, Problem{File: commandsFile, Message: "missing file"})
	}
	l.checkTopics()
	l.checkReminders()
	l.checkGlossary()
	l.checkClones()
	slices.SortStableFunc(l.probs, func(a, b Problem) int {
		return cmp.Or(strings.Compare(a.File, b.File), a.Line-b.Line)
	})
}

// dispatch reads one file by what its name says it holds.
func (l *loader) dispatch(name string) {
	each := func(f func(decoder, *yaml.Node)) func(decoder, *yaml.Node) {
		return func(d decoder, n *yaml.Node) { d.list(n, func(item *yaml.Node) { f(d, item) }) }
	}
	ext := path.Ext(name)
	base := strings.TrimSuffix(name, ext)
	lessonTopic, isLessons := strings.CutPrefix(base, "lessons-")
	questionTopic, isQuestions := strings.CutPrefix(base, "questions-")
	area, isMessages := strings.CutPrefix(base, messagesPrefix)
	switch {
	case ext == ".yml":
		l.probs = append(l.probs, Problem{File: name, Message: "name the file .yaml, not .yml"})
	case ext != ".yaml":
		return // notes and READMEs may sit beside the pack
	case name == jobAidsFile:
		l.file(name, each(l.jobAid))
	case name == checklistFile:
		l.file(name, each(l.checkItem))
	case name == remindersFile:
		l.file(name, each(l.reminder))
	case name == glossaryFile:
		l.file(name, l.glossary)
	case name == commandsFile:
		l.file(name, l.commands)
	case isMessages:
		l.file(name, func(d decoder, n *yaml.Node) { l.messages(d, n, area) })
	case isLessons && l.isTopic(name, lessonTopic):
		l.file(name, each(func(d decoder, n *yaml.Node) { l.lesson(d, n, lessonTopic) }))
	case isQuestions && l.isTopic(name, questionTopic):
		l.file(name, each(func(d decoder, n *yaml.Node) { l.question(d, n, questionTopic) }))
	case !isLessons && !isQuestions:
		l.probs = append(l.probs, Problem{File: name, Message: "unknown file: a pack holds " + settingsFile + ", " +
			jobAidsFile + ", " + checklistFile + ", " + remindersFile + ", " + glossaryFile + ", " + commandsFile +
			", lessons-<topic>.yaml, questions-<topic>.yaml and " + messagesPrefix + "<area>.yaml"})
	}
}

// isTopic reports whether a per-topic file names a known topic.
func (l *loader) isTopic(file, topic string) bool {
	if _, ok := l.topics[topic]; ok || len(l.topics) == 0 {
		return true // with no topics, settings.yaml is at fault and already reported
	}
	l.probs = append(l.probs, Problem{File: file, Message: fmt.Sprintf("file names topic %q, not in settings.yaml (%s)", topic, l.topicList())})
	return false
}

func (l *loader) topicList() string {
	ids := make([]string, len(l.pack.Topics))
	for i, t := range l.pack.Topics {
		ids[i] = t.ID
	}
	return strings.Join(ids, ", ")
}

var yamlLine = regexp.MustCompile(`^line (\d+): `)

// file parses one file and hands its root node to read.
func (l *loader) file(name string, read func(decoder, *yaml.Node)) {
	d := decoder{file: name, probs: &l.probs, texts: &l.texts, langs: &l.pack.Settings.Languages}
	data, err := fs.ReadFile(l.fsys, name)
	if err != nil {
		l.probs = append(l.probs, Problem{File: name, Message: "missing file"})
		return
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		p := Problem{File: name, Message: strings.TrimPrefix(err.Error(), "yaml: ")}
		if m := yamlLine.FindStringSubmatch(p.Message); m != nil {
			p.Line, _ = strconv.Atoi(m[1]) // the pattern admits digits only
			p.Message = strings.TrimPrefix(p.Message, m[0])
		}
		l.probs = append(l.probs, p)
		return
	}
	if len(doc.Content) == 0 {
		l.probs = append(l.probs, Problem{File: name, Message: "empty file"})
		return
	}
	read(d, doc.Content[0])
}

// checkTopics reports a topic below its minimum, at the topic in settings.yaml.
func (l *loader) checkTopics() {
	for _, t := range l.pack.Topics {
		at := l.topics[t.ID]
		short := func(what string, have int, want string) {
			l.probs = append(l.probs, Problem{File: at.file, Line: at.line,
				Message: fmt.Sprintf("topic %q has %d %s, needs %s", t.ID, have, what, want)})
		}
		if n := len(l.pack.LessonsOf(t.ID)); n < minLessons {
			short("lessons", n, fmt.Sprint("at least ", minLessons))
		}
		if n := len(l.pack.Practice(t.ID)); n < minPractice {
			short("practice questions", n, fmt.Sprint("at least ", minPractice))
		}
		for _, f := range Assessments {
			if n := len(l.pack.questions(t.ID, f)); n < minAssessment {
				short(string(f)+" questions", n, fmt.Sprint("at least ", minAssessment))
			}
		}
		l.checkParallel(t.ID)
		if n := len(l.pack.JobAidsOf(t.ID)); n < 1 {
			short("job aids", n, "at least 1")
		}
		if n := count(l.pack.Checklist, func(c ChecklistItem) bool { return c.Topic == t.ID }); n < minChecklist {
			short("checklist items", n, fmt.Sprint("at least ", minChecklist))
		}
	}
}

// checkReminders reports a missing rule and puts the rules in order of precedence.
func (l *loader) checkReminders() {
	for _, id := range ReminderRules {
		if _, ok := l.pack.Reminder(id); !ok {
			l.probs = append(l.probs, Problem{File: remindersFile, Message: fmt.Sprintf("missing reminder rule %q", id)})
		}
	}
	slices.SortStableFunc(l.pack.Reminders, func(a, b Reminder) int {
		return slices.Index(ReminderRules, a.ID) - slices.Index(ReminderRules, b.ID)
	})
}

func count[T any](items []T, f func(T) bool) int {
	n := 0
	for _, it := range items {
		if f(it) {
			n++
		}
	}
	return n
}
