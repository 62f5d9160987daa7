package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// The dashboard's WhatsApp month splits the settled rows into free-form
// messages and templates by category with their estimated cost; a row not
// yet settled is not counted.
func TestWhatsAppMonthByForm(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for _, key := range []string{"a", "b", "c", "d"} {
			if _, err := db.QueueSMS(ctx, store.Outgoing{DedupeKey: key, Kind: store.KindReply, Phone: "+254711000001", Body: "x", Channel: store.ChannelWhatsApp}); err != nil {
				t.Fatal(err)
			}
		}
		l, err := db.Claim(ctx, store.ClaimOptions{Owner: "wa", Limit: 10, Lease: time.Minute, Channel: store.ChannelWhatsApp})
		if err != nil || len(l.Msgs) != 4 {
			t.Fatalf("Claim = %d rows, %v; want 4", len(l.Msgs), err)
		}
		costs := []store.WhatsAppCost{{Form: store.WAFree}, {Form: store.WATemplate, Category: "marketing", Cost: 1.5},
			{Form: store.WATemplate, Category: "marketing", Cost: 1.5}}
		for i, c := range costs {
			if err := db.SettleWhatsApp(ctx, "wa", l.Msgs[i].ID, c); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.SettleWhatsApp(ctx, "other", l.Msgs[3].ID, costs[1]); err != nil {
			t.Fatal(err)
		}
		d, err := db.Dashboard(ctx, store.Scope{Admin: true}, time.Now().Add(-time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		want := store.WhatsAppMonth{Free: 1, Templates: []store.WhatsAppCategory{{Category: "marketing", N: 2, Cost: 3}}}
		if !reflect.DeepEqual(d.WhatsApp, want) {
			t.Errorf("WhatsApp month = %+v, want %+v (a row another owner leases is not settled)", d.WhatsApp, want)
		}
	})
}
