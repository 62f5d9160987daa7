package mentoring

import (
	"strings"
	"testing"

	"github.com/chanjo-health/chanjo/gsm"
	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/store"
)

// note is what questionNote takes.
type note struct {
	id        int64
	asker     store.Asker
	lang      string
	escalated bool
}

func (n note) text() string {
	p, err := lessons.Default()
	if err != nil {
		panic(err)
	}
	return (&Service{pack: p}).questionNote(n.id, n.asker, n.lang, n.escalated)
}

func TestQuestionNote(t *testing.T) {
	long := strings.Repeat("What should I do when the fridge is warm ", 12)
	tests := []struct {
		name string
		note note
		want string // the whole SMS, or with a "..." suffix its start
	}{
		{"english", note{12, store.Asker{Name: "Jane", Facility: "Kithimani Dispensary", Body: "Is BCG good after 6 h?"}, "en", false},
			"Q12 from Jane (Kithimani): Is BCG good after 6 h?, reply A12 <answer>"},
		{"kiswahili escalated", note{3, store.Asker{Name: "Ann Wambui", Facility: "Ndithini", Body: "Swali"}, "sw", true},
			"Swali Q3 kutoka kwa Ann Wambui (Ndithini), halijajibiwa kwa siku moja: Swali. Jibu: A3 <jibu>"},
		{"no facility", note{4, store.Asker{Name: "Eve", Body: "Hi"}, "en", true},
			"Q4 from Eve, unanswered for a day: Hi, reply A4 <answer>"},
		{"long question cut at a word", note{5, store.Asker{Name: "Jane", Facility: "Chanjo Demo Health Centre", Body: long}, "en", false},
			"Q5 from Jane (Chanjo Demo): What should I do when the fridge is warm What"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.note.text()
			if !strings.HasPrefix(got, tt.want) {
				t.Errorf("questionNote(%+v) = %q, want %q", tt.note, got, tt.want)
			}
			if n := gsm.Segments(got).Segments; n > maxSegments {
				t.Errorf("questionNote(%+v) takes %d segments, want at most %d", tt.note, n, maxSegments)
			}
		})
	}
	cut := tests[3].note.text()
	body, ok := strings.CutSuffix(strings.TrimPrefix(cut, "Q5 from Jane (Chanjo Demo): "), "..., reply A5 <answer>")
	if !ok || !strings.HasPrefix(long, body+" ") {
		t.Errorf("questionNote(long) = %q, want the question cut after a word, with the reply form kept", cut)
	}
}
