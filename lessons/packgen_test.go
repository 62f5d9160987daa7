package lessons_test

import (
	"fmt"
	"io/fs"
	"strings"
	"testing/fstest"

	"github.com/chanjo-health/chanjo/lessons"
	"go.yaml.in/yaml/v3"
)

// size says how many items of each kind a generated pack has.
type size struct {
	lessons, pages, practice, perForm, checklist int
}

// valid is the smallest pack that passes the lint: one topic at its minimums.
var valid = size{lessons: 4, pages: 3, practice: 12, perForm: 8, checklist: 3}

const settingsYAML = `languages: {en: English, sw: Kiswahili}
placeholders: {date: 10, lesson: 28, code: 12, mentor: 20, mentee: 20}
stock_policy: {supply_months: 1, safety_fraction: 0.25, lead_days: 7}
vaccines:
  - {id: penta, name: "Penta", doses_per_vial: 10, wastage: 0.25}
topics:
  - {id: stock, title: {en: "Stock", sw: "Akiba"}}
`

const jobAidsYAML = `- id: jobaid-stock
  topic: stock
  sources: [R1, R4]
  title: {en: "Stock card", sw: "Kadi ya akiba"}
  sms: {en: "Order = maximum - stock on hand.", sw: "Agizo = kiwango cha juu - akiba iliyopo."}
`

const remindersYAML = `- id: visit-before
  when: {days_before_visit: 2, at: "08:00"}
  text: {en: "Visit on <date> with <mentor>. Dial <code>.", sw: "Ziara tarehe <date> na <mentor>. Piga <code>."}
- id: visit-review
  when: {days_after_visit: 1, at: "10:00"}
  text: {en: "Review '<lesson>': dial <code>.", sw: "Rudia '<lesson>': piga <code>."}
- id: weekly
  when: {weekday: tuesday, at: "10:00"}
  text: {en: "This week: '<lesson>'. Dial <code>.", sw: "Wiki hii: '<lesson>'. Piga <code>."}
- id: inactive
  when: {days_inactive: 14, at: "10:00"}
  text: {en: "Your next lesson: '<lesson>'. Dial <code>.", sw: "Somo lijalo: '<lesson>'. Piga <code>."}
`

const commandsYAML = `stop: [STOP, ACHA, "stop please"]
start: [START, ANZA]
help: [HELP, MSAADA]
`

// genPack returns a pack of one topic, stock, with the given sizes.
// withWords adds the shipped screen and navigation words to pack, so
// screens measure as on a phone. Only these: the other catalogue files'
// texts would meet the tests' own glossary.
func withWords(pack fstest.MapFS) fstest.MapFS {
	for _, name := range []string{"messages-nav.yaml", "messages-screen.yaml"} {
		b, err := fs.ReadFile(lessons.Embedded(), name)
		if err != nil {
			panic(err)
		}
		pack[name] = &fstest.MapFile{Data: b}
	}
	return pack
}

// withCatalogue adds the whole shipped message catalogue to pack: every key
// the code uses, as a CONTENT_DIR pack must have, with the shipped
// placeholders and typed words its texts hold.
func withCatalogue(pack fstest.MapFS) fstest.MapFS {
	names, err := fs.Glob(lessons.Embedded(), "messages-*.yaml")
	if err != nil {
		panic(err)
	}
	b, err := fs.ReadFile(lessons.Embedded(), "settings.yaml")
	if err != nil {
		panic(err)
	}
	var shipped struct {
		Placeholders map[string]int `yaml:"placeholders"`
		TypedWords   []string       `yaml:"typed_words"`
	}
	if err := yaml.Unmarshal(b, &shipped); err != nil {
		panic(err)
	}
	words, err := yaml.Marshal(shipped)
	if err != nil {
		panic(err)
	}
	settings := strings.Replace(settingsYAML, "placeholders: {date: 10, lesson: 28, code: 12, mentor: 20, mentee: 20}\n", "", 1)
	pack["settings.yaml"] = &fstest.MapFile{Data: append([]byte(settings), words...)}
	for _, name := range names {
		b, err := fs.ReadFile(lessons.Embedded(), name)
		if err != nil {
			panic(err)
		}
		pack[name] = &fstest.MapFile{Data: b}
	}
	return pack
}

func genPack(s size) fstest.MapFS {
	var lessons, questions, checklist strings.Builder
	for i := 1; i <= s.lessons; i++ {
		fmt.Fprintf(&lessons, "- id: stk-l%d\n  topic: stock\n  sources: [R1]\n", i)
		fmt.Fprintf(&lessons, "  title: {en: \"Lesson %d\", sw: \"Somo %d\"}\n  pages:\n", i, i)
		for p := 1; p <= s.pages; p++ {
			fmt.Fprintf(&lessons, "    - {en: \"Page %d.\", sw: \"Ukurasa %d.\"}\n", p, p)
		}
		lessons.WriteString("  key_point: {en: \"Count before you order.\", sw: \"Hesabu kabla ya kuagiza.\"}\n")
	}
	writeQuestions := func(form string, n int) {
		for i := 1; i <= n; i++ {
			fmt.Fprintf(&questions, "- id: stk-%s-%d\n  topic: stock\n  form: %s\n  sources: [R4]\n", form, i, form)
			if form == "practice" {
				fmt.Fprintf(&questions, "  prompt: {en: \"Question %d?\", sw: \"Swali %d?\"}\n  options:\n", i, i)
			} else { // an assessment item: a competency, a stem of its own and a third option
				fmt.Fprintf(&questions, "  competency: skill-%d\n  prompt: {en: \"Assessed skill %d, case?\", sw: \"Ujuzi %d?\"}\n  options:\n", i, i, i)
				questions.WriteString("    - text: {en: \"Maybe\", sw: \"Labda\"}\n      explain: {en: \"Count first.\", sw: \"Hesabu kwanza.\"}\n")
			}
			questions.WriteString("    - text: {en: \"Yes\", sw: \"Ndiyo\"}\n      correct: true\n" +
				"      explain: {en: \"Right.\", sw: \"Sahihi.\"}\n" +
				"    - text: {en: \"No\", sw: \"Hapana\"}\n      explain: {en: \"Count first.\", sw: \"Hesabu kwanza.\"}\n")
		}
	}
	writeQuestions("practice", s.practice)
	for _, f := range []string{"baseline", "midline", "endline"} {
		writeQuestions(f, s.perForm)
	}
	for i := 1; i <= s.checklist; i++ {
		fmt.Fprintf(&checklist, "- id: chk-%d\n  topic: stock\n  text: {en: \"Item %d\", sw: \"Kipengele %d\"}\n", i, i, i)
	}
	return withWords(fstest.MapFS{
		"settings.yaml":        {Data: []byte(settingsYAML)},
		"lessons-stock.yaml":   {Data: []byte(lessons.String())},
		"questions-stock.yaml": {Data: []byte(questions.String())},
		"jobaids.yaml":         {Data: []byte(jobAidsYAML)},
		"checklist.yaml":       {Data: []byte(checklist.String())},
		"reminders.yaml":       {Data: []byte(remindersYAML)},
		"commands.yaml":        {Data: []byte(commandsYAML)},
	})
}

// withAppended returns a copy of fsys with snippet appended to file, and the
// line number the snippet starts at.
func withAppended(fsys fstest.MapFS, file, snippet string) (fstest.MapFS, int) {
	out := fstest.MapFS{}
	for k, v := range fsys {
		out[k] = v
	}
	old := string(fsys[file].Data)
	out[file] = &fstest.MapFile{Data: []byte(old + snippet)}
	return out, strings.Count(old, "\n") + 1
}

// withFile returns a copy of fsys with file replaced (or added, or removed when data is "").
func withFile(fsys fstest.MapFS, file, data string) fstest.MapFS {
	out := fstest.MapFS{}
	for k, v := range fsys {
		out[k] = v
	}
	if data == "" {
		delete(out, file)
	} else {
		out[file] = &fstest.MapFile{Data: []byte(data)}
	}
	return out
}
