package ussd

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/lessons/lessonstest"
)

var update = flag.Bool("update", false, "rewrite the answers in testdata/*.txt")

// TestGolden replays the conversations of testdata/*.txt through the HTTP
// handler. A file is a script: "@dial PHONE" dials (a new session), "> X"
// answers X, "@repeat" resends the last hop, "@text T" sends the cumulative
// text T as is, "@open" makes enrolment open; "#" starts a comment. The lines
// after each hop are the answer expected. -update writes the answers given.
// Directives without a hop: "@flush" waits for the lesson pages written
// behind, "@forget" drops the phone's last position (as 30 minutes would),
// "@window FORM" opens an assessment form, "@answer ID PHONE TEXT" stores
// the answer of the mentor at PHONE to question ID (as her SMS would),
// "@close ID" has the helpdesk close question ID, "@mentor PHONE NAME"
// enrols another mentor in the demo group, "@post PHONE TEXT" posts TEXT
// to her group from the member at PHONE (as her G by SMS), "@scores PHONE
// FORM:SCORE/TOTAL…" records finished quizzes of the nurse at PHONE.
// "@language CODE NAME", before the first hop, serves a copy of the pack
// with a language added (lessonstest.PackWithLanguage: its texts are the
// English in capitals).
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no transcripts: %v", err)
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".txt"), func(t *testing.T) { runGolden(t, f) })
	}
}

type goldenStep struct {
	directive string
	want      string
}

func runGolden(t *testing.T, path string) {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	steps := parseGolden(string(b))
	open, language := false, ""
	for _, s := range steps {
		open = open || s.directive == "@open"
		if l, ok := strings.CutPrefix(s.directive, "@language "); ok {
			language = l
		}
	}
	e := newTestEnv(t, open)
	if code, name, ok := strings.Cut(language, " "); ok {
		e.serve(t, Config{OpenEnrolment: open, Pack: lessonstest.PackWithLanguage(t, code, name)})
	}
	var out strings.Builder
	var sid, phone, text string
	for i, s := range steps {
		out.WriteString(s.directive + "\n")
		d := s.directive
		switch {
		case strings.HasPrefix(d, "#") || d == "@open" || strings.HasPrefix(d, "@language "):
			continue
		case d == "@flush" || d == "@forget" || strings.HasPrefix(d, "@window "):
			e.setUp(t, d, phone)
			continue
		case strings.HasPrefix(d, "@answer "):
			e.answer(t, strings.TrimPrefix(d, "@answer "))
			continue
		case strings.HasPrefix(d, "@close "):
			e.closeQuestion(t, strings.TrimPrefix(d, "@close "))
			continue
		case strings.HasPrefix(d, "@scores "):
			e.scores(t, strings.TrimPrefix(d, "@scores "))
			continue
		case strings.HasPrefix(d, "@mentor "):
			e.groupMentor(t, strings.TrimPrefix(d, "@mentor "))
			continue
		case strings.HasPrefix(d, "@post "):
			e.groupPost(t, strings.TrimPrefix(d, "@post "))
			continue
		case strings.HasPrefix(d, "@dial "):
			sid, phone, text = fmt.Sprintf("ATUid_golden%02d", i), strings.TrimPrefix(d, "@dial "), ""
		case strings.HasPrefix(d, "> "), d == ">":
			in := strings.TrimPrefix(strings.TrimPrefix(d, ">"), " ")
			text = joinText(text, in)
		case strings.HasPrefix(d, "@text "):
			text = strings.TrimPrefix(d, "@text ")
		case d != "@repeat":
			t.Fatalf("%s: unknown line %q", path, d)
		}
		code, got := e.post(sid, phone, text)
		if code != 200 {
			t.Errorf("%s: %s: status %d", path, d, code)
		}
		out.WriteString(got + "\n\n")
		if !*update && got != s.want {
			t.Errorf("%s: after %q (-want +got):\n%s", path, d, cmp.Diff(s.want, got))
		}
	}
	if *update {
		if err := os.WriteFile(path, []byte(strings.TrimRight(out.String(), "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// joinText appends an input to the cumulative text as the gateway does; the
// first input after a dial is the whole text.
func joinText(text, in string) string {
	if text == "" {
		return in
	}
	return text + "*" + in
}

func parseGolden(s string) []goldenStep {
	var steps []goldenStep
	for _, line := range strings.Split(s, "\n") {
		if isDirective(line) {
			steps = append(steps, goldenStep{directive: line})
			continue
		}
		if len(steps) == 0 {
			continue
		}
		st := &steps[len(steps)-1]
		st.want += line + "\n"
	}
	for i := range steps {
		steps[i].want = strings.Trim(steps[i].want, "\n")
	}
	return steps
}

func isDirective(line string) bool {
	return strings.HasPrefix(line, "@") || strings.HasPrefix(line, "#") || line == ">" || strings.HasPrefix(line, "> ")
}
