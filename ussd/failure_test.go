package ussd

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/chanjo-health/chanjo/kv"
)

// TestFailureApologisesAndKeepsTheLastGoodState: a database error mid-session
// answers END with an apology in the nurse's language, logs once with the
// number masked, and a redial resumes on the last good screen.
func TestFailureApologisesAndKeepsTheLastGoodState(t *testing.T) {
	e := newTestEnv(t, false)
	var logs bytes.Buffer
	e.svc.log = slog.New(slog.NewTextHandler(&logs, nil))
	const p = "+254700000009"
	e.post("F", p, "")
	e.post("F", p, "6")
	e.post("F", p, "6*1")
	e.post("F", p, "6*1*2") // Kiswahili
	e.post("F", p, "6*1*2*1")
	e.st.fail = errors.New("database is locked")
	code, got := e.post("F", p, "6*1*2*1*1")
	e.st.fail = nil
	want := "END " + e.svc.apology("sw")
	if code != 200 || got != want {
		t.Errorf("hop with the database down = %d %q, want 200 %q", code, got, want)
	}
	if n := strings.Count(logs.String(), "level=ERROR"); n != 1 || strings.Contains(logs.String(), p) || !strings.Contains(logs.String(), "+2547******09") {
		t.Errorf("log = %q, want one error with the number masked", logs.String())
	}
	_, offer := e.post("G", p, "")
	_, back := e.post("G", p, "1")
	if !strings.HasPrefix(offer, "CON Karibu tena") || !strings.HasPrefix(back, "CON Chagua lugha yako") {
		t.Errorf("redial after the failure = %q then %q, want the offer, then the language screen", offer, back)
	}
}

func TestPanicAnswersAnApology(t *testing.T) {
	e := newTestEnv(t, false)
	const p = "+254700000010"
	e.post("P", p, "")
	e.st.panic = true
	code, got := e.post("P", p, "4")
	e.st.panic = false
	if code != 200 || got != "END "+e.svc.apology("en") {
		t.Errorf("hop that panics = %d %q, want 200 and the apology", code, got)
	}
	if _, got := e.post("Q", p, ""); !strings.HasPrefix(got, "CON Chanjo - Hi") {
		t.Errorf("redial after a panic = %q, want the main menu", got)
	}
}

func TestRedisDownAnswersAnApology(t *testing.T) {
	e := newTestEnv(t, false)
	down := &kv.Client{UniversalClient: redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1}), Prefix: "x:"}
	t.Cleanup(func() { down.Close() })
	svc := mustNew(t, Config{Store: e.st, KV: down})
	got := svc.Hop(context.Background(), Request{SessionID: "D", Phone: "+254700000011", Text: ""})
	if got != "END "+svc.apology("") {
		t.Errorf("Hop with Redis down = %q, want the apology in both languages", got)
	}
}

// TestLessonPageNotSavedSaysSo: when a page mark can be neither held nor
// written, the page is still shown, under a line saying progress is not
// saved, rather than pretending.
func TestLessonPageNotSavedSaysSo(t *testing.T) {
	e := newTestEnv(t, false)
	down := &pageLog{fail: true}
	pages := runProgress(t, down)
	pages.cap = 0 // every mark is past the cap: the hop writes it itself
	svc := mustNew(t, Config{Store: e.st, KV: e.kv, Now: func() time.Time { return e.clock }, Progress: pages, Mentoring: testMentoring(e.db)})
	const p = "+254700000012"
	var got string
	for _, text := range []string{"", "1", "1*2", "1*2*1"} {
		got = svc.Hop(context.Background(), Request{SessionID: "N", Phone: p, Text: text})
	}
	if !strings.HasPrefix(got, "CON (Progress not saved.)\n") {
		t.Errorf("lesson page with its mark not saved = %q, want it under (Progress not saved.)", got)
	}
}
