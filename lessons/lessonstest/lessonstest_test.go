package lessonstest_test

import (
	"os"
	"testing"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/lessons/lessonstest"
)

// TestWithLanguage: a third language is texts and one line in the pack -
// the copy lints clean and speaks it everywhere.
func TestWithLanguage(t *testing.T) {
	dir := lessonstest.WithLanguage(t, "kam", "Kikamba")
	if probs := lessons.Lint(os.DirFS(dir)); len(probs) > 0 {
		t.Fatalf("Lint(pack with kam) = %v, want none", probs)
	}
	p, err := lessons.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Languages(); len(got) != 3 || got[2] != (lessons.Language{Code: "kam", Name: "Kikamba"}) {
		t.Errorf("Languages() = %v, want en, sw and then kam Kikamba", got)
	}
	if got, want := p.Say("kam", "sms.certificate", "name", "Mwende", "topic", "X"), "CHANJO CERTIFICATE: CONGRATULATIONS, Mwende!"; len(got) < len(want) || got[:len(want)] != want {
		t.Errorf("Say(kam, sms.certificate) = %q, want it to start %q", got, want)
	}
	if got := p.Lessons[0].Title.In("kam"); got == "" || got != p.Lessons[0].Title["kam"] {
		t.Errorf("first lesson's title in kam = %q, want its stand-in", got)
	}
}
