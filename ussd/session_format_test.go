package ussd

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSessionsOfThePreviousFormat puts sessions that main encoded before the
// typed session (testdata/sessions/v1_*.bin, captured from the release
// before: mid-quiz, mid-lesson, registering, in a calculator) in Redis as
// the session and the last position of their phones, as an upgrade leaves
// them. They do not decode; the next hop of the same session replays the
// gateway's text from the first screen, and a redial starts at the main
// menu (registration for a new number) without offering to resume: no
// apology, and what is written is of the new format.
func TestSessionsOfThePreviousFormat(t *testing.T) {
	files, err := filepath.Glob("testdata/sessions/v1_*.bin")
	if err != nil || len(files) != 4 {
		t.Fatalf("want the 4 captured sessions, got %v %v", files, err)
	}
	walks := map[string]struct{ phone, text, next, replayed, start string }{
		"quiz":     {"+254700000011", "2*3*3", "1", "CON Question 2/5\n", "CON Chanjo - Hi Wanjiru\n1 Lessons"},
		"lesson":   {"+254700000012", "1*2*1*1", "1", "CON (3/6) Do not tally before the dose", "CON Chanjo - Hi"},
		"register": {"+254799000001", "1*1*Amina Otieno", "12345", "CON Facility not on our list", "CON Welcome to Chanjo"},
		"stock":    {"+254700000013", "3*1", "3", "CON Months of stock, Penta 1/2\n", "CON Chanjo - Hi"},
	}
	e := newTestEnv(t, false)
	ctx := context.Background()
	for _, f := range files {
		name := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), "v1_"), ".bin")
		t.Run(name, func(t *testing.T) {
			w, ok := walks[name]
			if !ok {
				t.Fatalf("no walk for %s", f)
			}
			v, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := decodeSession(string(v)); err == nil {
				t.Fatalf("decodeSession(%s) decoded: the format did not change", f)
			}
			k := keysOf(e.kv.Prefix, "cap-"+name, w.phone)
			for _, key := range []string{k.session, k.phone} {
				if err := e.kv.Set(ctx, key, v, LastTTL).Err(); err != nil {
					t.Fatal(err)
				}
			}
			_, replayed := e.post("cap-"+name, w.phone, w.text+"*"+w.next)
			if !strings.HasPrefix(replayed, w.replayed) {
				t.Errorf("next hop of the old session = %q, want the replay of its text, %q…", replayed, w.replayed)
			}
			for _, key := range []string{k.session, k.phone} {
				if err := e.kv.Set(ctx, key, v, LastTTL).Err(); err != nil {
					t.Fatal(err)
				}
			}
			_, dial := e.post("redial-"+name, w.phone, "")
			if !strings.HasPrefix(dial, w.start) {
				t.Errorf("redial over the old session = %q, want the start %q", dial, w.start)
			}
			now, err := e.kv.Get(ctx, k.phone).Result()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := decodeSession(now); err != nil {
				t.Errorf("the redial wrote a session that does not decode: %v", err)
			}
		})
	}
}
