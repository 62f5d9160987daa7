package ussd

import (
	"strings"
	"testing"

	"github.com/chanjo-health/chanjo/lessons/screen/screentest"
)

// FuzzUSSD posts any form values (with a session and a number) to /ussd:
// the answer is always 200, CON or END, within the screen limit and set.
func FuzzUSSD(f *testing.F) {
	seeds := [][3]string{
		{"ATUid_1", "+254700000001", ""},
		{"ATUid_1", "+254700000001", "6*1*2"},
		{"ATUid_2", "0711000001", "1*1*Mary*Ann*12345*1"},
		{"ATUid_3", "254711000002", "2*Halima*99001*1*4"},
		{"ATUid_4", "+254700000100", "7*0*00*98*6*3*98*98"},
		{"ATUid_5", "+254700000002", "**\n*\u00e9*[]{}"},
		{"x", "garbage", "1"},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1], s[2])
	}
	e := newTestEnv(f, false)
	f.Fuzz(func(t *testing.T, sid, phone, text string) {
		if sid == "" || phone == "" {
			return
		}
		code, body := e.post(sid, phone, text)
		if code != 200 {
			t.Fatalf("status %d for %q %q %q", code, sid, phone, text)
		}
		rest, ok := strings.CutPrefix(body, "CON ")
		if !ok {
			rest, ok = strings.CutPrefix(body, "END ")
		}
		if !ok {
			t.Fatalf("answer %q starts with neither CON nor END", body)
		}
		if err := screentest.Check(rest); err != nil {
			t.Fatalf("answer %q: %v", body, err)
		}
	})
}
