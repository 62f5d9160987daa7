package ussd

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/lessons/screen"
)

// randomSession returns a session with every field set at random, including
// empty and non-ASCII strings, '*' in the text, negative numbers and
// bytes a length prefix could be confused with.
func randomSession(r *rand.Rand) Session {
	str := func() string {
		const alphabet = "ab*#01 \n\x00\x7f\xffé"
		var b strings.Builder
		for range r.IntN(40) {
			b.WriteByte(alphabet[r.IntN(len(alphabet))])
		}
		return b.String()
	}
	some := func() bool { return r.IntN(2) == 1 }
	num := func() int { return r.IntN(600) - 300 }
	frames := func() []Frame {
		var fs []Frame
		for range r.IntN(5) {
			fs = append(fs, Frame{State: State(str()), Key: str(), N: num(), ID: r.Int64() - r.Int64(), Page: num(), Notice: str(), NoticeAt: num()})
		}
		return fs
	}
	work := func() Work {
		var w Work
		if some() {
			w.Quiz = &Quiz{Attempt: r.Int64(), Seed: -r.Int64(), Form: lessons.Form(str()), Topic: str()}
			for range r.IntN(6) {
				w.Quiz.Questions = append(w.Quiz.Questions, str())
				w.Quiz.Chosen = append(w.Quiz.Chosen, r.IntN(6)-1)
			}
		}
		if some() {
			w.Calc = &Calc{Name: str(), Vaccine: str()}
			for range r.IntN(5) {
				w.Calc.Values = append(w.Calc.Values, r.NormFloat64()*1e6)
			}
		}
		if some() {
			w.Visit = &VisitDraft{Mentee: r.Int64(), Day: r.Int64() - r.Int64(), Notes: str()}
		}
		if some() {
			w.Question = &QuestionDraft{Text: str()}
		}
		if some() {
			w.Reg = &RegDraft{Name: str(), Facility: str(), Known: some(), Consent: r.Int64()}
		}
		w.Won = str()
		return w
	}
	s := Session{
		Text: str(), Frames: frames(), Work: work(), Reply: str(), Done: some(), GatewayID: str(),
		Nurse: Nurse{ID: r.Int64() - r.Int64(), Name: str(), Role: str(), Lang: str(), Status: str(),
			OptedOut: some(), Loaded: r.Int64()},
		Shape: Shape{Kind: screen.Kind(r.IntN(4)), Top: some(), More: some(), Items: frames(), Free: some()},
	}
	if some() {
		s.Learning = &Learning{Pack: r.Uint32(), NextVisit: r.Int64()}
		for range r.IntN(5) {
			s.Learning.Lessons = append(s.Learning.Lessons, LessonMark{Lesson: num(), Page: num(), Done: some()})
			s.Learning.Quizzes = append(s.Learning.Quizzes, QuizMark{Topic: num(), Attempts: num(),
				Best: lessons.Result{Right: num(), Total: num()}, All: lessons.Result{Right: num(), Total: num()}})
			s.Learning.Completed = append(s.Learning.Completed, num())
			s.Learning.Assessed = append(s.Learning.Assessed, FormMark{Form: num(), Score: lessons.Result{Right: num(), Total: num()}})
		}
	}
	if some() {
		s.Open = &OpenForms{}
		for range r.IntN(3) {
			s.Open.Forms = append(s.Open.Forms, lessons.Form(str()))
		}
	}
	if some() {
		s.Saved = &Saved{Frames: frames(), Work: work()}
	}
	return s
}

// TestSessionCodecRoundTrip checks that every session decodes to what was
// encoded (a nil and an empty list or map are the same to the menus).
func TestSessionCodecRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 2025))
	for i := range 2000 {
		s := randomSession(r)
		b := encodeSession(&s)
		got, err := decodeSession(string(b))
		if err != nil {
			t.Fatalf("decodeSession(encodeSession(#%d)) error %v, want none", i, err)
		}
		if d := cmp.Diff(s, *got, cmpopts.EquateEmpty()); d != "" {
			t.Fatalf("decodeSession(encodeSession(#%d)) differs (-want +got):\n%s", i, d)
		}
		if again := encodeSession(got); string(again) != string(b) {
			t.Fatalf("encodeSession(decoded #%d) = %q, want %q", i, again, b)
		}
	}
}

// TestSessionCodecBad checks that a value of another version, cut short
// or with bytes after its end is refused (the hop treats it as absent),
// never a panic.
func TestSessionCodecBad(t *testing.T) {
	s := benchSession()
	s.Reg = &RegDraft{Name: "Amina"}
	s.Saved = &Saved{Frames: []Frame{{State: StHome}, {State: StSettings}}}
	good := string(encodeSession(&s))
	bad := []struct{ name, v string }{
		{"empty", ""},
		{"another version", "\x03" + good[1:]},
		{"JSON of the first releases", `{"t":"","f":[{"s":"home"}],"n":{"i":3}}`},
		{"trailing bytes", good + "\x00"},
		{"huge length", "\x02\xff\xff\xff\xff\xff\xff\xff\xff\x7f"},
	}
	for i := 1; i < len(good); i++ {
		bad = append(bad, struct{ name, v string }{fmt.Sprintf("cut at %d", i), good[:i]})
	}
	for _, b := range bad {
		t.Run(b.name, func(t *testing.T) {
			if got, err := decodeSession(b.v); err == nil {
				t.Errorf("decodeSession(%q) = %+v, want an error", b.v, got)
			}
		})
	}
}

// FuzzDecodeSession checks that no value in Redis can make a hop panic, and
// that whatever decodes encodes back to a value that decodes the same.
func FuzzDecodeSession(f *testing.F) {
	s := benchSession()
	f.Add(string(encodeSession(&s)))
	f.Add("\x02")
	f.Fuzz(func(t *testing.T, v string) {
		got, err := decodeSession(v)
		if err != nil {
			return
		}
		back, err := decodeSession(string(encodeSession(got)))
		if err != nil || !cmp.Equal(back, got, cmpopts.EquateEmpty()) {
			t.Errorf("decodeSession(encodeSession(%+v)) = %+v, %v", got, back, err)
		}
	})
}
