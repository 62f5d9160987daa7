package store_test

import (
	"context"
	"testing"

	"github.com/chanjo-health/chanjo/lessons/i18n"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

func TestRosterEnrolmentQueuesPrivacyNoticeOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := db.Register(ctx, store.Registration{Phone: "+254711000003", Name: "Registered Earlier", FacilityCode: "12345", Language: "en"}); err != nil {
			t.Fatal(err)
		}
		enrol := []store.RosterEntry{
			{Line: 2, Name: "Achieng Odhiambo", Phone: "+254711000001", Role: "nurse", Language: "sw", FacilityCode: "12345", FacilityName: "Kisumu HC", SubCounty: "Kisumu East", County: "Kisumu"},
			{Line: 3, Name: "Mary Wambui", Phone: "+254711000002", Role: "nurse", Language: "en", FacilityCode: "12345", FacilityName: "Kisumu HC", SubCounty: "Kisumu East", County: "Kisumu"},
			// Registered over USSD, where she gave consent: the roster only approves her.
			{Line: 4, Name: "Registered Earlier", Phone: "+254711000003", Role: "nurse", Language: "en", FacilityCode: "12345", FacilityName: "Kisumu HC", SubCounty: "Kisumu East", County: "Kisumu"},
		}
		text := i18n.Text{"en": "notice in en", "sw": "notice in sw"}
		for i, want := range []int{2, 0} {
			if _, _, err := db.ApplyRoster(ctx, enrol, nil); err != nil {
				t.Fatal(err)
			}
			n, err := db.QueuePrivacyNotices(ctx, text)
			if err != nil || n != want {
				t.Errorf("import %d: QueuePrivacyNotices = %d, %v; want %d", i+1, n, err, want)
			}
		}
		var got []struct {
			Phone string `db:"phone"`
			Body  string `db:"body"`
			Kind  string `db:"kind"`
		}
		if err := db.SelectContext(ctx, &got, `SELECT phone, body, kind FROM outbox ORDER BY phone`); err != nil {
			t.Fatal(err)
		}
		want := []string{"+254711000001 notice in sw nudge", "+254711000002 notice in en nudge"}
		if len(got) != len(want) {
			t.Fatalf("outbox = %+v, want %q", got, want)
		}
		for i, m := range got {
			if s := m.Phone + " " + m.Body + " " + m.Kind; s != want[i] {
				t.Errorf("outbox[%d] = %q, want %q", i, s, want[i])
			}
		}
		var recorded int
		if err := db.GetContext(ctx, &recorded, `SELECT COUNT(*) FROM privacy_notices WHERE notice_at IS NOT NULL`); err != nil || recorded != 2 {
			t.Errorf("privacy notices recorded with their time = %d, %v; want 2", recorded, err)
		}
	})
}
