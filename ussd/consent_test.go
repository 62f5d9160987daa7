package ussd

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
)

// TestRegistrationRecordsConsent registers through the consent screen and
// reads the consent back with the time she agreed; a number that says no
// leaves nothing behind.
func TestRegistrationRecordsConsent(t *testing.T) {
	e := newTestEnv(t, false)
	ctx := context.Background()
	e.post("no", "+254711000041", "")
	e.post("no", "+254711000041", "1")
	if _, body := e.post("no", "+254711000041", "1*2"); body[:3] != "END" {
		t.Fatalf("refusing consent = %q, want the end of the session", body)
	}
	if _, err := e.db.WorkerByPhone(ctx, "+254711000041"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("WorkerByPhone after refusing = %v, want ErrNotFound", err)
	}
	const p = "+254711000042"
	agreed := e.clock.Add(40 * time.Second) // the third hop, on the consent screen
	for _, text := range []string{"", "1", "1*1", "1*1*Jane Wambui", "1*1*Jane Wambui*12345", "1*1*Jane Wambui*12345*1"} {
		e.post("yes", p, text)
		e.clock = e.clock.Add(20 * time.Second)
	}
	e.post("yes", p, "1*1*Jane Wambui*12345*1*1")
	w, err := e.db.WorkerByPhone(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	via, at, err := e.db.Consent(ctx, w.ID)
	if err != nil || via != store.ConsentUSSD || !at.Equal(agreed.Truncate(time.Second)) {
		t.Errorf("Consent = %q %v, %v, want ussd at %v", via, at, err, agreed)
	}
}
