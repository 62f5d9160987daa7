package lessons_test

import (
	"testing"

	"github.com/chanjo-health/chanjo/lessons"
)

// TestVisitTime: a visit scheduled without a time is at the pack's
// visit_time (issue 19: "default from the pack"), 09:00 when the pack says
// nothing; a time that does not read is a problem at its line.
func TestVisitTime(t *testing.T) {
	p, err := lessons.Load(genPack(valid))
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Settings.VisitTime.String(); got != "09:00" {
		t.Errorf("VisitTime of a pack without visit_time = %s, want 09:00", got)
	}
	fsys, _ := withAppended(genPack(valid), "settings.yaml", "\nvisit_time: \"07:30\"\n")
	if p, err = lessons.Load(fsys); err != nil {
		t.Fatal(err)
	}
	if got := p.Settings.VisitTime.String(); got != "07:30" {
		t.Errorf("VisitTime with visit_time 07:30 = %s", got)
	}
	fsys, start := withAppended(genPack(valid), "settings.yaml", "\nvisit_time: \"9am\"\n")
	expect(t, lessons.Lint(fsys), "settings.yaml", start+1, `visit_time "9am"`)
	shipped, err := lessons.Default()
	if err != nil {
		t.Fatal(err)
	}
	if got := shipped.Settings.VisitTime.String(); got != "09:00" {
		t.Errorf("the shipped pack's visit_time = %s, want 09:00", got)
	}
}
