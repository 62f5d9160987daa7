package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

func TestBroadcastTextStartsWithChanjoOnce(t *testing.T) {
	full := strings.Repeat("a", 160) // one SMS alone; two with the prefix
	tests := []struct {
		name, body, text string
		segments         int
	}{
		{"prefix added", " Meeting at 9. ", "Chanjo: Meeting at 9.", 1},
		{"already there", "chanjo: Meeting at 9.", "chanjo: Meeting at 9.", 1},
		{"counted in segments", full, "Chanjo: " + full, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				ctx := context.Background()
				clock(db, time.Date(2025, 3, 10, 6, 0, 0, 0, time.UTC))
				audienceFixture(t, db)
				p, err := db.PreviewBroadcast(ctx, kibra, store.Audience{}, tt.body)
				if err != nil || p.Text != tt.text || p.Size.Segments != tt.segments {
					t.Errorf("PreviewBroadcast = %q in %d SMS, %v; want %q in %d", p.Text, p.Size.Segments, err, tt.text, tt.segments)
				}
				b, err := db.CreateBroadcast(ctx, kibra, 0, store.NewBroadcast{Body: tt.body})
				if err != nil || b.Segments != tt.segments {
					t.Fatalf("CreateBroadcast = %d segments, %v; want %d", b.Segments, err, tt.segments)
				}
				var sent []string
				if err := db.Select(&sent, `SELECT DISTINCT body FROM outbox`); err != nil || len(sent) != 1 || sent[0] != tt.text {
					t.Errorf("outbox bodies = %q, %v; want [%q]", sent, err, tt.text)
				}
			})
		})
	}
}
