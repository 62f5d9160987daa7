package admin

import (
	"strings"
	"testing"

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
