package main

import (
	"context"
	"strings"
	"testing"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// TestNoGatewaySaysSoAndSendsNothing: without gateway credentials start-up
// says loudly that SMS are not sent, messages end not_sent_no_gateway, and
// a body reaches the terminal only with serve --demo.
func TestNoGatewaySaysSoAndSendsNothing(t *testing.T) {
	for _, demo := range []bool{false, true} {
		a, out := testApp(t, nil)
		a.printSMS = demo
		out.Reset()
		d := a.dispatcher(out)
		if n := strings.Count(out.String(), "SMS ARE NOT BEING SENT"); n != 1 {
			t.Errorf("demo %v: start-up said %q, want the warning once", demo, out.String())
		}
		ctx := context.Background()
		if _, err := a.db.QueueSMS(ctx, store.Outgoing{DedupeKey: "n", Kind: store.KindReply, Phone: "+254711000001", Body: "lesson 3 is ready"}); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Once(ctx); err != nil {
			t.Fatal(err)
		}
		if status := storetest.OutByKey(t, a.db, "n").Status; status != store.OutNotSent {
			t.Errorf("demo %v: status = %q, want %s", demo, status, store.OutNotSent)
		}
		if printed := strings.Contains(out.String(), "lesson 3 is ready"); printed != demo {
			t.Errorf("demo %v: body printed = %v, want %v", demo, printed, demo)
		}
	}
}
