package lessons_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/chanjo-health/chanjo/lessons"
)

// writePack writes fsys into a new directory.
func writePack(t *testing.T, fsys fstest.MapFS) string {
	t.Helper()
	dir := t.TempDir()
	for name, f := range fsys {
		if err := os.WriteFile(filepath.Join(dir, name), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLintMain(t *testing.T) {
	clean := writePack(t, withCatalogue(genPack(valid)))
	broken, _ := withAppended(genPack(valid), "checklist.yaml", "- id: chk-x\n  topic: vaccines\n  text: {en: \"X\", sw: \"\"}\n")
	brokenDir := writePack(t, broken)
	old := withCatalogue(genPack(valid)) // a pack copied before the navigation words were in the catalogue
	delete(old, "messages-nav.yaml")
	oldDir := writePack(t, old)
	cases := []struct {
		name   string
		args   []string
		status int
		out    []string // lines stdout must hold
	}{
		{"clean pack", []string{clean}, 0, []string{clean + ": ok, 1 topics, 4 lessons, 12 practice questions, assessments: 8 baseline, 8 midline, 8 endline"}},
		{"broken pack", []string{brokenDir}, 1, []string{
			filepath.Join(brokenDir, "checklist.yaml") + ":11: unknown topic \"vaccines\" (topics in settings.yaml: stock)",
			filepath.Join(brokenDir, "checklist.yaml") + ":12: missing translation: sw is empty",
			brokenDir + ": 2 problems",
		}},
		{"pack without keys the code uses", []string{oldDir}, 1, []string{
			filepath.Join(oldDir, "messages-nav.yaml") + ": missing key nav.back: this version of chanjo uses it",
		}},
		{"not a directory", []string{filepath.Join(clean, "nothing")}, 2, nil},
		{"two directories", []string{clean, clean}, 2, nil},
		{"help", []string{"-h"}, 0, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr strings.Builder
			status := lessons.LintMain(c.args, &stdout, &stderr)
			if status != c.status {
				t.Errorf("LintMain(%q) = %d, want %d; stdout:\n%s\nstderr:\n%s", c.args, status, c.status, stdout.String(), stderr.String())
			}
			for _, want := range c.out {
				if !strings.Contains(stdout.String(), want) {
					t.Errorf("LintMain(%q) stdout lacks %q; got:\n%s", c.args, want, stdout.String())
				}
			}
		})
	}
}

// TestLoadDirNeedsTheCodesKeys: CONTENT_DIR with a catalogue that lacks a
// key the code uses does not load, so no nurse reads "nav.back".
func TestLoadDirNeedsTheCodesKeys(t *testing.T) {
	old := withCatalogue(genPack(valid))
	delete(old, "messages-nav.yaml")
	if _, err := lessons.LoadDir(writePack(t, old)); err == nil || !strings.Contains(err.Error(), "missing key nav.back") {
		t.Errorf("LoadDir(pack without nav keys) = %v, want an error naming nav.back", err)
	}
	if _, err := lessons.LoadDir(writePack(t, withCatalogue(genPack(valid)))); err != nil {
		t.Errorf("LoadDir(pack with the shipped catalogue) = %v", err)
	}
}

// TestLintMainEmbedded lints the shipped pack as "chanjo content lint" does.
func TestLintMainEmbedded(t *testing.T) {
	var stdout, stderr strings.Builder
	if status := lessons.LintMain(nil, &stdout, &stderr); status != 0 {
		t.Errorf("LintMain() = %d, want 0; stdout:\n%s", status, stdout.String())
	}
}
