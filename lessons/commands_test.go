package lessons_test

import (
	"testing"

	"github.com/chanjo-health/chanjo/lessons"
)

// The shipped phrases match whole messages only, whatever their case,
// punctuation and spacing, in both languages.
func TestCommandsMatch(t *testing.T) {
	p, err := lessons.Default()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		text string
		want lessons.Command // "" for no command
	}{
		{"STOP", lessons.CommandStop},
		{"stop", lessons.CommandStop},
		{" Stop. ", lessons.CommandStop},
		{"Stop please", lessons.CommandStop},
		{"STOP, PLEASE!!", lessons.CommandStop},
		{"stop   chanjo", lessons.CommandStop},
		{"Unsubscribe", lessons.CommandStop},
		{"SIMAMA", lessons.CommandStop},
		{"acha!", lessons.CommandStop},
		{"Ondoa", lessons.CommandStop},
		{"start", lessons.CommandStart},
		{"Anza.", lessons.CommandStart},
		{"help?", lessons.CommandHelp},
		{"MSAADA", lessons.CommandHelp},
		{"Acha nikuulize kuhusu BCG", ""},
		{"Can I stop giving OPV after a reaction?", ""},
		{"stopped", ""},
		{"", ""},
		{"A1 stop", ""},
	}
	for _, c := range cases {
		got, ok := p.Commands.Match(c.text)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("Match(%q) = %q, %v; want %q", c.text, got, ok, c.want)
		}
	}
}

func TestNormalizePhrase(t *testing.T) {
	for in, want := range map[string]string{
		"STOP":              "stop",
		"  Stop,   please!": "stop please",
		"stop-chanjo":       "stop chanjo",
		"?!":                "",
	} {
		if got := lessons.NormalizePhrase(in); got != want {
			t.Errorf("NormalizePhrase(%q) = %q, want %q", in, got, want)
		}
	}
}
