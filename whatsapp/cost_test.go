package whatsapp

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// A message settled inside her window is recorded as free-form and free; a
// nudge outside it as its template's category with WA_PRICE_* as its cost:
// what the dashboard's cost by channel reads.
func TestSettledRowsRecordTheirCost(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		r := newSendRig(t, db, "T")
		tmpl := testTemplates["nudge"]
		tmpl.Category = "marketing"
		r.disp.cfg.Templates = map[string]lessons.WhatsAppTemplate{"nudge": tmpl}
		r.disp.cfg.Prices = map[string]float64{"marketing": 1.25}
		amina := r.nurse("+254711000001", "en", true)
		r.nudge("n1", "+254711000001", amina)
		r.once()
		r.advance(Window + time.Hour)
		r.nudge("n2", "+254711000001", amina)
		r.once()
		d, err := db.Dashboard(context.Background(), store.Scope{Admin: true}, time.Now().Add(-30*24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		want := store.WhatsAppMonth{Free: 1, Templates: []store.WhatsAppCategory{{Category: "marketing", N: 1, Cost: 1.25}}}
		if !reflect.DeepEqual(d.WhatsApp, want) {
			t.Errorf("WhatsApp month = %+v, want %+v", d.WhatsApp, want)
		}
	})
}
