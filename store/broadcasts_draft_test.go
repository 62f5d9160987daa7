package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

func TestAudienceNamed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		audienceFixture(t, db)
		tests := []struct {
			name    string
			scope   store.Scope
			want    store.Audience
			wantErr error
		}{
			{"kibra", kibra, store.Audience{SubCounties: []string{"Kibra"}}, nil},
			{"cohort a", kibra, store.Audience{Groups: []string{"Cohort A"}}, nil},
			{"Embakasi", kibra, store.Audience{}, store.ErrOutsideScope},
			{"Embakasi", admin, store.Audience{SubCounties: []string{"Embakasi"}}, nil},
			{"Nowhere", kibra, store.Audience{}, store.ErrNotFound},
		}
		for _, tt := range tests {
			got, err := db.AudienceNamed(context.Background(), tt.scope, tt.name)
			if !errors.Is(err, tt.wantErr) || !cmp.Equal(got, tt.want) {
				t.Errorf("AudienceNamed(%q) = %+v, %v; want %+v, %v", tt.name, got, err, tt.want, tt.wantErr)
			}
		}
	})
}

func TestDraftAndConfirm(t *testing.T) {
	tests := []struct {
		name    string
		wait    time.Duration
		draft   bool
		wantErr error
	}{
		{"YES within 10 minutes", 9 * time.Minute, true, nil},
		{"YES after 10 minutes", 10 * time.Minute, true, store.ErrDraftExpired},
		{"YES without BC", 0, false, store.ErrNoDraft},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				ctx, now := context.Background(), time.Date(2025, 3, 10, 6, 0, 0, 0, time.UTC)
				clock(db, now)
				audienceFixture(t, db)
				u, err := db.CreateUser(ctx, store.NewUser{Name: "wanjiru", Role: store.RoleSupervisor, PasswordHash: "x", SubCounties: []string{"Kibra"}})
				if err != nil {
					t.Fatal(err)
				}
				if tt.draft {
					err := db.Tx(ctx, func(tx *store.Tx) error {
						p, err := db.DraftBroadcast(ctx, tx, kibra, u.ID, store.Audience{SubCounties: []string{"Kibra"}}, "Meeting at 2pm.", false)
						if p.Recipients != 2 {
							t.Errorf("DraftBroadcast recipients = %d, want 2", p.Recipients)
						}
						return err
					})
					if err != nil {
						t.Fatalf("DraftBroadcast: %v", err)
					}
				}
				clock(db, now.Add(tt.wait))
				var b store.Broadcast
				var cerr error
				err = db.Tx(ctx, func(tx *store.Tx) error {
					b, cerr = db.ConfirmDraft(ctx, tx, kibra, u.ID)
					return nil // the caller answers the error and keeps the draft used up
				})
				if err != nil || !errors.Is(cerr, tt.wantErr) {
					t.Fatalf("ConfirmDraft = %v (commit %v), want %v", cerr, err, tt.wantErr)
				}
				var broadcasts, outbox, drafts int
				db.Get(&broadcasts, `SELECT COUNT(*) FROM broadcasts`)
				db.Get(&outbox, `SELECT COUNT(*) FROM outbox`)
				db.Get(&drafts, `SELECT COUNT(*) FROM broadcast_drafts`)
				wantRows := 0
				if tt.wantErr == nil {
					wantRows = 2
				}
				if broadcasts != wantRows/2 || outbox != wantRows || drafts != 0 || b.Counts.Queued != wantRows {
					t.Errorf("after YES: %d broadcasts, %d outbox rows, %d drafts, %d queued; want %d, %d, 0, %d",
						broadcasts, outbox, drafts, b.Counts.Queued, wantRows/2, wantRows, wantRows)
				}
			})
		})
	}
}

func TestDraftWithoutRecipientsKeepsNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		audienceFixture(t, db)
		u, err := db.CreateUser(ctx, store.NewUser{Name: "otieno", Role: store.RoleSupervisor, PasswordHash: "x", SubCounties: []string{"Mathare"}})
		if err != nil {
			t.Fatal(err)
		}
		mathare := store.Scope{SubCounties: []string{"Mathare"}}
		err = db.Tx(ctx, func(tx *store.Tx) error {
			_, err := db.DraftBroadcast(ctx, tx, mathare, u.ID, store.Audience{Groups: []string{"Cohort A"}}, "Hello.", false)
			return err
		})
		if !errors.Is(err, store.ErrNoRecipients) {
			t.Errorf("DraftBroadcast to a group with no member in her sub-counties = %v, want ErrNoRecipients", err)
		}
		var drafts int
		db.Get(&drafts, `SELECT COUNT(*) FROM broadcast_drafts`)
		if drafts != 0 {
			t.Errorf("drafts = %d, want 0", drafts)
		}
	})
}
