package ussd

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/lessons/screen"
	"github.com/chanjo-health/chanjo/lessons/screen/screentest"
)

func TestLayoutPaginatesWithinTheLimit(t *testing.T) {
	long := strings.Repeat("word ", 80)
	var items []Item
	for i := 0; i < 20; i++ {
		items = append(items, Item{Label: "Option with a longish label", To: Frame{State: StHome}})
	}
	tests := []struct {
		name string
		sc   Screen
	}{
		{"long text", Menu(long)},
		{"long list", Menu("Pick one", items...)},
		{"long page", Page(long)},
		{"long final", End(long)},
		{"long entry", Entry(long)},
		{"bad characters", Menu("Caf\u00e9 [x] {y} ~ ^ | \\ `z`")},
	}
	for _, tt := range tests {
		for _, lang := range []string{"en", "sw"} {
			t.Run(tt.name+"/"+lang, func(t *testing.T) {
				seen := map[string]bool{}
				for page, more := 0, true; more; page++ {
					var body string
					body, more, _ = layout(tt.sc, Frame{Page: page, Notice: "Invalid choice."}, navLabels(lang))
					if err := screentest.Check(body); err != nil {
						t.Fatalf("layout(page %d) = %q: %v", page, body, err)
					}
					if more != strings.Contains(body, navLabels(lang).More) {
						t.Errorf("layout(page %d) more = %v, body %q", page, more, body)
					}
					for _, line := range strings.Split(body, "\n") {
						if strings.HasPrefix(line, "Option") && seen[body] {
							t.Errorf("page %d repeats %q", page, body)
						}
					}
					seen[body] = true
				}
			})
		}
	}
}

func TestLayoutKeepsItemsWhole(t *testing.T) {
	var items []Item
	for i := 0; i < 12; i++ {
		items = append(items, Item{Label: "Immunization topic", To: Frame{State: StHome}})
	}
	for page, more := 0, true; more; page++ {
		var body string
		body, more, _ = layout(Menu("Topics", items...), Frame{Page: page}, navLabels("en"))
		for _, line := range strings.Split(body, "\n") {
			if strings.Contains(line, "Immunization") && !strings.HasSuffix(line, "Immunization topic") {
				t.Errorf("page %d cuts an item: %q", page, line)
			}
		}
	}
}

// TestEveryScreenFits shows every state of every tree in both languages:
// final and entry screens, which cannot page, must fit whole.
func TestEveryScreenFits(t *testing.T) {
	e := newTestEnv(t, false)
	m := e.svc.m
	for state, node := range m.nodes {
		for _, lang := range []string{"en", "sw"} {
			for _, mentor := range []bool{false, true} {
				s := Session{Frames: []Frame{{State: state}}, Nurse: Nurse{ID: 1, Name: strings.Repeat("N", maxNameLen), Lang: lang}}
				if mentor {
					s.Nurse.Role = "mentor"
				}
				s.Reg = &RegDraft{Name: strings.Repeat("N", maxNameLen), Facility: "12345678"}
				c := &Ctx{Context: context.Background(), S: &s, m: m}
				sc, err := node.Show(c)
				if err != nil {
					t.Fatalf("%s/%s: %v", state, lang, err)
				}
				full := compose(sc)
				nav := ""
				if !sc.Top {
					nav = screen.Nav(sc.Kind, navLabels(lang))
				}
				fits := len(full)+len(nav) <= screen.MaxLen
				if !fits && (sc.Kind == screen.Final || sc.Kind == screen.Entry || sc.Top) {
					t.Errorf("%s/%s: %d characters, over %d: %q", state, lang, len(full)+len(nav), screen.MaxLen, full)
				}
			}
		}
	}
	for _, lang := range []string{"en", "sw", ""} {
		if err := screentest.Check(e.svc.apology(lang)); err != nil {
			t.Errorf("apology(%q): %v", lang, err)
		}
	}
	if err := screentest.Check(e.svc.notForNumber()); err != nil {
		t.Errorf("notForNumber: %v", err)
	}
}

// TestLongListSkips98 pages a list of 120 items: every item is on a page,
// numbered 1 to 97, then 99 on, since 98 is "98 More" on every screen; and
// the numbers choose the items they show.
func TestLongListSkips98(t *testing.T) {
	var items []Item
	for i := range 120 {
		items = append(items, Item{Label: "Place " + strconv.Itoa(i), To: Frame{State: StHome}})
	}
	var lines []string
	for page, more := 0, true; more; page++ {
		var body string
		body, more, _ = layout(Menu("Sub-county", items...), Frame{Page: page}, navLabels("en"))
		lines = append(lines, strings.Split(body, "\n")...)
	}
	for _, want := range []string{"97 Place 96", "99 Place 97", "121 Place 119"} {
		if !slices.Contains(lines, want) {
			t.Errorf("pages of 120 items lack %q", want)
		}
	}
	for _, line := range lines {
		if strings.HasPrefix(line, "98 Place") {
			t.Errorf("an item is numbered 98: %q", line)
		}
	}
	for in, want := range map[string]int{"1": 0, "97": 96, "99": 97, "121": 119} {
		if i, ok := itemIndex(in, len(items)); !ok || i != want {
			t.Errorf("itemIndex(%q) = %d, %v, want %d", in, i, ok, want)
		}
	}
	for _, in := range []string{"98", "0", "122", "01", "x"} {
		if i, ok := itemIndex(in, len(items)); ok {
			t.Errorf("itemIndex(%q) = %d, want no item", in, i)
		}
	}
}

// navLabels returns the shipped pack's navigation lines in lang.
func navLabels(lang string) screen.Labels {
	p, err := lessons.Default()
	if err != nil {
		panic(err) // the shipped pack loads: lessons' tests say so
	}
	return p.Labels(lang)
}
