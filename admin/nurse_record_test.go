package admin

import (
	"strings"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// TestNursePageShowsHerRecord: a nurse's page shows her progress per topic,
// quiz and assessment scores, mentor, groups, visits, questions,
// calculations and SMS; the opt-out box stays read-only.
func TestNursePageShowsHerRecord(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		p := peopleFixture(h)
		ctx := t.Context()
		if err := db.SaveLessonPages(ctx, []store.PageMark{{WorkerID: p.myNurse, Lesson: "stk-consumed", Page: 3, Done: true}}); err != nil {
			t.Fatal(err)
		}
		for _, a := range []struct {
			form, topic  string
			score, total int
		}{{store.FormPractice, "stock", 4, 5}, {store.FormBaseline, "", 12, 32}} {
			att, err := db.StartAttempt(ctx, p.myNurse, a.form, a.topic, 1)
			if err == nil {
				err = db.FinishAttempt(ctx, att, a.score, a.total)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		if err := db.SaveCalculationFor(ctx, p.myNurse, "order_quantity", "penta", []byte(`{}`), []byte(`{}`), "below_order_point"); err != nil {
			t.Fatal(err)
		}
		h.ask(p.myNurse, "Is the fridge too cold?")
		if _, err := db.Enqueue(ctx, db, store.Outgoing{DedupeKey: "test:welcome", Kind: store.KindReply, Phone: "+254711000011",
			Body: "Chanjo: welcome to the programme.", WorkerID: p.myNurse}); err != nil {
			t.Fatal(err)
		}
		storetest.OptedOut(t, db, p.myNurse)

		b, _ := h.loggedIn("wanjiru")
		page := b.get("/admin/nurses/" + id(p.myNurse)).Body.String()
		for _, want := range []string{
			"1 of 6", "4/5 (80%)", "baseline 12/32 (37%)", // learning
			"Mary</a> (&#43;254711000010)", "Kibra cohort", // mentor with her number, groups
			"Achieng</td>", "scheduled", // the visit
			"Is the fridge too cold?", "order_quantity", "penta", "below_order_point",
			"Chanjo: welcome to the programme.", // her SMS
		} {
			if !strings.Contains(page, want) {
				t.Errorf("nurse page lacks %q:\n%s", want, page)
			}
		}
		if !strings.Contains(page, `type="checkbox" disabled checked`) {
			t.Errorf("the opt-out box is not read-only:\n%s", page)
		}
		if page := b.get("/admin/nurses/" + id(p.myMentor)).Body.String(); !strings.Contains(page, "Her mentees") ||
			!strings.Contains(page, `<a href="/admin/nurses/`+id(p.myNurse)+`">Achieng</a>`) || !strings.Contains(page, "43%") {
			t.Errorf("the mentor's page lacks Achieng among her mentees with her quiz average 43%% (16 of 37 over every quiz and assessment):\n%s", page)
		}
		if rec := b.get("/admin/nurses/" + id(p.theirNurse)); rec.Code != 404 {
			t.Errorf("another sub-county's nurse page = %d, want 404", rec.Code)
		}
	})
}

// TestNursePageShowsHerChannel: a nurse's page says which channel reaches
// her and why: WhatsApp chosen but waiting for her opt-in; once she wrote,
// when and how she opted in, her 24-hour window open until when; the last
// status of a message to her, a number WhatsApp cannot reach falling back
// to SMS; and her window closed a day later.
func TestNursePageShowsHerChannel(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		p := peopleFixture(h)
		ctx := t.Context()
		b, _ := h.loggedIn("wanjiru")
		page := func() string { return b.get("/admin/nurses/" + id(p.myNurse)).Body.String() }
		expect := func(when string, wants ...string) {
			t.Helper()
			got := page()
			for _, want := range wants {
				if !strings.Contains(got, want) {
					t.Errorf("%s: nurse page lacks %q:\n%s", when, want, got)
				}
			}
		}
		expect("on SMS", "<th>Channel</th><td>SMS</td>", "not opted in", "She never wrote on WhatsApp")

		if err := db.SetWorkerChannel(ctx, p.myNurse, store.ChannelWhatsApp); err != nil {
			t.Fatal(err)
		}
		expect("WhatsApp chosen before her opt-in", "SMS (she chose WhatsApp: it takes effect once she writes to the WhatsApp number)")

		if err := db.RecordWhatsAppWebhook(ctx, []byte(`{}`)); err != nil {
			t.Fatal(err)
		}
		hooks, err := db.PendingWhatsAppWebhooks(ctx, 1)
		if err != nil || len(hooks) != 1 {
			t.Fatalf("pending webhooks = %v, %v", hooks, err)
		}
		wrote := h.now.Add(-time.Hour)
		if _, err := db.ApplyWhatsAppWebhook(ctx, hooks[0].ID, []store.WhatsAppMessage{{WAMID: "wamid.in", Phone: "+254711000011",
			Kind: "text", Body: "Habari", SentAt: wrote}}, []store.WhatsAppStatus{{WAMID: "wamid.out", Status: "delivered", Rank: 2,
			Recipient: "254711000011", At: h.now.Add(-30 * time.Minute)}}, nil, nil); err != nil {
			t.Fatal(err)
		}
		expect("after she wrote", "<th>Channel</th><td>WhatsApp</td>", "opted in 10 Mar 2025 08:00 by writing to the number",
			"Last message to her: delivered 10 Mar 2025 08:30", "window is open until 11 Mar 2025 08:00")

		storetest.WhatsAppUnreachable(t, db, p.myNurse, h.now)
		h.now = h.now.Add(25 * time.Hour)
		b, _ = h.loggedIn("wanjiru") // a day later her session has ended
		expect("unreachable, a day later", "WhatsApp could not reach her number on 10 Mar 2025 09:00, so SMS until she writes there again",
			"window closed 11 Mar 2025 08:00: messages go as templates")
	})
}
