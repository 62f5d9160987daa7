package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// doubling waits 1 min after the free failures, then 2, 4, …
var doubling = store.LoginRule{
	Backoff: func(n int) time.Duration { return time.Minute << (n - 1) },
	Forget:  24 * time.Hour,
}

func TestTakeLoginTryInParallel(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2025, 3, 3, 8, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		keys := []store.ThrottleKey{
			{Key: "addr:192.0.2.1", Free: 20},
			{Key: "acct-from:wanjiru|192.0.2.1", Account: "wanjiru", Free: 5},
		}
		var mu sync.Mutex
		allowed, refused := 0, 0
		var wg sync.WaitGroup
		for range 41 {
			wg.Go(func() {
				wait, err := db.TakeLoginTry(ctx, keys, doubling)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err != nil:
					t.Errorf("TakeLoginTry: %v", err)
				case wait.IsZero():
					allowed++
				case !wait.Equal(now.Add(time.Minute)):
					t.Errorf("TakeLoginTry wait = %v, want %v", wait, now.Add(time.Minute))
				default:
					refused++
				}
			})
		}
		wg.Wait()
		if allowed != 5 || refused != 36 {
			t.Errorf("41 tries at once: %d allowed, %d refused, want 5 and 36", allowed, refused)
		}
	})
}

func TestLoginThrottleDoublesClearsAndUnlocks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2025, 3, 3, 8, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		keys := []store.ThrottleKey{{Key: "acct:amina", Account: "amina", Free: 2}}
		try := func(step string, want time.Time) {
			t.Helper()
			if got, err := db.TakeLoginTry(ctx, keys, doubling); err != nil || !got.Equal(want) {
				t.Errorf("%s: TakeLoginTry = %v, %v, want %v", step, got, err, want)
			}
		}
		try("1st", time.Time{})
		try("2nd (the last free one)", time.Time{})
		try("3rd, during the wait", now.Add(time.Minute))
		now = now.Add(time.Minute)
		try("after the first wait", time.Time{})
		try("during the second wait", now.Add(2*time.Minute))
		held, err := db.HeldLogins(ctx, 10)
		if err != nil || len(held) != 1 || held[0].Account != "amina" || held[0].Failures != 3 {
			t.Errorf("HeldLogins = %+v, %v, want amina with 3 failures", held, err)
		}
		if n, err := db.UnlockLogin(ctx, 0, "amina", "command line"); err != nil || n != 1 {
			t.Errorf("UnlockLogin = %d, %v, want 1 key lifted", n, err)
		}
		try("after the unlock", time.Time{})
		if n := auditCount(t, db, "user.unlock"); n != 1 {
			t.Errorf("audit rows user.unlock = %d, want 1", n)
		}
		try("2nd after the unlock", time.Time{})
		if err := db.ClearLoginFailures(ctx, []string{"acct:amina"}, 24*time.Hour); err != nil {
			t.Fatal(err)
		}
		try("after a good login", time.Time{})
		try("2nd after a good login", time.Time{})
		now = now.Add(25 * time.Hour)
		try("a day later, forgotten", time.Time{})
	})
}
