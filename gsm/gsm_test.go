package gsm

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSegments(t *testing.T) {
	a := func(n int) string { return strings.Repeat("a", n) }
	tests := []struct {
		name string
		text string
		want Count
	}{
		{"empty", "", Count{Segments: 0, Encoding: GSM7, Units: 0}},
		{"one char", "a", Count{Segments: 1, Encoding: GSM7, Units: 1}},
		{"gsm7 160 fits one", a(160), Count{Segments: 1, Encoding: GSM7, Units: 160}},
		{"gsm7 161 needs two", a(161), Count{Segments: 2, Encoding: GSM7, Units: 161}},
		{"gsm7 306 fits two", a(306), Count{Segments: 2, Encoding: GSM7, Units: 306}},
		{"gsm7 307 needs three", a(307), Count{Segments: 3, Encoding: GSM7, Units: 307}},
		{"basic accented letters stay gsm7", "Habari é ñ ü à", Count{Segments: 1, Encoding: GSM7, Units: 14}},
		{"extension counts two", "€", Count{Segments: 1, Encoding: GSM7, Units: 2}},
		{"extension filling 160", a(158) + "€", Count{Segments: 1, Encoding: GSM7, Units: 160}},
		{"extension crossing 160", a(159) + "€", Count{Segments: 2, Encoding: GSM7, Units: 161}},
		{"extension not split at 153", a(152) + "[" + a(152), Count{Segments: 3, Encoding: GSM7, Units: 306}},
		{"extension ending at 153", a(151) + "[" + a(153), Count{Segments: 2, Encoding: GSM7, Units: 306}},
		{"ucs2 70 fits one", "ā" + a(69), Count{Segments: 1, Encoding: UCS2, Units: 70}},
		{"ucs2 71 needs two", "ā" + a(70), Count{Segments: 2, Encoding: UCS2, Units: 71}},
		{"ucs2 134 fits two", "ā" + a(133), Count{Segments: 2, Encoding: UCS2, Units: 134}},
		{"ucs2 135 needs three", "ā" + a(134), Count{Segments: 3, Encoding: UCS2, Units: 135}},
		{"curly quote forces ucs2", "Don’t", Count{Segments: 1, Encoding: UCS2, Units: 5}},
		{"emoji counts two", a(68) + "😀", Count{Segments: 1, Encoding: UCS2, Units: 70}},
		{"emoji crossing 70", a(69) + "😀", Count{Segments: 2, Encoding: UCS2, Units: 71}},
		{"emoji not split at 67", a(66) + "😀" + a(66), Count{Segments: 3, Encoding: UCS2, Units: 134}},
		{"extension char in ucs2 counts one", "€ā", Count{Segments: 1, Encoding: UCS2, Units: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Segments(tt.text)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Segments(%q) mismatch (-want +got):\n%s", tt.text, diff)
			}
		})
	}
}

func TestNonGSM(t *testing.T) {
	tests := []struct {
		text string
		want []rune
	}{
		{"Chanjo ni kinga. Piga *384*123#", nil},
		{"{[~]} € ^|\\", nil},
		{"Don’t “wait”", []rune{'’', '“', '”'}},
		{"😀 ok 😀 ā", []rune{'😀', 'ā'}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got := NonGSM(tt.text)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("NonGSM(%q) mismatch (-want +got):\n%s", tt.text, diff)
			}
			if gotOK, wantOK := IsGSM7(tt.text), len(tt.want) == 0; gotOK != wantOK {
				t.Errorf("IsGSM7(%q) = %v, want %v", tt.text, gotOK, wantOK)
			}
		})
	}
}
