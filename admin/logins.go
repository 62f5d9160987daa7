package admin

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/chanjo-health/chanjo/store"
)

// The login throttle: every try counts against three keys, and each key,
// past its free failures, makes the next try wait a delay that doubles with
// every further failure (LoginBackoff). Delays, not a lock: a try during a
// wait is refused without a hash and without lengthening the wait, and a
// good login clears the account's keys. Per account from one address the
// number is small (AccountFreeTries), so a guesser gets a few tries; one
// address trying many names meets AddressFreeTries; an account guessed from
// many addresses meets AccountAnywhereFreeTries. Someone at another address
// is not held back by a guesser's failures until that last, large number,
// and an admin can lift it (chanjo user unlock, or the audit page).
const (
	AccountFreeTries         = 5
	AddressFreeTries         = 20
	AccountAnywhereFreeTries = 50
	// LoginBackoffBase is the first wait; LoginBackoffMax bounds them all.
	LoginBackoffBase = 30 * time.Second
	LoginBackoffMax  = 15 * time.Minute
	// LoginForget is how long after its last failure a key starts afresh.
	LoginForget = 24 * time.Hour
	// hashWait is how long a login waits for a turn of the hash pool before
	// it is answered "busy".
	hashWait = 10 * time.Second
	// HeldDelay is how long a try the throttle refuses waits for its answer:
	// a guesser's loops then spend their own time, a second a try, instead
	// of making the service answer thousands of refusals a second.
	HeldDelay = time.Second
)

// LoginBackoff is the wait after the n-th failure past a key's free ones:
// 30 s, 1 min, 2 min, … up to 15 minutes.
func LoginBackoff(n int) time.Duration {
	d := LoginBackoffBase
	for i := 1; i < n && d < LoginBackoffMax; i++ {
		d *= 2
	}
	return min(d, LoginBackoffMax)
}

var loginRule = store.LoginRule{Backoff: LoginBackoff, Forget: LoginForget}

// AccountKey is the throttle's name of an account: its name, trimmed and in
// lower case, whether or not such a user exists, so that a refusal says
// nothing about who has an account.
func AccountKey(name string) string {
	return strings.ToLower(strings.TrimSpace(name))
}

// throttleKeys are the keys a try of name from addr counts against. Each
// kind has its own prefix, and the address, which holds no "|", comes last,
// so no two tries' keys of different kinds or names meet.
func throttleKeys(name, addr string) []store.ThrottleKey {
	acct := AccountKey(name)
	return []store.ThrottleKey{
		{Key: "addr:" + addr, Free: AddressFreeTries},
		{Key: "acct-from:" + acct + "|" + addr, Account: acct, Free: AccountFreeTries},
		{Key: "acct:" + acct, Account: acct, Free: AccountAnywhereFreeTries},
	}
}

// accountKeys are the keys among keys that a good login clears: the
// address's own count stays, so logging in to one's own account does not
// buy tries at others.
func accountKeys(keys []store.ThrottleKey) []string {
	var out []string
	for _, k := range keys {
		if k.Account != "" {
			out = append(out, k.Key)
		}
	}
	return out
}

// errBusy is a login that waited too long for the hash pool.
var errBusy = errors.New("admin: login: password checks busy")

// hashPool runs password checks a few at a time. A bcrypt check takes a
// core for about a quarter of a second; without a bound, a flood of logins
// takes every core from the USSD callbacks, which must answer within the
// gateway's deadline.
type hashPool struct {
	slots chan struct{}
	runs  atomic.Int64 // checks run, for tests and benchmarks
}

// hashConcurrency leaves at least half of the cores to everything else.
func hashConcurrency() int {
	return max(1, runtime.GOMAXPROCS(0)/2)
}

func newHashPool(n int) *hashPool {
	return &hashPool{slots: make(chan struct{}, n)}
}

// check reports whether pw matches the bcrypt hash, waiting for a turn at
// most hashWait.
func (p *hashPool) check(ctx context.Context, hash, pw string) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, hashWait)
	defer cancel()
	select {
	case p.slots <- struct{}{}:
	case <-ctx.Done():
		return false, errBusy
	}
	defer func() { <-p.slots }()
	p.runs.Add(1)
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw)) == nil, nil
}

// authenticate checks a name and password tried from addr. It returns the
// message for a refused login, or the user. The throttle is asked first,
// and counts the try, in one transaction; an unknown name then costs one
// hash, like a known one.
func (h *Console) authenticate(ctx context.Context, name, pw, addr string) (store.User, string, error) {
	keys := throttleKeys(name, addr)
	wait, err := h.db.TakeLoginTry(ctx, keys, loginRule)
	if err != nil {
		return store.User{}, "", err
	}
	if !wait.IsZero() {
		t := time.NewTimer(h.heldDelay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
		}
		return store.User{}, h.waitMessage(wait), nil
	}
	u, err := h.db.UserByName(ctx, name)
	hash := u.PasswordHash
	switch {
	case errors.Is(err, store.ErrNotFound):
		hash = dummyHash
	case err != nil:
		return store.User{}, "", err
	}
	ok, err := h.hashes.check(ctx, hash, pw)
	if err != nil {
		return store.User{}, "", err
	}
	switch {
	case u.ID == 0:
		// The name, cut short: a password typed in the name box must not
		// be kept whole.
		err = h.db.Audit(ctx, h.db, 0, "login.fail", "name:"+cut(AccountKey(name), 40), "unknown name from "+addr)
		return store.User{}, msgWrongLogin, err
	case !ok:
		err = h.db.Audit(ctx, h.db, u.ID, "login.fail", fmt.Sprintf("user:%d", u.ID), "wrong password from "+addr)
		return store.User{}, msgWrongLogin, err
	case u.DisabledAt.Valid:
		err = h.db.Audit(ctx, h.db, u.ID, "login.fail", fmt.Sprintf("user:%d", u.ID), "disabled account from "+addr)
		return store.User{}, msgDisabled, err
	}
	return u, "", h.db.ClearLoginFailures(ctx, accountKeys(keys), LoginForget)
}

func (h *Console) waitMessage(until time.Time) string {
	return fmt.Sprintf("Too many wrong passwords: try again after %s. An administrator can let you in sooner.",
		until.In(h.tz).Format("15:04:05"))
}

// msgDisabled answers the right password of a disabled account: she knows
// her password, so saying so tells a guesser nothing.
const msgDisabled = "This account is disabled. Ask an administrator."

// cut returns s cut to at most n runes.
func cut(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}
