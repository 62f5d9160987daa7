package store_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

var (
	admin = store.Scope{Admin: true}
	kibra = store.Scope{SubCounties: []string{"Kibra"}}
)

// audienceFixture seeds Kibra and Embakasi with workers who can and cannot
// receive broadcasts, and returns their ids by name.
func audienceFixture(t *testing.T, db *store.DB) map[string]int64 {
	t.Helper()
	ids := map[string]int64{
		"Achieng": seedWorker(t, db, "Achieng", "+254711000001", "Kibra", store.StatusActive),
		"Baraka":  seedWorker(t, db, "Baraka", "+254711000002", "Kibra", store.StatusActive),
		"Chebet":  seedWorker(t, db, "Chebet", "+254711000003", "Kibra", store.StatusActive),
		"Dama":    seedWorker(t, db, "Dama", "+254711000004", "Kibra", store.StatusActive),
		"Esther":  seedWorker(t, db, "Esther", "+254711000005", "Kibra", store.StatusPending),
		"Faith":   seedWorker(t, db, "Faith", "+254711000006", "Embakasi", store.StatusActive),
	}
	ctx, now := context.Background(), db.Now()
	stmts := []struct {
		q    string
		args []any
	}{
		{`UPDATE workers SET role = 'mentor' WHERE id = ?`, []any{ids["Baraka"]}},
		{`UPDATE workers SET opted_out = ? WHERE id = ?`, []any{true, ids["Chebet"]}},
		{`INSERT INTO sms_optouts (phone, source, opted_out_at) VALUES ('+254711000004', 'gateway', ?)`, []any{now}},
		{`INSERT INTO groups (name, created_at) VALUES ('Cohort A', ?)`, []any{now}},
		{`INSERT INTO group_members (group_id, worker_id) SELECT id, ? FROM groups WHERE name = 'Cohort A'`, []any{ids["Achieng"]}},
		{`INSERT INTO group_members (group_id, worker_id) SELECT id, ? FROM groups WHERE name = 'Cohort A'`, []any{ids["Chebet"]}},
		{`INSERT INTO group_members (group_id, worker_id) SELECT id, ? FROM groups WHERE name = 'Cohort A'`, []any{ids["Faith"]}},
	}
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, db.Rebind(s.q), s.args...); err != nil {
			t.Fatal(err)
		}
	}
	return ids
}

func TestPreviewBroadcast(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		audienceFixture(t, db)
		tests := []struct {
			name      string
			scope     store.Scope
			a         store.Audience
			want      int
			wantField string
		}{
			{"admin, everyone: opted out, sms_optouts and pending left out", admin, store.Audience{}, 3, ""},
			{"supervisor, everyone is her sub-county", kibra, store.Audience{}, 2, ""},
			{"sub-county", admin, store.Audience{SubCounties: []string{"Embakasi"}}, 1, ""},
			{"group narrowed by the scope", kibra, store.Audience{Groups: []string{"Cohort A"}}, 1, ""},
			{"group for admin", admin, store.Audience{Groups: []string{"Cohort A"}}, 2, ""},
			{"role", kibra, store.Audience{Roles: []string{"mentor"}}, 1, ""},
			{"facility and role", admin, store.Audience{Facilities: []string{"F-Kibra"}, Roles: []string{"nurse"}}, 1, ""},
			{"fields combine with AND", admin, store.Audience{SubCounties: []string{"Embakasi"}, Roles: []string{"mentor"}}, 0, ""},
			{"another's sub-county", kibra, store.Audience{SubCounties: []string{"Embakasi"}}, 0, "audience.sub_counties"},
			{"another's facility", kibra, store.Audience{Facilities: []string{"F-Embakasi"}}, 0, "audience.facilities"},
			{"unknown group", admin, store.Audience{Groups: []string{"Cohort Z"}}, 0, "audience.groups"},
			{"unknown role", admin, store.Audience{Roles: []string{"doctor"}}, 0, "audience.roles"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				p, err := db.PreviewBroadcast(context.Background(), tt.scope, tt.a, "Clinic day moved to Friday.")
				var ie *store.InputError
				switch {
				case tt.wantField != "":
					if !errors.As(err, &ie) || ie.Field != tt.wantField || !errors.Is(err, store.ErrInvalid) {
						t.Errorf("PreviewBroadcast(%v) error = %v, want an InputError on %s", tt.a, err, tt.wantField)
					}
				case err != nil:
					t.Fatalf("PreviewBroadcast(%v): %v", tt.a, err)
				case p.Recipients != tt.want || p.Size.Segments != 1:
					t.Errorf("PreviewBroadcast(%v) = %d recipients, %d segments, want %d, 1", tt.a, p.Recipients, p.Size.Segments, tt.want)
				}
			})
		}
	})
}

type bcastRow struct {
	Key       string    `db:"dedupe_key"`
	Kind      string    `db:"kind"`
	Phone     string    `db:"phone"`
	Urgent    bool      `db:"urgent"`
	NotBefore time.Time `db:"not_before"`
}

func bcastRows(t *testing.T, db *store.DB) []bcastRow {
	t.Helper()
	var rows []bcastRow
	if err := db.Select(&rows, `SELECT dedupe_key, kind, phone, urgent, not_before FROM outbox ORDER BY phone`); err != nil {
		t.Fatal(err)
	}
	for i := range rows {
		rows[i].NotBefore = rows[i].NotBefore.UTC()
	}
	return rows
}

func TestCreateBroadcast(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2025, 3, 10, 6, 0, 0, 0, time.UTC)
		clock(db, now)
		ids := audienceFixture(t, db)
		sendAt := now.Add(3 * time.Hour)
		b, err := db.CreateBroadcast(context.Background(), kibra, 0, store.NewBroadcast{
			Audience: store.Audience{Groups: []string{" Cohort A "}}, Body: " Bring the cold box. ", Urgent: true, SendAt: sendAt})
		if err != nil {
			t.Fatalf("CreateBroadcast: %v", err)
		}
		key := "broadcast:" + strconv.FormatInt(b.ID, 10) + ":" + strconv.FormatInt(ids["Achieng"], 10)
		want := []bcastRow{{key, "broadcast", "+254711000001", true, sendAt}}
		if diff := cmp.Diff(want, bcastRows(t, db)); diff != "" {
			t.Errorf("outbox rows (-want +got):\n%s", diff)
		}
		wantB := store.Broadcast{ID: b.ID, Audience: store.Audience{Groups: []string{"Cohort A"}}, Body: "Bring the cold box.", Urgent: true,
			SendAt: sendAt, Recipients: 1, Segments: 1, CreatedAt: now, Counts: store.BroadcastCounts{Queued: 1}}
		b.SendAt, b.CreatedAt = b.SendAt.UTC(), b.CreatedAt.UTC()
		if diff := cmp.Diff(wantB, b); diff != "" {
			t.Errorf("CreateBroadcast (-want +got):\n%s", diff)
		}
		var audits int
		db.Get(&audits, `SELECT COUNT(*) FROM audit_log WHERE action = 'broadcast.create'`)
		if audits != 1 {
			t.Errorf("audit rows = %d, want 1", audits)
		}
	})
}

func TestCreateBroadcastRefusesBadInput(t *testing.T) {
	long := strings.Repeat("Chanjo ya surua inatolewa Ijumaa. ", 15) // 510 characters: 4 segments
	tests := []struct {
		name  string
		scope store.Scope
		nb    store.NewBroadcast
		field string
	}{
		{"empty body", admin, store.NewBroadcast{Body: "  "}, "body"},
		{"4 segments unconfirmed", admin, store.NewBroadcast{Body: long}, "confirm_long"},
		{"14 segments confirmed", admin, store.NewBroadcast{Body: strings.Repeat(long, 4), ConfirmLong: true}, "body"},
		{"in the past", admin, store.NewBroadcast{Body: "hi", SendAt: time.Date(2025, 3, 9, 0, 0, 0, 0, time.UTC)}, "send_at"},
		{"no recipient", admin, store.NewBroadcast{Body: "hi", Audience: store.Audience{Roles: []string{"mentor"}, SubCounties: []string{"Embakasi"}}}, "audience"},
		{"outside the scope", kibra, store.NewBroadcast{Body: "hi", Audience: store.Audience{SubCounties: []string{"Embakasi"}}}, "audience.sub_counties"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				clock(db, time.Date(2025, 3, 10, 6, 0, 0, 0, time.UTC))
				audienceFixture(t, db)
				_, err := db.CreateBroadcast(context.Background(), tt.scope, 0, tt.nb)
				var ie *store.InputError
				if !errors.As(err, &ie) || ie.Field != tt.field {
					t.Errorf("CreateBroadcast = %v, want an InputError on %s", err, tt.field)
				}
				var n int
				db.Get(&n, `SELECT (SELECT COUNT(*) FROM broadcasts) + (SELECT COUNT(*) FROM outbox) + (SELECT COUNT(*) FROM audit_log)`)
				if n != 0 {
					t.Errorf("rows written by a refused broadcast = %d, want 0", n)
				}
			})
		})
	}
}

func TestBroadcastCountsFollowDelivery(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clock(db, time.Date(2025, 3, 10, 6, 0, 0, 0, time.UTC))
		audienceFixture(t, db)
		b, err := db.CreateBroadcast(ctx, admin, 0, store.NewBroadcast{Body: "Stock count on Monday."})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := db.Broadcast(ctx, admin, b.ID); err != nil || got.Counts != (store.BroadcastCounts{Queued: 3}) {
			t.Errorf("Broadcast before sending: Counts = %+v, %v; want 3 queued", got.Counts, err)
		}
		lease, err := db.Claim(ctx, store.ClaimOptions{Owner: "test", Limit: 10, Lease: time.Minute})
		if err != nil || len(lease.Msgs) != 3 {
			t.Fatalf("Claim = %d messages, %v; want 3", len(lease.Msgs), err)
		}
		if got, err := db.Broadcast(ctx, admin, b.ID); err != nil || got.Counts != (store.BroadcastCounts{Sending: 3}) {
			t.Errorf("Broadcast while leased to a dispatcher: Counts = %+v, %v; want 3 sending", got.Counts, err)
		}
		var rs []store.Result
		for i, m := range lease.Msgs {
			rs = append(rs, store.Result{ID: m.ID, Status: store.OutAccepted, GatewayID: "gw-" + strconv.Itoa(i)})
		}
		if err := db.Finish(ctx, "test", rs); err != nil {
			t.Fatal(err)
		}
		for gw, st := range map[string]string{"gw-0": store.OutDelivered, "gw-1": store.OutFailed} {
			if _, err := db.RecordDelivery(ctx, store.Delivery{GatewayID: gw, Status: st}); err != nil {
				t.Fatal(err)
			}
		}
		want := store.BroadcastCounts{Accepted: 1, Delivered: 1, Failed: 1}
		got, err := db.Broadcast(ctx, admin, b.ID)
		if err != nil || got.Counts != want {
			t.Errorf("Broadcast(admin).Counts = %+v, %v; want %+v", got.Counts, err, want)
		}
		var total int
		for _, sc := range []store.Scope{kibra, {SubCounties: []string{"Embakasi"}}} {
			got, err := db.Broadcast(ctx, sc, b.ID)
			if err != nil {
				t.Fatalf("Broadcast(%v): %v", sc.SubCounties, err)
			}
			total += got.Counts.Total()
		}
		if total != 3 {
			t.Errorf("counts seen by the two supervisors add up to %d, want 3", total)
		}
		if list, err := db.Broadcasts(ctx, kibra, 10); err != nil || len(list) != 1 || list[0].ID != b.ID {
			t.Errorf("Broadcasts(kibra) = %+v, %v; want the one broadcast", list, err)
		}
	})
}

func TestBroadcastScoped(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		audienceFixture(t, db)
		embakasi := store.Scope{SubCounties: []string{"Embakasi"}}
		b, err := db.CreateBroadcast(ctx, embakasi, 0, store.NewBroadcast{Body: "Embakasi only."})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Broadcast(ctx, kibra, b.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Broadcast(another sub-county's) = %v, want ErrNotFound", err)
		}
		if list, err := db.Broadcasts(ctx, kibra, 10); err != nil || len(list) != 0 {
			t.Errorf("Broadcasts(kibra) = %d broadcasts, %v; want none", len(list), err)
		}
		if _, err := db.Broadcast(ctx, embakasi, b.ID); err != nil {
			t.Errorf("Broadcast(own) = %v, want it", err)
		}
	})
}
