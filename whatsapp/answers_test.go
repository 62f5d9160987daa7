package whatsapp

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/mentoring"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
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
