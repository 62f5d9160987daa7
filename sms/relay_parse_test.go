package sms

import (
	"strings"
	"testing"

	"github.com/chanjo-health/chanjo/gsm"
	"github.com/chanjo-health/chanjo/store"
)

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

func TestQuestionNote(t *testing.T) {
	long := strings.Repeat("What should I do when the fridge is warm ", 12)
	tests := []struct {
		name string
		note store.Note
		want string // the whole SMS, or with a "..." suffix its start
	}{
		{"english", store.Note{QuestionID: 12, Asker: "Jane", Facility: "Kithimani Dispensary", Body: "Is BCG good after 6 h?", Lang: "en"},
			"Q12 from Jane (Kithimani): Is BCG good after 6 h?, reply A12 <answer>"},
		{"kiswahili escalated", store.Note{QuestionID: 3, Asker: "Ann Wambui", Facility: "Ndithini", Body: "Swali", Lang: "sw", Escalated: true},
			"Swali Q3 kutoka kwa Ann Wambui (Ndithini), halijajibiwa kwa siku moja: Swali. Jibu: A3 <jibu>"},
		{"no facility", store.Note{QuestionID: 4, Asker: "Eve", Body: "Hi", Lang: "en", Escalated: true},
			"Q4 from Eve, unanswered for a day: Hi, reply A4 <answer>"},
		{"long question cut at a word", store.Note{QuestionID: 5, Asker: "Jane", Facility: "Chanjo Demo Health Centre", Body: long, Lang: "en"},
			"Q5 from Jane (Chanjo Demo): What should I do when the fridge is warm What"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := QuestionNote(embeddedPack())(tt.note)
			if !strings.HasPrefix(got, tt.want) {
				t.Errorf("QuestionNote(%+v) = %q, want %q", tt.note, got, tt.want)
			}
			if n := gsm.Segments(got).Segments; n > maxSegments {
				t.Errorf("QuestionNote(%+v) takes %d segments, want at most %d", tt.note, n, maxSegments)
			}
		})
	}
	cut := QuestionNote(embeddedPack())(tests[3].note)
	body, ok := strings.CutSuffix(strings.TrimPrefix(cut, "Q5 from Jane (Chanjo Demo): "), "..., reply A5 <answer>")
	if !ok || !strings.HasPrefix(long, body+" ") {
		t.Errorf("QuestionNote(long) = %q, want the question cut after a word, with the reply form kept", cut)
	}
}
