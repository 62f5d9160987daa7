package ussd

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/mentoring"
	"github.com/chanjo-health/chanjo/peer"
	"github.com/chanjo-health/chanjo/store"
)

// testMentoring is the mentoring service of the shipped pack (visit
// reminders at its defaults) on db, in Nairobi.
func testMentoring(db *store.DB) Mentoring {
	pack, err := lessons.Default()
	if err != nil {
		panic(err)
	}
	return mentoring.New(db, pack, mentoring.Config{TZ: nairobi, USSDCode: "*384*123#"})
}

// answer stores a mentor's answer: "ID PHONE TEXT".
func (e *testEnv) answer(t *testing.T, args string) {
	t.Helper()
	parts := strings.SplitN(args, " ", 3)
	if len(parts) != 3 {
		t.Fatalf("@answer %q: want ID PHONE TEXT", args)
	}
	id, _ := strconv.ParseInt(parts[0], 10, 64)
	ctx := context.Background()
	m, err := e.db.WorkerByPhone(ctx, parts[1])
	if err != nil {
		t.Fatal(err)
	}
	err = e.db.Tx(ctx, func(tx *store.Tx) error {
		_, err := e.db.AnswerQuestion(ctx, tx, id, m.ID, parts[2])
		return err
	})
	if err != nil {
		t.Fatalf("@answer %s: %v", args, err)
	}
}

// closeQuestion has an admin close question ID in the helpdesk: "ID".
func (e *testEnv) closeQuestion(t *testing.T, args string) {
	t.Helper()
	id, _ := strconv.ParseInt(args, 10, 64)
	ctx := context.Background()
	u, err := e.db.CreateUser(ctx, store.NewUser{Name: fmt.Sprintf("admin-q%d", id), Role: store.RoleAdmin, PasswordHash: "x"})
	if err == nil {
		err = e.db.CloseQuestion(ctx, store.Scope{Admin: true}, u.ID, id)
	}
	if err != nil {
		t.Fatalf("@close %s: %v", args, err)
	}
}

// groupMentor enrols a mentor in the demo group: "PHONE NAME".
func (e *testEnv) groupMentor(t *testing.T, args string) {
	t.Helper()
	phone, name, _ := strings.Cut(args, " ")
	entry := store.RosterEntry{Line: 2, Name: name, Phone: phone, Role: store.RoleMentor, Language: "en",
		FacilityCode: store.DemoFacilityCode, FacilityName: "Chanjo Demo Health Centre", SubCounty: "Demo Sub-County",
		County: "Demo County", Groups: []string{"Demo cohort"}}
	if _, problems, err := e.db.ApplyRoster(context.Background(), []store.RosterEntry{entry}, nil); err != nil || len(problems) > 0 {
		t.Fatalf("@mentor %s: %v, %v", args, problems, err)
	}
}

// groupPost posts a message to the demo group from a member: "PHONE TEXT",
// as her "G TEXT" by SMS would. The demo group is above store.RelayLimit:
// its supervisor has turned relaying on.
func (e *testEnv) groupPost(t *testing.T, args string) {
	t.Helper()
	ctx := context.Background()
	phone, text, _ := strings.Cut(args, " ")
	w, err := e.db.WorkerByPhone(ctx, phone)
	if err != nil {
		t.Fatal(err)
	}
	gs, err := e.db.MemberGroups(ctx, e.db, w.ID)
	if err != nil || len(gs) != 1 {
		t.Fatalf("@post %s: groups %v, %v; want the demo group", args, gs, err)
	}
	if err := e.db.SetGroupRelay(ctx, store.Scope{Admin: true}, 0, gs[0].ID, store.RelayOn); err != nil {
		t.Fatal(err)
	}
	err = e.db.Tx(ctx, func(tx *store.Tx) error {
		_, err := peer.Handle(ctx, e.db, tx, peer.Received{Command: peer.Command{Kind: peer.Post, Text: text}, From: w,
			Source: store.ChannelSMS, Key: "golden:" + phone + ":" + text})
		return err
	})
	if err != nil {
		t.Fatalf("@post %s: %v", args, err)
	}
}

// scores records finished quizzes: "PHONE FORM:SCORE/TOTAL…".
func (e *testEnv) scores(t *testing.T, args string) {
	t.Helper()
	ctx := context.Background()
	f := strings.Fields(args)
	w, err := e.db.WorkerByPhone(ctx, f[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range f[1:] {
		var form string
		var score, total int
		if _, err := fmt.Sscanf(strings.Replace(s, ":", " ", 1), "%s %d/%d", &form, &score, &total); err != nil {
			t.Fatalf("@scores %q: %v", s, err)
		}
		id, err := e.db.StartAttempt(ctx, w.ID, form, "", 1)
		if err == nil {
			err = e.db.FinishAttempt(ctx, id, score, total)
		}
		if err != nil {
			t.Fatalf("@scores %q: %v", s, err)
		}
	}
}

func TestParseDay(t *testing.T) {
	today := time.Date(2025, 3, 4, 12, 30, 0, 0, nairobi)
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, nairobi) }
	tests := []struct {
		in      string
		want    time.Time
		wantErr error
	}{
		{"1803", day(2025, 3, 18), nil},
		{"0403", day(2025, 3, 4), nil},
		{"18/03/2025", day(2025, 3, 18), nil},
		{"8/4/2025", day(2025, 4, 8), nil},
		{"18.03.2026", day(2026, 3, 18), nil},
		{"0303", time.Time{}, errPastDate},
		{"01/03/2025", time.Time{}, errPastDate},
		{"0501", time.Time{}, errPastDate}, // 58 days back: this year's, past
		{"0101", day(2026, 1, 1), nil},     // 62 days back: next year's
		{"3002", time.Time{}, errBadDate},
		{"1313", time.Time{}, errBadDate},
		{"0000", time.Time{}, errBadDate},
		{"18 03", time.Time{}, errBadDate},
		{"tomorrow", time.Time{}, errBadDate},
		{"", time.Time{}, errBadDate},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseDay(tt.in, today, nairobi)
			if !errors.Is(err, tt.wantErr) || !got.Equal(tt.want) {
				t.Errorf("parseDay(%q) = %v, %v, want %v, %v", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestInSession(t *testing.T) {
	const nurse = "+254700000001"
	e := newTestEnv(t, false)
	ctx := context.Background()
	pk := keysOf(e.kv.Prefix, "", nurse).phone
	steps := []struct {
		name string
		do   func()
		want bool
	}{
		{"before any hop", func() {}, false},
		{"on the main menu", func() { e.post("ATUid_presence", nurse, "") }, true},
		{"typing a question", func() { e.post("ATUid_presence", nurse, "5"); e.post("ATUid_presence", nurse, "5*1") }, true},
		// Redis's clock: the last hop as if SessionTTL and a second ago.
		{"after the session time", func() { e.kv.PExpire(ctx, pk, LastTTL-SessionTTL-time.Second) }, false},
		{"dialled again", func() { e.post("ATUid_presence2", nurse, "") }, true},
		{"after the END screen", func() {
			for _, text := range []string{"2", "2*5", "2*5*1", "2*5*1*Is BCG good after 6 hours?", "2*5*1*Is BCG good after 6 hours?*1"} {
				e.post("ATUid_presence2", nurse, text)
			}
		}, false},
	}
	for _, s := range steps {
		s.do()
		got, err := NewPresence(e.kv).InSession(ctx, nurse)
		if err != nil || got != s.want {
			t.Errorf("InSession(%s) = %v, %v, want %v", s.name, got, err, s.want)
		}
	}
}

// TestParseClock: a visit's time is typed as HHMM, or with a colon or a
// dot; anything else, or an hour or minute that does not exist, is asked
// again.
func TestParseClock(t *testing.T) {
	for in, want := range map[string]int{"0930": 570, "1400": 840, "9:30": 570, "14.05": 845, "0000": 0, "2359": 1439} {
		if got, ok := parseClock(in); !ok || got != want {
			t.Errorf("parseClock(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "9", "930a", "2400", "1260", "12:3", "1 400", "093000"} {
		if got, ok := parseClock(in); ok {
			t.Errorf("parseClock(%q) = %d, want refused", in, got)
		}
	}
}
