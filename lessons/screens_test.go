package lessons_test

import (
	"strings"
	"testing"

	"github.com/chanjo-health/chanjo/lessons"
)

var sampleLesson = lessons.Lesson{
	ID:       "stk-x",
	Pages:    []lessons.Text{{"en": "One.", "sw": "Moja."}, {"en": "Two.", "sw": "Mbili."}, {"en": "Three.", "sw": "Tatu."}},
	KeyPoint: lessons.Text{"en": "Count first.", "sw": "Hesabu kwanza."},
}

// shipped returns the shipped pack, whose catalogue has the screens' words.
func shipped(t *testing.T) *lessons.Pack {
	t.Helper()
	p, err := lessons.Default()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPageScreen(t *testing.T) {
	cases := []struct {
		page int
		lang string
		want string
	}{
		{0, "en", "(1/4) One."},
		{1, "sw", "(2/4) Mbili."},
		{3, "en", "(4/4) Key point: Count first."},
		{3, "sw", "(4/4) Jambo kuu: Hesabu kwanza."},
		{9, "en", "(4/4) Key point: Count first."}, // saved progress past a shortened lesson
		{-1, "en", "(1/4) One."},
		{0, "fr", "(1/4) One."},
	}
	for _, c := range cases {
		if got := shipped(t).PageScreen(sampleLesson, c.page, c.lang); got != c.want {
			t.Errorf("PageScreen(lesson, %d, %q) = %q, want %q", c.page, c.lang, got, c.want)
		}
	}
}

var sampleQuestion = lessons.Question{
	ID:     "stk-q1",
	Prompt: lessons.Text{"en": "AMC 100, 150 on hand. Months of stock?", "sw": "AMC 100, 150 zipo. Miezi ya akiba?"},
	Options: []lessons.Option{
		{Text: lessons.Text{"en": "1.5", "sw": "1.5"}, Correct: true, Explain: lessons.Text{"en": "150 / 100 = 1.5.", "sw": "Sahihi: 150 / 100 = 1.5."}},
		{Text: lessons.Text{"en": "0.7", "sw": "0.7"}, Explain: lessons.Text{"en": "No. Divide stock by AMC.", "sw": "Gawanya akiba kwa AMC."}},
		{Text: lessons.Text{"en": "250", "sw": "250"}, Explain: lessons.Text{"en": "Noting is added here.", "sw": "Hapana, usijumlishe."}},
		{Text: lessons.Text{"en": "0", "sw": "0"}, Explain: lessons.Text{"en": "No stock is added here.", "sw": "Hakuna."}},
	},
}

func TestQuestionScreen(t *testing.T) {
	cases := []struct {
		order    []int
		n, total int
		lang     string
		want     string
	}{
		{[]int{0, 1, 2}, 1, 12, "en", "Question 1/12\nAMC 100, 150 on hand. Months of stock?\n1 1.5\n2 0.7\n3 250"},
		{[]int{2, 0, 1}, 12, 12, "sw", "Swali 12/12\nAMC 100, 150 zipo. Miezi ya akiba?\n1 250\n2 1.5\n3 0.7"},
	}
	for _, c := range cases {
		if got := shipped(t).QuestionScreen(sampleQuestion, c.order, c.n, c.total, c.lang); got != c.want {
			t.Errorf("QuestionScreen(q, %v, %d, %d, %q) = %q, want %q", c.order, c.n, c.total, c.lang, got, c.want)
		}
	}
}

func TestExplainScreen(t *testing.T) {
	cases := []struct {
		chosen int
		lang   string
		want   string
	}{
		{0, "en", "Correct! 150 / 100 = 1.5."},
		{0, "sw", "Sahihi: 150 / 100 = 1.5."}, // already says it is right
		// a wrong choice names the right option, once, whatever verdict the explanation begins with
		{1, "en", "Not correct. Answer: 1.5. Divide stock by AMC."},
		{1, "sw", "Si sahihi. Jibu: 1.5. Gawanya akiba kwa AMC."},
		{2, "en", "Not correct. Answer: 1.5. Noting is added here."}, // "Noting" is not "No"
		{2, "sw", "Si sahihi. Jibu: 1.5. Usijumlishe."},
		{3, "en", "Not correct. Answer: 1.5. No stock is added here."}, // "No" begins the sentence: kept
	}
	for _, c := range cases {
		if got := shipped(t).ExplainScreen(sampleQuestion, c.chosen, c.lang); got != c.want {
			t.Errorf("ExplainScreen(q, %d, %q) = %q, want %q", c.chosen, c.lang, got, c.want)
		}
	}
}

// TestShippedExplanationsNameTheAnswer checks every wrong option of the
// shipped pack: its screen names the right option's text, in both languages.
func TestShippedExplanationsNameTheAnswer(t *testing.T) {
	p, err := lessons.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range p.Questions {
		right := q.Options[q.Answer()]
		for i, o := range q.Options {
			if o.Correct {
				continue
			}
			for _, lang := range []string{"en", "sw"} {
				if got := shipped(t).ExplainScreen(q, i, lang); !strings.Contains(got, right.Text.In(lang)) {
					t.Errorf("ExplainScreen(%s, %d, %q) = %q, does not name the answer %q", q.ID, i, lang, got, right.Text.In(lang))
				}
			}
		}
	}
}

func TestTextIn(t *testing.T) {
	text := lessons.Text{"en": "Vaccine", "sw": "Chanjo"}
	for lang, want := range map[string]string{"en": "Vaccine", "sw": "Chanjo", "": "Vaccine", "fr": "Vaccine"} {
		if got := text.In(lang); got != want {
			t.Errorf("Text.In(%q) = %q, want %q", lang, got, want)
		}
	}
}
