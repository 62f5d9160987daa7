package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/lessons/i18n"
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

// TestThirdLanguageSavesAndReadsBack registers a Kikamba nurse, moves her to
// another third language and back through every writer of the language
// (registration, her own choice, the console, the roster): the pack decides
// which codes exist, and the database keeps any of them. A code that is not
// shaped like one is refused with no change.
func TestThirdLanguageSavesAndReadsBack(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w, err := db.Register(ctx, store.Registration{Phone: "+254711000005", Name: "Mwende", FacilityCode: "13023", Language: "kam", Active: true})
		if err != nil || w.Language != "kam" {
			t.Fatalf("Register(kam) = %+v, %v, want language kam", w, err)
		}
		if err := db.SetLanguage(ctx, w.ID, "luo"); err != nil {
			t.Fatalf("SetLanguage(luo): %v", err)
		}
		if got, err := db.WorkerByPhone(ctx, w.Phone); err != nil || got.Language != "luo" {
			t.Errorf("after SetLanguage(luo) = %+v, %v, want luo", got, err)
		}
		kam := "kam"
		got, err := db.UpdateWorker(ctx, store.Scope{Admin: true}, 0, w.ID, store.WorkerChange{Language: &kam})
		if err != nil || got.Language != "kam" {
			t.Errorf("UpdateWorker(kam) = %+v, %v, want kam", got, err)
		}
		for _, bad := range []string{"KAM", "k", "kam-ke", "kikambaaa", ""} {
			if _, err := db.UpdateWorker(ctx, store.Scope{Admin: true}, 0, w.ID, store.WorkerChange{Language: &bad}); !errors.Is(err, store.ErrInvalid) {
				t.Errorf("UpdateWorker(language %q) error = %v, want ErrInvalid", bad, err)
			}
			if err := db.SetLanguage(ctx, w.ID, bad); err == nil {
				t.Errorf("SetLanguage(%q) accepted: the schema keeps only codes", bad)
			}
		}
		entries := []store.RosterEntry{
			{Line: 2, Name: "Ndinda", Phone: "+254711000006", Role: "nurse", Language: "kam", FacilityCode: "13023", FacilityName: "Kithimani Dispensary", SubCounty: "Yatta", County: "Machakos"},
			{Line: 3, Name: "Mutua", Phone: "+254711000007", Role: "nurse", Language: "Kam", FacilityCode: "13023", FacilityName: "Kithimani Dispensary", SubCounty: "Yatta", County: "Machakos"},
		}
		if _, problems, err := db.ApplyRoster(ctx, entries, nil); err != nil || len(problems) != 1 || problems[0].Line != 3 {
			t.Errorf("ApplyRoster(kam, Kam) problems = %+v, %v, want line 3 only", problems, err)
		}
		if got, err := db.WorkerByPhone(ctx, "+254711000006"); err != nil || got.Language != "kam" {
			t.Errorf("roster worker = %+v, %v, want kam", got, err)
		}
		if got, err := db.WorkerByPhone(ctx, w.Phone); err != nil || got.Language != "kam" {
			t.Errorf("after the refused codes = %+v, %v, want kam unchanged", got, err)
		}
	})
}

// The decision on a pending registration reaches the nurse in her own
// language, from the texts the caller gave; a change without notice texts,
// or of a worker who was not pending, sends nothing.
func TestRegistrationNoticeInHerLanguage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		notice := &store.RegistrationNotice{
			Approved: i18n.Text{"en": "approved", "sw": "imekubaliwa"},
			Rejected: i18n.Text{"en": "rejected", "sw": "haikukubaliwa"},
		}
		active, inactive := store.StatusActive, store.StatusInactive
		for _, c := range []struct {
			phone, lang string
			status      *string
			notice      *store.RegistrationNotice
			want        []string
		}{
			{"+254711000011", "sw", &active, notice, []string{"imekubaliwa"}},
			{"+254711000012", "sw", &inactive, notice, []string{"haikukubaliwa"}},
			{"+254711000013", "en", &active, notice, []string{"approved"}},
			{"+254711000014", "sw", &active, nil, nil},
		} {
			w, err := db.Register(ctx, store.Registration{Phone: c.phone, Name: "Nurse", FacilityCode: "13023", Language: c.lang})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.UpdateWorker(ctx, store.Scope{Admin: true}, 0, w.ID, store.WorkerChange{Status: c.status, Notice: c.notice}); err != nil {
				t.Fatal(err)
			}
			// Deciding again: she is no longer pending, so nothing more is sent.
			if _, err := db.UpdateWorker(ctx, store.Scope{Admin: true}, 0, w.ID, store.WorkerChange{Status: c.status, Notice: c.notice}); err != nil {
				t.Fatal(err)
			}
			if got := storetest.Queued(t, db, c.phone, store.KindNudge); !cmp.Equal(got, c.want) {
				t.Errorf("%s (%s): SMS queued %q, want %q", c.phone, c.lang, got, c.want)
			}
		}
	})
}
