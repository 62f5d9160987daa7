package lessons

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// embeddedDir is where the embedded pack lives in the source tree, so that
// problems in it name a file a writer can open.
const embeddedDir = "lessons/content"

// LintMain runs "chanjo content lint [DIR]": it lints the pack in DIR (by
// default the embedded one), prints each problem as "file:line: message"
// and a summary, and returns the exit status: 0 for a clean pack, 1 for a
// pack with problems, 2 for a usage error.
func LintMain(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("chanjo content lint", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() {
		fmt.Fprintf(stderr, "usage: chanjo content lint [DIR]\n\n"+
			"Checks the content pack in DIR (default: the pack built into chanjo) and prints\n"+
			"every problem with its file and line. Exit status 1 when there are problems.\n")
	}
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if flags.NArg() > 1 {
		flags.Usage()
		return 2
	}
	fsys, dir := Embedded(), embeddedDir
	if flags.NArg() == 1 {
		dir = flags.Arg(0)
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			fmt.Fprintf(stderr, "chanjo content lint: %s is not a directory\n", dir)
			return 2
		}
		fsys = os.DirFS(dir)
	}
	probs := Lint(fsys)
	if p, err := Load(fsys); err == nil && flags.NArg() == 1 {
		probs = append(probs, missingKeys(p)...)
	}
	for _, p := range probs {
		p.File = filepath.Join(dir, p.File)
		fmt.Fprintln(stdout, p)
	}
	if len(probs) > 0 {
		fmt.Fprintf(stdout, "%s: %d problems\n", dir, len(probs))
		return 1
	}
	fmt.Fprintf(stdout, "%s: ok, %s\n", dir, summary(fsys))
	return 0
}

// summary counts what a clean pack holds.
func summary(fsys fs.FS) string {
	p, err := Load(fsys)
	if err != nil {
		return err.Error()
	}
	var forms []string
	for _, f := range Assessments {
		forms = append(forms, fmt.Sprintf("%d %s", len(p.Assessment(f)), f))
	}
	return fmt.Sprintf("%d topics, %d lessons, %d practice questions, assessments: %s, %d job aids, %d checklist items, %d reminders, %d messages; %s",
		len(p.Topics), len(p.Lessons), count(p.Questions, func(q Question) bool { return q.Form == Practice }),
		strings.Join(forms, ", "), len(p.JobAids), len(p.Checklist), len(p.Reminders), len(p.messages), strings.Join(p.LanguageCodes(), ", "))
}
