package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

func TestEnqueue(t *testing.T) {
	reply := store.Outgoing{DedupeKey: "in:1", Kind: store.KindReply, Phone: "+254711000001", Body: "Karibu"}
	tests := []struct {
		name    string
		msgs    []store.Outgoing
		want    int
		wantErr error
	}{
		{"one", []store.Outgoing{reply}, 1, nil},
		{"duplicate key dropped", []store.Outgoing{reply, reply}, 1, nil},
		{"unknown kind", []store.Outgoing{{DedupeKey: "x", Kind: "spam", Phone: "+254711000001", Body: "x"}}, 0, store.ErrInvalidOutgoing},
		{"no body", []store.Outgoing{{DedupeKey: "x", Kind: store.KindNudge, Phone: "+254711000001"}}, 0, store.ErrInvalidOutgoing},
		{"two chunks", broadcastMsgs(1500), 1500, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				n, err := db.Enqueue(context.Background(), db, tt.msgs...)
				if !errors.Is(err, tt.wantErr) || n != tt.want {
					t.Errorf("Enqueue(%d msgs) = %d, %v, want %d, %v", len(tt.msgs), n, err, tt.want, tt.wantErr)
				}
				var rows int
				if err := db.Get(&rows, `SELECT COUNT(*) FROM outbox`); err != nil || rows != tt.want {
					t.Errorf("outbox rows = %d, %v, want %d", rows, err, tt.want)
				}
			})
		})
	}
}

func broadcastMsgs(n int) []store.Outgoing {
	msgs := make([]store.Outgoing, n)
	for i := range msgs {
		msgs[i] = store.Outgoing{
			DedupeKey: fmt.Sprintf("b:1:%d", i), Kind: store.KindBroadcast,
			Phone: fmt.Sprintf("+2547%08d", i), Body: "Clinic day moved to Thursday",
		}
	}
	return msgs
}
