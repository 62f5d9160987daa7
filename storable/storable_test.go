package storable_test

import (
	"net/url"
	"testing"
	"unicode/utf8"

	"github.com/chanjo-health/chanjo/storable"
)

func TestText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"Habari, BCG?", "Habari, BCG?"},
		{"vial 2–8°C ✓", "vial 2–8°C ✓"},
		{"a\x00b", `a\x00b`},
		{"\x00", `\x00`},
		{"bad \xff\xfe end", `bad \xff\xfe end`},
		{"cut \xe2\x82", `cut \xe2\x82`}, // a truncated euro sign
		{"mixed \x00\xc3(", `mixed \x00\xc3(`},
	}
	for _, tt := range tests {
		got := storable.Text(tt.in)
		if got != tt.want {
			t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if !utf8.ValidString(got) {
			t.Errorf("Text(%q) = %q is not valid UTF-8", tt.in, got)
		}
	}
}

func TestForm(t *testing.T) {
	v := url.Values{"text": {"a\x00"}, "k\xff": {"v"}}
	storable.Form(v)
	if got := v.Get("text"); got != `a\x00` {
		t.Errorf("text = %q", got)
	}
	if got := v.Get(`k\xff`); got != "v" {
		t.Errorf(`k\xff = %q, form %v`, got, v)
	}
}
