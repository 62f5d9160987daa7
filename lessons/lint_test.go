package lessons_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/chanjo-health/chanjo/lessons"
)

// lessonYAML is a lesson to append, with %s for its page 2 (line 7 of the snippet).
const lessonYAML = `- id: stk-x
  topic: stock
  sources: [R1]
  title: {en: "Extra", sw: "Ziada"}
  pages:
    - {en: "A.", sw: "A."}
    - %s
    - {en: "C.", sw: "C."}
  key_point: {en: "K.", sw: "K."}
`

// questionYAML is a question to append, with %s for its options (from line 7).
const questionYAML = `- id: stk-qx
  topic: stock
  form: practice
  sources: [R4]
  prompt: {en: "Which?", sw: "Ipi?"}
  options:
%s`

func option(text string, correct bool) string {
	c := ""
	if correct {
		c = "      correct: true\n"
	}
	return fmt.Sprintf("    - text: {en: %q, sw: %q}\n%s      explain: {en: \"Why.\", sw: \"Kwa nini.\"}\n", text, text, c)
}

func lessonWithPage2(page string) string { return fmt.Sprintf(lessonYAML, page) }

func questionWith(options ...string) string {
	return fmt.Sprintf(questionYAML, strings.Join(options, ""))
}

// appended is a broken item appended to a valid pack: the problem is
// expected at line rel of the snippet.
type appended struct {
	name, file, snippet string
	rel                 int
	want                string
}

func TestLintReportsAppendedMistakes(t *testing.T) {
	long := func(n int) string { return strings.Repeat("a", n) }
	yes, no := option("Yes", true), option("No", false)
	cases := []appended{
		{"page over its screen", "lessons-stock.yaml", lessonWithPage2(`{en: "` + long(128) + `", sw: "B."}`), 7, "page 2 screen (en) is 134 characters, over 133"},
		{"key point over its screen", "lessons-stock.yaml", strings.Replace(lessonWithPage2(`{en: "B.", sw: "B."}`), `key_point: {en: "K.", sw: "K."}`, `key_point: {en: "K.", sw: "`+long(120)+`"}`, 1), 9, "key point screen (sw) is 137 characters"},
		{"question over its screen", "questions-stock.yaml", strings.Replace(questionWith(yes, no), "Which?", long(120), 1), 5, "question screen (en) is 146 characters, over 143"},
		{"explanation over its screen", "questions-stock.yaml", questionWith(yes, strings.Replace(no, "Why.", long(125), 1)), 11, "explanation screen (en) is 151 characters"},
		{"curly quote", "lessons-stock.yaml", lessonWithPage2(`{en: "Mama's card", sw: "Kadi ya mama’s"}`), 7, "sw: character '’' at position 13 is outside the USSD character set (use ')"},
		{"bracket", "lessons-stock.yaml", strings.Replace(lessonWithPage2(`{en: "B.", sw: "B."}`), `en: "Extra"`, `en: "[draft] Extra"`, 1), 4, "en: character '[' at position 1"},
		{"newline in a text", "lessons-stock.yaml", lessonWithPage2(`{en: "B\nC.", sw: "B."}`), 7, "a text stays on one line"},
		{"empty translation", "lessons-stock.yaml", lessonWithPage2(`{en: "B.", sw: ""}`), 7, "missing translation: sw is empty"},
		{"absent translation", "lessons-stock.yaml", lessonWithPage2(`{en: "B."}`), 7, "missing translation: sw is empty"},
		{"two right answers", "questions-stock.yaml", questionWith(yes, option("Also", true)), 6, "2 options marked correct: exactly 1 must be"},
		{"no right answer", "questions-stock.yaml", questionWith(option("Maybe", false), no), 6, "0 options marked correct"},
		{"one option", "questions-stock.yaml", questionWith(yes), 6, "1 options: a question has 2 to 4"},
		{"five options", "questions-stock.yaml", questionWith(yes, no, no, no, no), 6, "5 options: a question has 2 to 4"},
		{"vague option", "questions-stock.yaml", questionWith(yes, option("All of the above", false)), 10, `says "All of the above"`},
		{"duplicate id", "lessons-stock.yaml", strings.Replace(lessonWithPage2(`{en: "B.", sw: "B."}`), "stk-x", "stk-l1", 1), 1, `duplicate id "stk-l1" (first at lessons-stock.yaml:1)`},
		{"duplicate id across files", "lessons-stock.yaml", strings.Replace(lessonWithPage2(`{en: "B.", sw: "B."}`), "stk-x", "chk-1", 1), 1, `duplicate id "chk-1" (first at checklist.yaml:1)`},
		{"unknown topic", "checklist.yaml", "- id: chk-x\n  topic: vaccines\n  text: {en: \"X\", sw: \"X\"}\n", 2, `unknown topic "vaccines" (topics in settings.yaml: stock)`},
		{"unknown source", "lessons-stock.yaml", strings.Replace(lessonWithPage2(`{en: "B.", sw: "B."}`), "[R1]", "[R1, R5]", 1), 3, `unknown source "R5"`},
		{"no sources", "lessons-stock.yaml", strings.Replace(lessonWithPage2(`{en: "B.", sw: "B."}`), "[R1]", "[]", 1), 3, "no sources"},
		{"two pages", "lessons-stock.yaml", strings.Replace(lessonWithPage2(`{en: "B.", sw: "B."}`), "    - {en: \"C.\", sw: \"C.\"}\n", "", 1), 5, "2 pages: a lesson has 3 to 6"},
		{"seven pages", "lessons-stock.yaml", lessonWithPage2(strings.Repeat(`{en: "B.", sw: "B."}`+"\n    - ", 4) + `{en: "B.", sw: "B."}`), 5, "7 pages: a lesson has 3 to 6"},
		{"unknown field", "lessons-stock.yaml", strings.Replace(lessonWithPage2(`{en: "B.", sw: "B."}`), "title:", "titel:", 1), 4, `unknown field "titel"`},
		{"missing field", "lessons-stock.yaml", strings.Replace(lessonWithPage2(`{en: "B.", sw: "B."}`), "title:", "titel:", 1), 1, `missing field "title"`},
		{"unknown language", "lessons-stock.yaml", lessonWithPage2(`{en: "B.", sw: "B.", fr: "B."}`), 7, `unknown field "fr" (known: en, sw)`},
		{"text in one language", "lessons-stock.yaml", strings.Replace(lessonWithPage2(`{en: "B.", sw: "B."}`), `{en: "Extra", sw: "Ziada"}`, `"Extra"`, 1), 4, `want a text in every language, {en: "...", sw: "..."}, found "Extra"`},
		{"title too long", "lessons-stock.yaml", strings.Replace(lessonWithPage2(`{en: "B.", sw: "B."}`), `en: "Extra"`, `en: "`+long(29)+`"`, 1), 4, "title (en) is 29 characters, over 28"},
		{"unknown form", "questions-stock.yaml", strings.Replace(questionWith(yes, no), "practice", "quiz", 1), 3, `unknown form "quiz"`},
		{"bad id", "checklist.yaml", "- id: Chk_X\n  topic: stock\n  text: {en: \"X\", sw: \"X\"}\n", 1, `id "Chk_X": use lowercase`},
		{"not a list", "lessons-stock.yaml", "- id: stk-x\n  topic: stock\n  sources: [R1]\n  title: {en: \"X\", sw: \"X\"}\n  pages: many\n  key_point: {en: \"K.\", sw: \"K.\"}\n", 5, `want a list, found "many"`},
		{"job aid SMS too long", "jobaids.yaml", "- id: jobaid-x\n  topic: stock\n  sources: [R1]\n  title: {en: \"X\", sw: \"X\"}\n  sms: {en: \"" + long(307) + "\", sw: \"X\"}\n", 5, "job aid SMS (en) is 307 characters, over 306"},
		{"job aid SMS character", "jobaids.yaml", "- id: jobaid-x\n  topic: stock\n  sources: [R1]\n  title: {en: \"X\", sw: \"X\"}\n  sms: {en: \"a ~ b\", sw: \"X\"}\n", 5, "en: character '~' at position 3"},
		{"checklist item too long", "checklist.yaml", "- id: chk-x\n  topic: stock\n  text: {en: \"" + long(61) + "\", sw: \"X\"}\n", 3, "checklist item (en) is 61 characters, over 60"},
		{"syntax error", "checklist.yaml", "- id: chk-x\n  topic: stock\n  text: en: x\n", 3, "mapping values are not allowed"},
	}
	base := genPack(valid)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fsys, start := withAppended(base, c.file, c.snippet)
			expect(t, lessons.Lint(fsys), c.file, start+c.rel-1, c.want)
		})
	}
}

func TestLintReportsPackMistakes(t *testing.T) {
	base := genPack(valid)
	reminders := func(old, new string) fstest.MapFS {
		return withFile(base, "reminders.yaml", strings.Replace(remindersYAML, old, new, 1))
	}
	commands := func(old, new string) fstest.MapFS {
		return withFile(base, "commands.yaml", strings.Replace(commandsYAML, old, new, 1))
	}
	cases := []struct {
		name string
		fsys fstest.MapFS
		file string
		line int
		want string
	}{
		{"too few lessons", genPack(size{3, 3, 12, 3, 3}), "settings.yaml", 7, `topic "stock" has 3 lessons, needs at least 4`},
		{"too few practice questions", genPack(size{4, 3, 11, 3, 3}), "settings.yaml", 7, "has 11 practice questions, needs at least 12"},
		{"too few per assessment form", genPack(size{4, 3, 12, 7, 3}), "settings.yaml", 7, "has 7 baseline questions, needs at least 8"},
		{"too few checklist items", genPack(size{4, 3, 12, 3, 2}), "settings.yaml", 7, "has 2 checklist items, needs at least 3"},
		{"no job aid", withFile(base, "jobaids.yaml", ""), "settings.yaml", 7, "has 0 job aids, needs at least 1"},
		{"no settings", withFile(base, "settings.yaml", ""), "settings.yaml", 0, "missing file"},
		{"unknown file", withFile(base, "lesson-stock.yaml", "[]"), "lesson-stock.yaml", 0, "unknown file"},
		{"yml extension", withFile(base, "extra.yml", "[]"), "extra.yml", 0, "name the file .yaml"},
		{"file of an unknown topic", withFile(base, "lessons-ipc.yaml", "[]"), "lessons-ipc.yaml", 0, `file names topic "ipc", not in settings.yaml (stock)`},
		{"item of another topic", withFile(withFile(base, "settings.yaml", settingsYAML+"  - {id: ipc, title: {en: \"Talk\", sw: \"Ongea\"}}\n"),
			"lessons-ipc.yaml", "- id: ipc-a\n  topic: stock\n"), "lessons-ipc.yaml", 2, `topic "stock" in the file of topic "ipc"`},
		{"bad vaccine", withFile(base, "settings.yaml", strings.Replace(settingsYAML, "doses_per_vial: 10", "doses_per_vial: 0", 1)), "settings.yaml", 5, `vaccine "penta": stock: doses_per_vial`},
		{"bad stock policy", withFile(base, "settings.yaml", strings.Replace(settingsYAML, "supply_months: 1", "supply_months: -1", 1)), "settings.yaml", 3, "stock policy: stock: supply_months"},
		{"number expected", withFile(base, "settings.yaml", strings.Replace(settingsYAML, "lead_days: 7", "lead_days: seven", 1)), "settings.yaml", 3, `want a whole number, found "seven"`},
		{"unknown placeholder", reminders("<mentor>.", "<name>."), "reminders.yaml", 3, "en: placeholder <name> is not filled for rule visit-before"},
		{"placeholder of another rule", reminders("Ziara tarehe <date>", "Ziara ya <lesson>"), "reminders.yaml", 3, "sw: placeholder <lesson> is not filled for rule visit-before"},
		{"reminder over one SMS", reminders("Your next lesson:", strings.Repeat("x", 110)), "reminders.yaml", 12, "reminder SMS with the longest values filled in (en) is 161 characters, over 160"},
		{"missing rule", reminders("- id: inactive", "- id: visit-review"), "reminders.yaml", 0, `missing reminder rule "inactive"`},
		{"unknown rule", reminders("- id: inactive", "- id: monthly"), "reminders.yaml", 10, `unknown reminder rule "monthly"`},
		{"bad time", reminders(`at: "08:00"`, `at: "8am"`), "reminders.yaml", 2, `at "8am": want a time of day`},
		{"bad weekday", reminders("weekday: tuesday", "weekday: tue"), "reminders.yaml", 8, `weekday "tue"`},
		{"mentor text of a nurse's rule", reminders(`text: {en: "Your next lesson`, "mentor_text: {en: \"x\", sw: \"y\"}\n  text: {en: \"Your next lesson"), "reminders.yaml", 12, "mentor_text: only rule visit-before goes to mentors"},
		{"mentor text over one SMS", reminders("- id: visit-review", "  mentor_text: {en: \"<mentee> "+strings.Repeat("x", 140)+"\", sw: \"y\"}\n- id: visit-review"), "reminders.yaml", 4, "reminder SMS with the longest values filled in (en) is 161 characters"},
		{"no commands", withFile(base, "commands.yaml", ""), "commands.yaml", 0, "missing file"},
		{"command missing", commands("help: [HELP, MSAADA]\n", ""), "commands.yaml", 1, `missing field "help"`},
		{"command without phrases", commands("help: [HELP, MSAADA]", "help: []"), "commands.yaml", 3, "help: give at least one phrase"},
		{"phrase of two commands", commands("ANZA]", "ANZA, \"Stop!\"]"), "commands.yaml", 2, `phrase "Stop!" is already a phrase of stop`},
		{"phrase without letters", commands("MSAADA]", "MSAADA, \"?!\"]"), "commands.yaml", 3, `phrase "?!" has no letters or digits`},
		{"phrase taking an answer", commands("MSAADA]", "MSAADA, A1]"), "commands.yaml", 3, `phrase "A1" starts like another SMS command`},
		{"phrase taking a broadcast", commands("ACHA,", "ACHA, BC stop,"), "commands.yaml", 1, `phrase "BC stop" starts like another SMS command`},
		{"unknown command", commands("help:", "pause: [PAUSE]\nhelp:"), "commands.yaml", 3, `unknown field "pause"`},
		{"when field of another rule", reminders("days_inactive: 14", "days_before_visit: 14"), "reminders.yaml", 11, `unknown field "days_before_visit"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			expect(t, lessons.Lint(c.fsys), c.file, c.line, c.want)
		})
	}
}

// expect fails t unless probs holds a problem at file:line whose message contains want.
func expect(t *testing.T, probs []lessons.Problem, file string, line int, want string) {
	t.Helper()
	for _, p := range probs {
		if p.File == file && p.Line == line && strings.Contains(p.Message, want) {
			return
		}
	}
	var got strings.Builder
	for _, p := range probs {
		got.WriteString("\n\t" + p.String())
	}
	t.Errorf("Lint() lacks %s:%d: ...%s...; got:%s", file, line, want, got.String())
}

func TestLintValidPack(t *testing.T) {
	if probs := lessons.Lint(genPack(valid)); len(probs) != 0 {
		t.Errorf("Lint(valid pack) = %v, want no problems", probs)
	}
}

// A broken settings.yaml is one problem, not one "unknown topic" per item.
func TestLintBrokenSettings(t *testing.T) {
	probs := lessons.Lint(withFile(genPack(valid), "settings.yaml", "topics: [\n"))
	if len(probs) != 1 || probs[0].File != "settings.yaml" {
		t.Errorf("Lint(pack with broken settings) = %v, want one problem in settings.yaml", probs)
	}
}

func TestLoadRefusesBrokenPack(t *testing.T) {
	fsys, _ := withAppended(genPack(valid), "checklist.yaml", "- id: chk-x\n  topic: vaccines\n  text: {en: \"X\", sw: \"X\"}\n")
	p, err := lessons.Load(fsys)
	var le *lessons.LoadError
	if p != nil || !errors.As(err, &le) || len(le.Problems) != 1 {
		t.Fatalf("Load(broken) = %v, %v; want nil and a LoadError with 1 problem", p, err)
	}
	if want := "checklist.yaml:11: unknown topic"; !strings.Contains(err.Error(), want) {
		t.Errorf("Load(broken) error = %q, want it to contain %q", err, want)
	}
}

func TestProblemString(t *testing.T) {
	cases := []struct {
		p    lessons.Problem
		want string
	}{
		{lessons.Problem{File: "a.yaml", Line: 3, Message: "bad"}, "a.yaml:3: bad"},
		{lessons.Problem{File: "a.yaml", Message: "missing file"}, "a.yaml: missing file"},
	}
	for _, c := range cases {
		if got := c.p.String(); got != c.want {
			t.Errorf("Problem.String() = %q, want %q", got, c.want)
		}
	}
}

// glossaryYAML is a small glossary: two terms, a vaccine and three words to avoid.
const glossaryYAML = `language: sw
terms:
  - {en: "coverage", sw: "kiwango cha uchanjaji"}
  - {en: "quiz", sw: "zoezi"}
vaccines:
  - {id: mr, name: {en: "Measles-Rubella", sw: "Surua na rubela"}}
avoid:
  - {word: "coverage", say: "kiwango cha uchanjaji"}
  - {word: "AMC", say: "wastani wa matumizi ya mwezi (AMC)", allow: ["(AMC)"]}
  - {word: "maswali", say: "zoezi", allow: ["maswali yangu", "maswali wazi", "maswali uliyokosa", "maswali kwa mshauri"]}
`

// TestLintGlossary: a Kiswahili text using a word the glossary says to
// avoid is a problem at its line, unless the word sits in an allowed phrase;
// English text may use it.
func TestLintGlossary(t *testing.T) {
	base := withFile(genPack(valid), "glossary.yaml", glossaryYAML)
	cases := []struct {
		name, page string
		want       string // "" for no problem
	}{
		{"avoided word", `{en: "Coverage.", sw: "Coverage ya Penta1."}`, `sw: "coverage" is a word to avoid in Kiswahili: say "kiwango cha uchanjaji"`},
		{"avoided abbreviation", `{en: "AMC 120.", sw: "AMC 120."}`, `sw: "AMC" is a word to avoid`},
		{"abbreviation in brackets", `{en: "AMC 120.", sw: "Wastani (AMC) 120."}`, ""},
		{"allowed phrase", `{en: "My questions.", sw: "Maswali yangu."}`, ""},
		{"avoided beside allowed", `{en: "Quiz.", sw: "Maswali yangu na maswali."}`, `sw: "maswali" is a word to avoid`},
		{"part of a word", `{en: "Coverages.", sw: "Coverages."}`, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fsys, start := withAppended(base, "lessons-stock.yaml", lessonWithPage2(c.page))
			probs := lessons.Lint(fsys)
			if c.want == "" {
				if len(probs) != 0 {
					t.Errorf("Lint() = %v, want no problems", probs)
				}
				return
			}
			expect(t, probs, "lessons-stock.yaml", start+6, c.want)
		})
	}
}

func TestVaccineName(t *testing.T) {
	p, err := lessons.Load(withFile(genPack(valid), "glossary.yaml", glossaryYAML))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ id, lang, want string }{
		{"mr", "sw", "Surua na rubela"},
		{"mr", "en", "Measles-Rubella"},
		{"penta", "sw", "Penta"}, // no glossary entry: the name in settings.yaml
		{"nope", "en", "nope"},
	}
	for _, c := range cases {
		if got := p.VaccineName(c.id, c.lang); got != c.want {
			t.Errorf("VaccineName(%q, %q) = %q, want %q", c.id, c.lang, got, c.want)
		}
	}
}

// lineOf returns the line of file in fsys that starts with prefix.
func lineOf(t *testing.T, fsys fstest.MapFS, file, prefix string) int {
	t.Helper()
	for i, l := range strings.Split(string(fsys[file].Data), "\n") {
		if strings.HasPrefix(l, prefix) {
			return i + 1
		}
	}
	t.Fatalf("%s has no line %q", file, prefix)
	return 0
}

// TestLintAssessmentBlueprint: the forms are parallel (as many items, item
// k on the same competency), an assessment item names its competency and
// offers 3 or 4 options, and no practice question shares its stem with an
// assessment item.
func TestLintAssessmentBlueprint(t *testing.T) {
	base := genPack(valid)
	edit := func(old, new string) fstest.MapFS {
		return withFile(base, "questions-stock.yaml", strings.Replace(string(base["questions-stock.yaml"].Data), old, new, 1))
	}
	extra := "- id: stk-baseline-9\n  topic: stock\n  form: baseline\n  competency: skill-9\n  sources: [R4]\n" +
		"  prompt: {en: \"Assessed skill 9, case?\", sw: \"Ujuzi 9?\"}\n  options:\n" + option("Yes", true) + option("No", false) + option("Maybe", false)
	longer, _ := withAppended(base, "questions-stock.yaml", extra)
	cases := []struct {
		name string
		fsys fstest.MapFS
		at   string // the line the problem is at starts with this
		want string
	}{
		{"forms of unequal length", longer, "- id: stk-midline-1", `topic "stock" has 9 baseline items and 8 midline items`},
		{"slot on another competency", edit("competency: skill-2\n  prompt: {en: \"Assessed skill 2, case?\", sw: \"Ujuzi 2?\"}\n  options:\n    - text: {en: \"Maybe\"", "competency: skill-x\n  prompt: {en: \"Assessed skill 2, case?\", sw: \"Ujuzi 2?\"}\n  options:\n    - text: {en: \"Maybe\""),
			"- id: stk-baseline-2", ""},
		{"no competency", edit("  competency: skill-1\n", ""), "- id: stk-baseline-1", `assessment item "stk-baseline-1" names no competency`},
		{"two options", edit("    - text: {en: \"Maybe\", sw: \"Labda\"}\n      explain: {en: \"Count first.\", sw: \"Hesabu kwanza.\"}\n", ""), "- id: stk-baseline-1", `has 2 options, needs 3 to 4 plausible ones`},
		{"practice clone", edit("prompt: {en: \"Question 1?\"", "prompt: {en: \"Assessed skill 41, case?\""), "- id: stk-practice-1", `practice question "stk-practice-1" has the stem of assessment item "stk-baseline-1"`},
		{"practice clone, one word apart", edit("prompt: {en: \"Question 1?\"", "prompt: {en: \"Assessed skill 41, new case?\""), "- id: stk-practice-1", `has the stem of assessment item`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.want == "" { // the midline and endline items of the slot now differ from baseline's
				expect(t, lessons.Lint(c.fsys), "questions-stock.yaml", lineOf(t, c.fsys, "questions-stock.yaml", "- id: stk-midline-2"),
					`midline item 2 (stk-midline-2) tests "skill-2", but baseline item 2 (stk-baseline-2) tests "skill-x"`)
				return
			}
			expect(t, lessons.Lint(c.fsys), "questions-stock.yaml", lineOf(t, c.fsys, "questions-stock.yaml", c.at), c.want)
		})
	}
}

func TestStemTemplate(t *testing.T) {
	cases := []struct{ prompt, want string }{
		{"Opening 100, received 300, closing 100, given 270. Wastage rate?", "opening #, received #, closing #, given #. wastage rate?"},
		{"You count 7 unopened Penta vials of 10 doses.", "you count # unopened @ vials of # doses."},
		{"Penta1 70, Penta3 63. Dropout?", "@ #, @ #. dropout?"},
		{"MR  1,409   doses", "@ # doses"},
	}
	for _, c := range cases {
		if got := lessons.StemTemplate(c.prompt); got != c.want {
			t.Errorf("StemTemplate(%q) = %q, want %q", c.prompt, got, c.want)
		}
	}
}

// TestLintRefusesUndeclaredPlaceholder: a misspelt parameter would reach
// nurses as written ("Dial <cdoe>"), so a <word> of a catalogue text must be
// a placeholder or a declared typed word ("reply A12 <answer>").
func TestLintRefusesUndeclaredPlaceholder(t *testing.T) {
	base := withFile(genPack(valid), "settings.yaml", settingsYAML+"typed_words: [answer, jibu]\n")
	const file = "messages-sms.yaml"
	misspelt := withFile(base, file, "sms.dial:\n  en: \"Dial <code> or reply A12 <answer>.\"\n  sw: \"Piga <cdoe> au jibu A12 <jibu>.\"\n")
	expect(t, lessons.Lint(misspelt), file, 2, "sms.dial sw: <cdoe> is neither a placeholder nor a typed word")
	right := withFile(base, file, "sms.dial:\n  en: \"Dial <code> or reply A12 <answer>.\"\n  sw: \"Piga <code> au jibu A12 <jibu>.\"\n")
	for _, p := range lessons.Lint(right) {
		if strings.Contains(p.Message, "typed word") {
			t.Errorf("Lint(declared words) = %s, want no problem with <code>, <answer> or <jibu>", p)
		}
	}
	both := withFile(base, "settings.yaml", settingsYAML+"typed_words: [code]\n")
	expect(t, lessons.Lint(both), "settings.yaml", 8, `typed word "code" is also a placeholder`)
}
