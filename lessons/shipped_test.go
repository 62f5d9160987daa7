package lessons_test

import (
	"slices"
	"testing"

	"github.com/chanjo-health/chanjo/lessons"
)

// TestShippedPackLints is the gate for content writers: every problem of
// the embedded pack is printed with its file and line.
func TestShippedPackLints(t *testing.T) {
	for _, p := range lessons.Lint(lessons.Embedded()) {
		t.Errorf("lessons/content/%s", p)
	}
}

func TestShippedPackCounts(t *testing.T) {
	p, err := lessons.Default()
	if err != nil {
		t.Fatalf("Default() error = %v", err)
	}
	practice := 0
	for _, q := range p.Questions {
		if q.Form == lessons.Practice {
			practice++
		}
	}
	counts := []struct {
		what      string
		got, want int
	}{
		{"topics", len(p.Topics), 4},
		{"lessons", len(p.Lessons), 16},
		{"practice questions", practice, 48},
		{"job aids", len(p.JobAids), 4},
		{"reminder rules", len(p.Reminders), 4},
		{"vaccines", len(p.Settings.Vaccines), 11},
	}
	for _, f := range lessons.Assessments {
		counts = append(counts, struct {
			what      string
			got, want int
		}{string(f) + " questions", len(p.Assessment(f)), 32})
	}
	for _, c := range counts {
		if c.got < c.want {
			t.Errorf("shipped pack has %d %s, want at least %d", c.got, c.what, c.want)
		}
	}
	for _, f := range lessons.Assessments {
		for i, q := range p.Assessment(f) {
			if want := p.Topics[i/8].ID; q.Topic != want {
				t.Errorf("Assessment(%s)[%d] is on %s, want %s (8 per topic, in topic order)", f, i, q.Topic, want)
			}
		}
	}
}

// TestShippedStockSettings checks the defaults of docs/domain.md reach the calculators.
func TestShippedStockSettings(t *testing.T) {
	p, err := lessons.Default()
	if err != nil {
		t.Fatalf("Default() error = %v", err)
	}
	pol := p.Settings.StockPolicy
	if pol.SupplyMonths != 1 || pol.SafetyFraction != 0.25 || pol.LeadDays != 7 {
		t.Errorf("stock policy = %+v, want monthly supply, 25%% safety stock, 7 lead days", pol)
	}
	vials := map[string]int{}
	for _, v := range p.Settings.Vaccines {
		vials[v.ID] = v.DosesPerVial
	}
	for id, want := range map[string]int{"bcg": 20, "bopv": 20, "penta": 10, "pcv10": 5, "mr": 10, "hpv": 1, "td": 20} {
		if vials[id] != want {
			t.Errorf("vaccine %s has %d doses per vial, want %d", id, vials[id], want)
		}
	}
}

func BenchmarkLoadEmbedded(b *testing.B) {
	for b.Loop() {
		if _, err := lessons.Load(lessons.Embedded()); err != nil {
			b.Fatal(err)
		}
	}
}

// TestShippedSourcesAndGlossary: every lesson, question and job aid of the
// shipped pack cites docs/domain.md sources, and no Kiswahili text a nurse reads
// uses a word the glossary says to avoid.
func TestShippedSourcesAndGlossary(t *testing.T) {
	p, err := lessons.Default()
	if err != nil {
		t.Fatalf("Default() error = %v", err)
	}
	if len(p.Glossary.Terms) == 0 || len(p.Glossary.Avoid) == 0 {
		t.Fatalf("shipped glossary has %d terms and %d words to avoid, want both", len(p.Glossary.Terms), len(p.Glossary.Avoid))
	}
	cites := func(id string, sources []string) {
		if len(sources) == 0 {
			t.Errorf("%s cites no source", id)
		}
		for _, s := range sources {
			if !slices.Contains(lessons.Sources, s) {
				t.Errorf("%s cites %s, not a docs/domain.md source", id, s)
			}
		}
	}
	sw := func(id string, texts ...lessons.Text) {
		for _, x := range texts {
			for _, a := range p.Glossary.Avoided(x["sw"]) {
				t.Errorf("%s: %q uses %q, say %q", id, x["sw"], a.Word, a.Say)
			}
		}
	}
	for _, l := range p.Lessons {
		cites(l.ID, l.Sources)
		sw(l.ID, append([]lessons.Text{l.Title, l.KeyPoint}, l.Pages...)...)
	}
	for _, q := range p.Questions {
		cites(q.ID, q.Sources)
		sw(q.ID, q.Prompt)
		for _, o := range q.Options {
			sw(q.ID, o.Text, o.Explain)
		}
	}
	for _, j := range p.JobAids {
		cites(j.ID, j.Sources)
		sw(j.ID, j.Title, j.SMS)
	}
	for _, c := range p.Checklist {
		sw(c.ID, c.Text)
	}
	for _, tp := range p.Topics {
		sw(tp.ID, tp.Title)
	}
	for _, r := range p.Reminders {
		sw(r.ID, r.Text)
	}
}
