package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

func TestRegisterKeepsUnknownFacilityFlagged(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := db.WorkerByPhone(ctx, "+254711000001"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("WorkerByPhone(unknown) error = %v, want ErrNotFound", err)
		}
		w, err := db.Register(ctx, store.Registration{Phone: "+254711000001", Name: "Jane", FacilityCode: "99999", Language: "sw"})
		if err != nil {
			t.Fatal(err)
		}
		if w.Status != store.StatusPending || w.Language != "sw" || w.FacilityCode != "99999" {
			t.Errorf("Register = %+v, want pending, sw, facility 99999", w)
		}
		if known, err := db.FacilityKnown(ctx, "99999"); err != nil || known {
			t.Errorf("FacilityKnown(typed code) = %v, %v, want false (flagged for the supervisor)", known, err)
		}
		again, err := db.Register(ctx, store.Registration{Phone: "+254711000001", Name: "Other", FacilityCode: "1", Language: "en", Active: true})
		if err != nil || again.ID != w.ID || again.Name != "Jane" {
			t.Errorf("second Register = %+v, %v, want the first record unchanged", again, err)
		}
	})
}

func TestSetOptOutAndLanguage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w, err := db.Register(ctx, store.Registration{Phone: "+254711000002", Name: "Amina", FacilityCode: "12345", Language: "en", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		if known, err := db.SetOptOut(ctx, w.Phone, true); err != nil || !known {
			t.Fatalf("SetOptOut = %v, %v", known, err)
		}
		if err := db.SetLanguage(ctx, w.ID, "sw"); err != nil {
			t.Fatal(err)
		}
		got, _ := db.WorkerByPhone(ctx, w.Phone)
		if !got.OptedOut || got.Language != "sw" || got.Status != store.StatusActive {
			t.Errorf("after opt-out and language = %+v", got)
		}
		if known, err := db.SetOptOut(ctx, "+254799999999", true); err != nil || known {
			t.Errorf("SetOptOut(unknown) = %v, %v, want false", known, err)
		}
	})
}
