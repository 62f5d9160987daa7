package sms

import "testing"

func TestParseAnswer(t *testing.T) {
	tests := []struct {
		text   string
		id     int64
		answer string
		ok     bool
	}{
		{"A12 Six hours.", 12, "Six hours.", true},
		{"a12 six hours", 12, "six hours", true},
		{"  A7: keep it at 2-8C ", 7, "keep it at 2-8C", true},
		{"A7.Use the MOH 710", 7, "Use the MOH 710", true},
		{"A3 - yes\nand discard", 3, "yes\nand discard", true},
		{"A12", 12, "", true},
		{"A12   ", 12, "", true},
		{"A 12 six hours", 0, "", false},
		{"A12six", 0, "", false},
		{"A lot of babies missed BCG", 0, "", false},
		{"Q12 six hours", 0, "", false},
		{"How long is BCG good?", 0, "", false},
		{"A1234567890 too long a number", 0, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			id, answer, ok := parseAnswer(tt.text)
			if id != tt.id || answer != tt.answer || ok != tt.ok {
				t.Errorf("parseAnswer(%q) = %d, %q, %v, want %d, %q, %v", tt.text, id, answer, ok, tt.id, tt.answer, tt.ok)
			}
		})
	}
}
