// Command loginflood sends wrong passwords to the console's login form from
// concurrent loops, as a guesser would, and reports how the service
// answered: checked (the password was hashed and refused), held back by the
// throttle, or busy. It is the flood of docs/performance.md "Login flood";
// run it against 127.0.0.1 only.
//
//	go run ./scripts/loginflood -url http://127.0.0.1:8097 -c 16 -d 10s
//
// With -forge every try names a fresh account and a fresh client address in
// X-Forwarded-For (the service must list 127.0.0.1 in TRUSTED_PROXIES): a
// botnet that no per-address or per-account throttle slows, so every try
// costs a hash and only the hash pool bounds the flood.
package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

type tally struct {
	checked, held, busy, other atomic.Int64
}

func main() {
	base := flag.String("url", "http://127.0.0.1:8080", "the service's base URL")
	loops := flag.Int("c", 16, "concurrent loops")
	dur := flag.Duration("d", 10*time.Second, "duration")
	name := flag.String("name", "admin", "the account guessed (without -forge)")
	forge := flag.Bool("forge", false, "a fresh account name and X-Forwarded-For address on every try")
	flag.Parse()
	var t tally
	var wg sync.WaitGroup
	deadline := time.Now().Add(*dur)
	for l := range *loops {
		wg.Go(func() {
			if err := loop(*base, l, *name, *forge, deadline, &t); err != nil {
				fmt.Fprintln(os.Stderr, "loginflood:", err)
			}
		})
	}
	wg.Wait()
	total := t.checked.Load() + t.held.Load() + t.busy.Load() + t.other.Load()
	fmt.Printf("tries %d (%.0f/s): checked %d, held back %d, busy %d, other %d\n", total,
		float64(total)/dur.Seconds(), t.checked.Load(), t.held.Load(), t.busy.Load(), t.other.Load())
}

// loop gets the login form once (its CSRF cookie stays valid while logins
// fail), then posts wrong passwords until the deadline.
func loop(base string, l int, name string, forge bool, deadline time.Time, t *tally) error {
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	resp, err := client.Get(base + "/admin/login")
	if err != nil {
		return err
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfField.FindSubmatch(page)
	if m == nil {
		return fmt.Errorf("no csrf field on %s/admin/login", base)
	}
	for i := 0; time.Now().Before(deadline); i++ {
		who := name
		if forge {
			who = fmt.Sprintf("guess-%d-%d", l, i)
		}
		form := url.Values{"csrf": {string(m[1])}, "name": {who}, "password": {fmt.Sprintf("wrong password %d", i)}}
		req, _ := http.NewRequest(http.MethodPost, base+"/admin/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if forge {
			req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.%d.%d.%d", l, i/256%256, i%256))
		}
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		switch s := string(body); {
		case resp.StatusCode == http.StatusServiceUnavailable:
			t.busy.Add(1)
		case strings.Contains(s, "try again after"):
			t.held.Add(1)
		case strings.Contains(s, "Wrong name or password"):
			t.checked.Add(1)
		default:
			t.other.Add(1)
		}
	}
	return nil
}
