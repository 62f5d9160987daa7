package screen_test

import (
	"strings"
	"testing"

	"github.com/chanjo-health/chanjo/lessons/screen"
	"github.com/chanjo-health/chanjo/lessons/screen/screentest"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		name, body string
		ok         bool
	}{
		{"plain menu", "1 Lessons\n2 Quiz\n0 Back 00 Home", true},
		{"all punctuation", "a.,:;!?'\"()-+*/#%&=<>@_$z", true},
		{"exactly the limit", strings.Repeat("a", screen.MaxLen), true},
		{"one over the limit", strings.Repeat("a", screen.MaxLen+1), false},
		{"extension bracket", "see [1]", false},
		{"backslash", `a\b`, false},
		{"curly quote", "it\u2019s", false},
		{"en dash", "7\u20138", false},
		{"accented letter", "caf\u00e9", false},
		{"tab", "a\tb", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := screentest.Check(tt.body); (err == nil) != tt.ok {
				t.Errorf("screentest.Check(%q) = %v, want ok=%v", tt.body, err, tt.ok)
			}
		})
	}
}

func TestBudgetLeavesRoomForNavigation(t *testing.T) {
	labels := map[string]screen.Labels{
		"en": {Next: "1 Next", Back: "0 Back", Home: "00 Home", More: "98 More", EntryBack: "00 Back"},
		"sw": {Next: "1 Endelea", Back: "0 Rudi", Home: "00 Mwanzo", More: "98 Zaidi", EntryBack: "00 Rudi"},
	}
	for lang, l := range labels {
		for _, k := range []screen.Kind{screen.Menu, screen.Page, screen.Entry, screen.Final} {
			body := strings.Repeat("x", screen.Budget(k, l))
			if err := screentest.Check(body + screen.Nav(k, l)); err != nil {
				t.Errorf("Budget(%d, %s): a full body with navigation fails: %v", k, lang, err)
			}
			if err := screentest.Check(body + "x" + screen.Nav(k, l)); err == nil {
				t.Errorf("Budget(%d, %s) = %d leaves room for one more character", k, lang, screen.Budget(k, l))
			}
		}
	}
}
