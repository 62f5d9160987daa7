package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

func TestCreateUserAndScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u, err := db.CreateUser(ctx, store.NewUser{Name: "wanjiru", Role: store.RoleSupervisor, PasswordHash: "h",
			Phone: "+254711000009", SubCounties: []string{"Kibra", "Embakasi", "Kibra"}})
		if err != nil {
			t.Fatal(err)
		}
		byName, err := db.UserByName(ctx, "wanjiru")
		if err != nil || byName.ID != u.ID || byName.Phone.String != "+254711000009" || byName.Role != store.RoleSupervisor {
			t.Errorf("UserByName(wanjiru) = %+v, %v, want the created user", byName, err)
		}
		sc, err := db.Scope(ctx, u)
		if diff := cmp.Diff(store.Scope{SubCounties: []string{"Embakasi", "Kibra"}}, sc); err != nil || diff != "" {
			t.Errorf("Scope(supervisor) error %v, diff (-want +got):\n%s", err, diff)
		}
		for _, dup := range []store.NewUser{
			{Name: "wanjiru", Role: store.RoleAdmin, PasswordHash: "h"},
			{Name: "other", Role: store.RoleAdmin, PasswordHash: "h", Phone: "+254711000009"},
		} {
			if _, err := db.CreateUser(ctx, dup); !errors.Is(err, store.ErrExists) {
				t.Errorf("CreateUser(%s, %s) error = %v, want ErrExists", dup.Name, dup.Phone, err)
			}
		}
		if _, err := db.UserByName(ctx, "nobody"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("UserByName(nobody) error = %v, want ErrNotFound", err)
		}
		if n := auditCount(t, db, "user.add"); n != 1 {
			t.Errorf("audit rows user.add = %d, want 1", n)
		}
	})
}

func TestTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u, err := db.CreateUser(ctx, store.NewUser{Name: "script", Role: store.RoleAdmin, PasswordHash: "h"})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.CreateToken(ctx, u.ID, "cli", "abc123"); err != nil {
			t.Fatal(err)
		}
		if got, err := db.UserByTokenHash(ctx, "abc123"); err != nil || got.ID != u.ID {
			t.Errorf("UserByTokenHash(known) = %+v, %v, want user %d", got, err, u.ID)
		}
		if _, err := db.UserByTokenHash(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("UserByTokenHash(unknown) error = %v, want ErrNotFound", err)
		}
		log, err := db.AuditLog(ctx, 10)
		if err != nil || len(log) != 2 || log[0].Action != "token.create" || log[0].UserName != "script" {
			t.Errorf("AuditLog = %+v, %v, want token.create by script first", log, err)
		}
	})
}

func auditCount(t *testing.T, db *store.DB, action string) int {
	t.Helper()
	var n int
	if err := db.Get(&n, db.Rebind(`SELECT COUNT(*) FROM audit_log WHERE action = ?`), action); err != nil {
		t.Fatal(err)
	}
	return n
}
