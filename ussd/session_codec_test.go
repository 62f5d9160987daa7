package ussd

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

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
	frames := func() []Frame {
		var fs []Frame
		for range r.IntN(5) {
			fs = append(fs, Frame{State: State(str()), Arg: str(), Page: r.IntN(300) - 2})
		}
		return fs
	}
	vars := func() map[string]string {
		var m map[string]string
		for range r.IntN(4) {
			if m == nil {
				m = map[string]string{}
			}
			m[str()] = str()
		}
		return m
	}
	s := Session{
		Text: str(), Frames: frames(), Vars: vars(), Reply: str(), Done: r.IntN(2) == 1,
		Nurse: Nurse{ID: r.Int64() - r.Int64(), Name: str(), Role: str(), Lang: str(), Status: str(),
			OptedOut: r.IntN(2) == 1, Loaded: r.Int64()},
		Shape: Shape{Kind: screen.Kind(r.IntN(4)), Top: r.IntN(2) == 1, More: r.IntN(2) == 1, Items: frames()},
	}
	if r.IntN(2) == 1 {
		s.Saved = &Saved{Frames: frames(), Vars: vars()}
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

// TestSessionCodecOldAndBad checks what a release finds in Redis after an
// upgrade: the JSON of the first releases still decodes, and a value of an
// unknown version, cut short or with bytes after its end is refused (the hop
// treats it as absent), never a panic.
func TestSessionCodecOldAndBad(t *testing.T) {
	s := benchSession()
	s.Vars = map[string]string{"reg.name": "Amina"}
	s.Saved = &Saved{Frames: []Frame{{State: StHome}, {State: StSettings}}}
	old, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeSession(string(old))
	if err != nil || !cmp.Equal(*got, s) {
		t.Errorf("decodeSession(JSON of a first release) = %+v, %v, want %+v", got, err, s)
	}
	good := string(encodeSession(&s))
	bad := []struct{ name, v string }{
		{"empty", ""},
		{"unknown version", "\x02" + good[1:]},
		{"broken JSON", string(old[:len(old)-1])},
		{"trailing bytes", good + "\x00"},
		{"huge length", "\x01\xff\xff\xff\xff\xff\xff\xff\xff\x7f"},
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
	f.Add("\x01")
	f.Fuzz(func(t *testing.T, v string) {
		got, err := decodeSession(v)
		if err != nil || (len(v) > 0 && v[0] == '{') {
			return
		}
		back, err := decodeSession(string(encodeSession(got)))
		if err != nil || !cmp.Equal(back, got, cmpopts.EquateEmpty()) {
			t.Errorf("decodeSession(encodeSession(%+v)) = %+v, %v", got, back, err)
		}
	})
}
