package lessons_test

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/lessons"
)

var writeDoc = flag.Bool("write-doc", false, "rewrite the sources of docs/content.md from the shipped pack")

const (
	contentDoc  = "../docs/content.md"
	sourcesFrom = "<!-- sources: generated from the shipped pack by go test ./lessons -run TestContentDocSources -args -write-doc -->\n"
	sourcesTo   = "<!-- end of sources -->\n"
)

// TestContentDocSources keeps the list of sources each topic uses in
// docs/content.md equal to what the shipped pack's items cite.
func TestContentDocSources(t *testing.T) {
	p, err := lessons.Default()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(contentDoc)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	i, j := strings.Index(doc, sourcesFrom), strings.Index(doc, sourcesTo)
	if i < 0 || j < i {
		t.Fatalf("%s: no block between %q and %q", contentDoc, sourcesFrom, sourcesTo)
	}
	got, want := doc[i+len(sourcesFrom):j], sourcesBlock(p)
	if *writeDoc {
		if err := os.WriteFile(contentDoc, []byte(doc[:i+len(sourcesFrom)]+want+doc[j:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s: sources differ from the pack (-pack +doc); rerun with -args -write-doc:\n%s", contentDoc, diff)
	}
}

// sourcesBlock lists, per topic, the sources its lessons, questions and
// job aid cite, then each lesson's.
func sourcesBlock(p *lessons.Pack) string {
	var b strings.Builder
	b.WriteString("| topic | lessons | questions (practice and assessments) | job aids |\n|---|---|---|---|\n")
	for _, t := range p.Topics {
		var ls, qs, ja [][]string
		for _, l := range p.LessonsOf(t.ID) {
			ls = append(ls, l.Sources)
		}
		for _, q := range p.Questions {
			if q.Topic == t.ID {
				qs = append(qs, q.Sources)
			}
		}
		for _, j := range p.JobAidsOf(t.ID) {
			ja = append(ja, j.Sources)
		}
		fmt.Fprintf(&b, "| %s (`%s`) | %s | %s | %s |\n", t.Title["en"], t.ID, union(ls), union(qs), union(ja))
	}
	b.WriteString("\nEach lesson:\n\n")
	for _, l := range p.Lessons {
		fmt.Fprintf(&b, "- `%s` (%s): %s\n", l.ID, l.Title["en"], union([][]string{l.Sources}))
	}
	return b.String()
}

// union returns the source ids of lists once each, in the order of
// docs/domain.md's list of sources.
func union(lists [][]string) string {
	var ids []string
	for _, s := range lessons.Sources {
		if slices.ContainsFunc(lists, func(l []string) bool { return slices.Contains(l, s) }) {
			ids = append(ids, s)
		}
	}
	return strings.Join(ids, " ")
}

// TestDomainDocListsSources: every source id the pack may cite is in the
// sources list of docs/domain.md, so an id in a lesson resolves inside the
// repository.
func TestDomainDocListsSources(t *testing.T) {
	b, err := os.ReadFile("../docs/domain.md")
	if err != nil {
		t.Fatal(err)
	}
	_, list, ok := strings.Cut(string(b), "\n## Sources\n")
	if !ok {
		t.Fatal("docs/domain.md: no \"## Sources\" section")
	}
	for _, id := range lessons.Sources {
		if !strings.Contains(list, "\n- "+id+" ") {
			t.Errorf("docs/domain.md lists no source %s", id)
		}
	}
}
