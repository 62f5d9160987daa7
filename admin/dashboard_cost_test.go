package admin

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// TestDashboardCostByChannel: the dashboard's month of SMS counts the SMS
// alone, and its "Cost by channel" shows the SMS parts sent (two SMS of 2 and 3 parts: 5 parts, priced by
// SMS_SEGMENT_COST, since the gateway charges each part), the WhatsApp
// free-form messages as free and the templates by category, priced by
// WA_PRICE_* or "—" where no price is set; the CSV export has the same
// lines.
func TestDashboardCostByChannel(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		ctx := context.Background()
		h.con.WAPrices = map[string]float64{"marketing": 1.25}
		h.user("amina", store.RoleAdmin)
		nurse := h.worker("Achieng", "+254711000001", "Kibra", store.StatusActive)
		queue := func(key, channel string) {
			t.Helper()
			if _, err := db.QueueSMS(ctx, store.Outgoing{DedupeKey: key, Kind: store.KindNudge, Phone: "+254711000001",
				Body: "Lesson 2 is ready", WorkerID: nurse, Channel: channel}); err != nil {
				t.Fatal(err)
			}
		}
		claim := func(channel string, n int) []store.Claimed {
			t.Helper()
			l, err := db.Claim(ctx, store.ClaimOptions{Owner: channel, Limit: 10, Lease: time.Minute, Channel: channel})
			if err != nil || len(l.Msgs) != n {
				t.Fatalf("Claim(%s) = %d rows, %v; want %d", channel, len(l.Msgs), err, n)
			}
			return l.Msgs
		}
		queue("s1", store.ChannelSMS)
		queue("s2", store.ChannelSMS)
		var rs []store.Result
		for i, m := range claim(store.ChannelSMS, 2) {
			rs = append(rs, store.Result{ID: m.ID, Status: store.OutAccepted, GatewayID: fmt.Sprint("gw", i), Cost: 1.6, Currency: "KES",
				Segments: 2 + i})
		}
		if err := db.Finish(ctx, store.ChannelSMS, rs); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"w1", "w2", "w3", "w4"} {
			queue(k, store.ChannelWhatsApp)
		}
		rs = nil
		forms := []store.WhatsAppCost{{Form: store.WAFree}, {Form: store.WATemplate, Category: "marketing", Cost: 1.25},
			{Form: store.WATemplate, Category: "marketing", Cost: 1.25}, {Form: store.WATemplate, Category: "utility"}}
		for i, m := range claim(store.ChannelWhatsApp, 4) {
			if err := db.SettleWhatsApp(ctx, store.ChannelWhatsApp, m.ID, forms[i]); err != nil {
				t.Fatal(err)
			}
			rs = append(rs, store.Result{ID: m.ID, Status: store.OutAccepted, GatewayID: fmt.Sprint("wamid", i)})
		}
		if err := db.Finish(ctx, store.ChannelWhatsApp, rs); err != nil {
			t.Fatal(err)
		}

		b, _ := h.loggedIn("amina")
		page := b.get("/admin").Body.String()
		for _, want := range []string{
			`<tr><th>Sent</th><td class="num">2</td></tr>`, // the WhatsApp messages apart
			`<tr><th>SMS parts sent</th><td class="num">5</td></tr>`,
			`<tr><td>SMS</td><td>parts sent</td><td class="num">5</td><td class="num">KES 4.00</td></tr>`,
			`<tr><td>WhatsApp</td><td>free-form, inside her 24-hour window</td><td class="num">1</td><td class="num">KES 0.00</td></tr>`,
			`<tr><td>WhatsApp</td><td>marketing templates</td><td class="num">2</td><td class="num">KES 2.50</td></tr>`,
			`<tr><td>WhatsApp</td><td>utility templates</td><td class="num">1</td><td class="num">—</td></tr>`,
		} {
			if !strings.Contains(page, want) {
				t.Errorf("GET /admin lacks %q", want)
			}
		}
		csv := b.get("/admin/dashboard.csv").Body.String()
		for _, want := range []string{
			"sms_sent_this_month,,2\n",
			"sms_parts_this_month,,5\n", "sms_parts_estimated_cost_this_month,,4.00\n",
			"whatsapp_free_form_this_month,,1\n", "whatsapp_free_form_estimated_cost_this_month,,0.00\n",
			"whatsapp_templates_this_month,marketing,2\n", "whatsapp_templates_estimated_cost_this_month,marketing,2.50\n",
			"whatsapp_templates_this_month,utility,1\n", "whatsapp_templates_estimated_cost_this_month,utility,\n",
		} {
			if !strings.Contains(csv, want) {
				t.Errorf("GET /admin/dashboard.csv lacks %q:\n%s", want, csv)
			}
		}
	})
}
