package whatsapp

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/chanjo-health/chanjo/gsm"
	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/mentoring"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
	"github.com/chanjo-health/chanjo/whatsapp/fakegraph"
)

// A nurse who chose WhatsApp gets her mentor's answer and the helpdesk's
// there (free-form inside her window, the answer template outside it),
// while a nurse on SMS keeps getting hers by SMS: the outbox row's channel
// is chosen when the answer is queued, by her channel in effect.
func TestAnswersReachHerOnWhatsApp(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		r := newSendRig(t, db, "T")
		if _, err := db.LoadDemo(ctx); err != nil {
			t.Fatal(err)
		}
		worker := func(p string) store.Worker {
			t.Helper()
			w, err := db.WorkerByPhone(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			return w
		}
		wanjiru, achieng, grace := worker("+254700000001"), worker("+254700000002"), worker("+254700000100")
		if err := db.SetWorkerChannel(ctx, wanjiru.ID, store.ChannelWhatsApp); err != nil {
			t.Fatal(err)
		}
		r.fake.Inbound("254700000001", "Habari") // her opt-in, and her window opens
		r.settle()
		staff, err := db.CreateUser(ctx, store.NewUser{Name: "helpdesk", Role: "admin", PasswordHash: "x"})
		if err != nil {
			t.Fatal(err)
		}
		p, err := lessons.Default()
		if err != nil {
			t.Fatal(err)
		}
		m := mentoring.New(db, p, mentoring.Config{})
		ask := func(w store.Worker, text string) int64 {
			t.Helper()
			a, err := m.AskQuestion(ctx, w.ID, text, "ussd")
			if err != nil {
				t.Fatal(err)
			}
			return a.ID
		}
		channel := func(q int64) string {
			t.Helper()
			return r.row(fmt.Sprintf("q:%d:answer", q)).Channel
		}

		q1, q2, q3 := ask(wanjiru, "Is BCG good after 6 hours?"), ask(wanjiru, "Where is the MOH 710?"), ask(achieng, "OPV and Penta together?")
		if _, err := m.AnswerQuestion(ctx, q1, grace.ID, "Yes, within 6 hours at 2-8C."); err != nil {
			t.Fatal(err)
		}
		if _, err := m.AnswerAsStaff(ctx, store.Scope{Admin: true}, staff.ID, q2, "In the store room file."); err != nil {
			t.Fatal(err)
		}
		if _, err := m.AnswerAsStaff(ctx, store.Scope{Admin: true}, staff.ID, q3, "Yes, the same day."); err != nil {
			t.Fatal(err)
		}
		for q, want := range map[int64]string{q1: store.ChannelWhatsApp, q2: store.ChannelWhatsApp, q3: store.ChannelSMS} {
			if got := channel(q); got != want {
				t.Errorf("answer to Q%d queued on %q, want %q", q, got, want)
			}
		}
		r.once()
		r.settle()
		sent := r.sentTo("+254700000001")
		if len(sent) != 2 || sent[0].Type != "text" || !strings.Contains(string(sent[0].Body), "within 6 hours") ||
			!strings.Contains(string(sent[1].Body), "store room") {
			t.Fatalf("inside her window the fake got %+v, want the two answers as free-form text", sent)
		}
		if got := r.sentTo("+254700000002"); len(got) != 0 {
			t.Errorf("the SMS nurse got %+v on WhatsApp, want nothing", got)
		}

		r.advance(Window + time.Hour)
		q4 := ask(wanjiru, "And after 8 hours?")
		if _, err := m.AnswerQuestion(ctx, q4, grace.ID, "Discard it."); err != nil {
			t.Fatal(err)
		}
		r.once()
		r.settle()
		sent = r.sentTo("+254700000001")
		if len(sent) != 3 || sent[2].Type != "template" || templateOf(t, sent[2]) != "chanjo_answer/en" {
			t.Fatalf("outside her window the fake got %+v, want the answer template", sent)
		}
	})
}

// A long answer reaches a nurse on WhatsApp whole, in one text message,
// and a nurse on SMS in at most three parts that say where to read the rest;
// a WhatsApp answer that Meta cannot deliver (131026) goes on by SMS cut
// the same way, never as the whole text in a dozen parts; outside her
// window the answer template carries the cut form.
func TestLongAnswerWholeOnWhatsAppCutBySMS(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		r := newSendRig(t, db, "T")
		if _, err := db.LoadDemo(ctx); err != nil {
			t.Fatal(err)
		}
		p, err := lessons.Default()
		if err != nil {
			t.Fatal(err)
		}
		staff, err := db.CreateUser(ctx, store.NewUser{Name: "helpdesk", Role: "admin", PasswordHash: "x"})
		if err != nil {
			t.Fatal(err)
		}
		wanjiru, err := db.WorkerByPhone(ctx, "+254700000001")
		if err != nil {
			t.Fatal(err)
		}
		achieng, err := db.WorkerByPhone(ctx, "+254700000002")
		if err != nil {
			t.Fatal(err)
		}
		grace, err := db.WorkerByPhone(ctx, "+254700000100")
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SetWorkerChannel(ctx, wanjiru.ID, store.ChannelWhatsApp); err != nil {
			t.Fatal(err)
		}
		r.fake.Inbound("254700000001", "Habari")
		r.settle()
		unreachable := r.nurse("+254700000026", "en", true) // the fake fails her messages with 131026

		m := mentoring.New(db, p, mentoring.Config{})
		long := strings.TrimSpace(strings.Repeat("Keep the diluted BCG at 2-8C, use it within 6 hours, and discard what is left. ", 11))
		answer := func(w int64, staffAnswers bool) int64 {
			t.Helper()
			a, err := m.AskQuestion(ctx, w, fmt.Sprintf("How long is BCG good after mixing? (%d characters)", len(long)), "ussd")
			if err != nil {
				t.Fatal(err)
			}
			if staffAnswers {
				_, err = m.AnswerAsStaff(ctx, store.Scope{Admin: true}, staff.ID, a.ID, long)
			} else {
				_, err = m.AnswerQuestion(ctx, a.ID, grace.ID, long)
			}
			if err != nil {
				t.Fatal(err)
			}
			return a.ID
		}
		qWA, qSMS, qGone := answer(wanjiru.ID, false), answer(achieng.ID, false), answer(unreachable, true)
		r.once()
		r.settle()

		sent := r.sentTo("+254700000001")
		if len(sent) != 1 || sent[0].Type != "text" {
			t.Fatalf("the WhatsApp nurse got %+v, want one text", sent)
		}
		if got := textOf(t, sent[0]); !strings.HasSuffix(got, long) || strings.Contains(got, "all of it") {
			t.Errorf("on WhatsApp Q%d's answer arrived as %q, want the whole answer without a pointer", qWA, got)
		}
		for _, q := range []int64{qSMS, qGone} {
			o := storetest.OutByKey(t, db, fmt.Sprintf("q:%d:answer", q))
			if o.Channel != store.ChannelSMS || o.Status != store.OutQueued {
				t.Errorf("Q%d's answer is %s on %s, want queued by SMS", q, o.Status, o.Channel)
			}
			if n := gsm.Segments(o.Body).Segments; n > 3 || !strings.Contains(o.Body, "(all of it: dial") {
				t.Errorf("by SMS Q%d's answer is %q (%d parts), want at most 3 parts with where to read it whole", q, o.Body, n)
			}
		}

		// Beyond a text message's 4,096 characters WhatsApp too gets the cut and the pointer.
		long = strings.Repeat(long+" ", 6)
		answer(wanjiru.ID, true)
		r.once()
		r.settle()
		sent = r.sentTo("+254700000001")
		if len(sent) != 2 {
			t.Fatalf("the WhatsApp nurse got %d messages, want 2", len(sent))
		}
		if got := textOf(t, sent[1]); utf8.RuneCountInString(got) > 4096 || !strings.HasSuffix(got, "... (all of it: dial , 5, 2)") {
			t.Errorf("on WhatsApp an answer of %d characters arrived as %d ending %q, want at most 4096 with the pointer",
				len(long), utf8.RuneCountInString(got), got[len(got)-40:])
		}

		// Outside her window the answer template carries the SMS form: a
		// template's text is bounded (132005 past 1,024 characters).
		r.advance(Window + time.Hour)
		long = strings.Repeat("Keep opened vials at 2-8C. ", 30)
		answer(wanjiru.ID, false)
		r.once()
		r.settle()
		sent = r.sentTo("+254700000001")
		if len(sent) != 3 || sent[2].Type != "template" {
			t.Fatalf("outside her window the fake got %+v, want the answer template", sent)
		}
		var tmpl struct {
			Template struct {
				Components []struct {
					Parameters []struct{ Text string } `json:"parameters"`
				} `json:"components"`
			} `json:"template"`
		}
		if err := json.Unmarshal(sent[2].Body, &tmpl); err != nil {
			t.Fatal(err)
		}
		if c := tmpl.Template.Components; len(c) != 1 || len(c[0].Parameters) != 1 ||
			gsm.Segments(c[0].Parameters[0].Text).Segments > 3 || !strings.Contains(c[0].Parameters[0].Text, "(all of it: dial") {
			t.Errorf("the answer template's parameters are %+v, want the answer cut with the pointer", c)
		}
	})
}

// textOf is the body of a text message the fake accepted.
func textOf(t *testing.T, m fakegraph.Message) string {
	t.Helper()
	var text struct {
		Text struct{ Body string } `json:"text"`
	}
	if err := json.Unmarshal(m.Body, &text); err != nil {
		t.Fatal(err)
	}
	return text.Text.Body
}
