package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"time"

	"github.com/chanjo-health/chanjo/phone"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/whatsapp/fakegraph"
)

// hopper sends one hop in the gateway's format and returns the answer.
type hopper func(ctx context.Context, form url.Values) (string, error)

type dialFlags struct {
	phone, url, token string
	local             bool
	// whatsapp writes on WhatsApp through the fake Graph API at fake instead of dialling USSD.
	whatsapp bool
	fake     string
}

func runDial(ctx context.Context, e env, args []string) error {
	fs := flags(e, "dial", "dial [--phone +2547...] [--url URL --token T | --local | --whatsapp [--fake URL]]")
	var f dialFlags
	fs.StringVar(&f.phone, "phone", store.DemoNursePhone(0), "the number that dials")
	fs.StringVar(&f.url, "url", "", "USSD callback URL of another server (default: the local server at CHANJO_ADDR)")
	fs.StringVar(&f.token, "token", "", "the callback token of --url")
	fs.BoolVar(&f.local, "local", false, "run the service in-process on the configured database and Redis")
	fs.BoolVar(&f.whatsapp, "whatsapp", false, "write on WhatsApp through chanjo fake-whatsapp (chanjo serve pointed at it)")
	fs.StringVar(&f.fake, "fake", "http://"+fakegraph.DefaultAddr, "the fake Graph API of --whatsapp")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	p, err := phone.Normalize(f.phone)
	if err != nil {
		return badUsage(fs, "--phone: %v", err)
	}
	if f.whatsapp {
		return dialWhatsApp(ctx, e, strings.TrimRight(f.fake, "/"), p)
	}
	cfg, err := loadConfig(e.getenv)
	if err != nil {
		return err
	}
	hop, done, err := dialTarget(ctx, e, cfg, f)
	if err != nil {
		return err
	}
	defer done()
	return dialLoop(ctx, e, cfg.USSDCode, p, hop)
}

// dialTarget returns how to reach the service: in-process, --url, or the
// local server with the token of CALLBACK_TOKEN or of the database.
func dialTarget(ctx context.Context, e env, cfg Config, f dialFlags) (hopper, func(), error) {
	if f.local {
		log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
		a, err := newApp(ctx, cfg, log, e.stderr)
		if err != nil {
			return nil, nil, err
		}
		return inProcess(a.router(), a.token), a.close, nil
	}
	target := withToken(f.url, f.token)
	if f.url == "" {
		var err error
		if target, err = localURL(ctx, cfg); err != nil {
			return nil, nil, err
		}
	}
	client := &http.Client{Timeout: 15 * time.Second}
	return overHTTP(client, target), func() {}, nil
}

// localURL is the USSD URL of the local server at CHANJO_ADDR, with its token.
func localURL(ctx context.Context, cfg Config) (string, error) {
	_, port, _ := net.SplitHostPort(cfg.Addr)
	token, err := localToken(ctx, cfg)
	if err != nil {
		return "", err
	}
	return withToken("http://127.0.0.1:"+port+"/ussd", token), nil
}

// localToken is CALLBACK_TOKEN, or the token the local server keeps in the database.
func localToken(ctx context.Context, cfg Config) (string, error) {
	if cfg.CallbackToken != "" {
		return cfg.CallbackToken, nil
	}
	db, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return "", fmt.Errorf("DATABASE_URL: %w", err)
	}
	defer db.Close()
	token, err := db.Setting(ctx, "callback_token")
	if err != nil {
		return "", fmt.Errorf("no callback token in the database (start chanjo serve first, or set CALLBACK_TOKEN): %w", err)
	}
	return token, nil
}

func withToken(target, token string) string {
	if token == "" {
		return target
	}
	sep := "?"
	if strings.Contains(target, "?") {
		sep = "&"
	}
	return target + sep + "token=" + url.QueryEscape(token)
}

func overHTTP(client *http.Client, target string) hopper {
	return func(ctx context.Context, form url.Values) (string, error) {
		req, err := http.NewRequestWithContext(ctx, "POST", target, strings.NewReader(form.Encode()))
		if err != nil {
			return "", fmt.Errorf("dial: %w", err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := client.Do(req)
		if err != nil {
			return "", unreachable(target, err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err == nil && resp.StatusCode != http.StatusOK {
			err = fmt.Errorf("status %d: %s", resp.StatusCode, strings.TrimSpace(string(b)))
		}
		if err != nil {
			return "", fmt.Errorf("dial: %w", err)
		}
		return string(b), nil
	}
}

// unreachable words a failed request to target without its query, which
// carries the callback token: a secret has no place in an error line.
func unreachable(target string, err error) error {
	shown := target
	if u, perr := url.Parse(target); perr == nil {
		u.RawQuery = ""
		shown = u.String()
	}
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err // its text repeats the URL, token and all
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return fmt.Errorf("dial: no Chanjo service at %s (start it with chanjo serve): %w", shown, err)
	}
	return fmt.Errorf("dial: %s: %w", shown, err)
}

// inProcess serves hops with the service's own router, as the gateway would reach it.
func inProcess(h http.Handler, token string) hopper {
	return func(ctx context.Context, form url.Values) (string, error) {
		req := httptest.NewRequestWithContext(ctx, "POST", withToken("/ussd", token), strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			return "", fmt.Errorf("dial: status %d: %s", rec.Code, strings.TrimSpace(rec.Body.String()))
		}
		return rec.Body.String(), nil
	}
}

// dialLoop is the terminal phone: one session id, the cumulative text
// joined by '*', each screen shown with its length; after END, Enter dials
// again; q quits.
func dialLoop(ctx context.Context, e env, code, p string, hop hopper) error {
	in := bufio.NewScanner(e.stdin)
	for {
		fmt.Fprintf(e.stdout, "Dialling %s from %s (type q to quit)\n", code, p)
		form := url.Values{"sessionId": {newSessionID()}, "serviceCode": {code}, "phoneNumber": {p}, "networkCode": {"63902"}, "text": {""}}
		for {
			body, err := hop(ctx, form)
			if err != nil {
				return err
			}
			ended := !strings.HasPrefix(body, "CON ")
			fmt.Fprintf(e.stdout, "\n[%d chars]\n%s\n", len(body)-min(len(body), 4), body)
			if ended {
				fmt.Fprintln(e.stdout, "-- the session ended: Enter dials again, q quits")
			}
			fmt.Fprint(e.stdout, "> ")
			if !in.Scan() {
				fmt.Fprintln(e.stdout)
				return in.Err()
			}
			line := strings.TrimRight(in.Text(), "\r")
			if line == "q" {
				return nil
			}
			if ended {
				break
			}
			if t := form.Get("text"); t == "" {
				form.Set("text", line)
			} else {
				form.Set("text", t+"*"+line)
			}
		}
	}
}

func newSessionID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return "ATUid_" + hex.EncodeToString(b)
}
