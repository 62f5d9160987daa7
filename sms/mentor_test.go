package sms_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// A mentor's answers always arrive: without its code an SMS answers her
// oldest open question and she is told which; "Q ..." is her own question;
// with no open question her text is a question; another mentor's answer is
// refused.
func TestMentorAnswersWithoutCode(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		r := newRelayRig(t, db)
		seen := map[string]int{}
		steps := []struct {
			from, text string
			want       map[string][]string
		}{
			{jane, "Can I give BCG and OPV together?", map[string][]string{
				jane: {"Chanjo: thank you, we got your question. Your mentor will answer by SMS."},
				mary: {"Q1 from Jane Mutua (Kithimani): Can I give BCG and OPV together?, reply A1 <answer>"},
			}},
			{jane, "What is the dropout rate?", map[string][]string{
				jane: {"Chanjo: thank you, we got your question. Your mentor will answer by SMS."},
				mary: {"Q2 from Jane Mutua (Kithimani): What is the dropout rate?, reply A2 <answer>"},
			}},
			{mary, "Yes you can use it, same visit.", map[string][]string{
				jane: {"Chanjo: Mary answered your question Q1: Yes you can use it, same visit."},
				mary: {"Chanjo: thank you. Your SMS was sent to Jane Mutua as the answer to her question Q1: Can I give BCG and OPV together?. To ask your own question, send Q <question>."},
			}},
			{mary, "Q Where do I order more tally sheets?", map[string][]string{
				mary: {"Chanjo: thank you, we got your question. The mentors of your group will answer by SMS."},
				rose: {"Swali Q3 kutoka kwa Mary (Kithimani): Where do I order more tally sheets?. Jibu: A3 <jibu>"},
			}},
			{rose, "A2 Penta1 minus Penta3, over Penta1.", map[string][]string{
				rose: {"Chanjo: hakuna swali Q2 la wewe kujibu. Tumia namba iliyo kwenye SMS ya swali: A12 <jibu>."},
			}},
			{mary, "Penta1 minus Penta3, divided by Penta1.", map[string][]string{
				jane: {"Chanjo: Mary answered your question Q2: Penta1 minus Penta3, divided by Penta1."},
				mary: {"Chanjo: thank you. Your SMS was sent to Jane Mutua as the answer to her question Q2: What is the dropout rate?. To ask your own question, send Q <question>."},
			}},
			{mary, "Where is the cold box?", map[string][]string{
				mary: {"Chanjo: thank you, we got your question. The mentors of your group will answer by SMS."},
				rose: {"Swali Q4 kutoka kwa Mary (Kithimani): Where is the cold box?. Jibu: A4 <jibu>"},
			}},
		}
		for _, s := range steps {
			r.say(t, s.from, s.text)
			for _, p := range []string{mary, rose, jane} {
				if diff := cmp.Diff(s.want[p], r.sent(p, seen)); diff != "" {
					t.Errorf("after %q from %s, SMS to %s (-want +got):\n%s", s.text, s.from, p, diff)
				}
			}
		}
		me, err := db.WorkerByPhone(context.Background(), mary)
		if err != nil {
			t.Fatal(err)
		}
		var own []string
		for _, q := range storetest.Questions(t, db) {
			if q.WorkerID == me.ID {
				own = append(own, q.Body)
			}
		}
		if want := []string{"Where do I order more tally sheets?", "Where is the cold box?"}; !cmp.Equal(own, want) {
			t.Errorf("Mary's own questions = %q, want %q", own, want)
		}
	})
}

// The thanks for a question by SMS says where the answer will come: by SMS,
// or on WhatsApp when that is her channel in effect (the answer is queued
// on her channel), for her mentor's answer and her group's, in English and
// Kiswahili.
func TestQuestionThanksNameHerChannel(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		r := newRelayRig(t, db)
		seen := map[string]int{}
		for _, p := range []string{jane, rose} {
			w, err := db.WorkerByPhone(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			storetest.WhatsAppOptedIn(t, db, w.ID, db.Now())
		}
		for i, c := range []struct {
			from, channel, text, want string
		}{
			{jane, store.ChannelSMS, "Is BCG good after 6 hours?",
				"Chanjo: thank you, we got your question. Your mentor will answer by SMS."},
			{jane, store.ChannelWhatsApp, "Is OPV good after 6 hours?",
				"Chanjo: thank you, we got your question. Your mentor will answer on WhatsApp."},
			{rose, store.ChannelSMS, "Q Tally sheets ziko wapi?",
				"Chanjo: asante, swali lako limepokelewa. Washauri wa kikundi chako watakujibu kwa SMS."},
			{rose, store.ChannelWhatsApp, "Q Cold box iko wapi?",
				"Chanjo: asante, swali lako limepokelewa. Washauri wa kikundi chako watakujibu kwa WhatsApp."},
		} {
			w, err := db.WorkerByPhone(ctx, c.from)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.SetWorkerChannel(ctx, w.ID, c.channel); err != nil {
				t.Fatal(err)
			}
			r.say(t, c.from, c.text)
			if diff := cmp.Diff([]string{c.want}, r.sent(c.from, seen)); diff != "" {
				t.Errorf("%d: thanks to %q on %s (-want +got):\n%s", i, c.text, c.channel, diff)
			}
		}
	})
}
