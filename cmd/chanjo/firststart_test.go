package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestFirstStartGuides: the first start on a new database says how to go on,
// with the callback URLs on CHANJO_PUBLIC_URL; token show prints the same
// token again from the database.
func TestFirstStartGuides(t *testing.T) {
	a, out := testApp(t, map[string]string{"CHANJO_PUBLIC_URL": "https://chanjo.example.org/", "CHANJO_ADDR": "127.0.0.1:8181"})
	for _, want := range []string{
		"chanjo user add NAME --role admin",
		"https://chanjo.example.org/admin",
		"chanjo serve --demo",
		"chanjo token show",
		"https://chanjo.example.org/ussd?token=" + a.token,
		"https://chanjo.example.org/sms/delivery?token=" + a.token,
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("first start printed:\n%s\nwant it to show %q", out, want)
		}
	}

	var stdout, stderr bytes.Buffer
	vars := map[string]string{"DATABASE_URL": a.cfg.DatabaseURL, "CHANJO_PUBLIC_URL": "https://chanjo.example.org"}
	e := env{getenv: envOf(vars), stdout: &stdout, stderr: &stderr}
	if err := run(context.Background(), e, []string{"token", "show"}); err != nil {
		t.Fatalf("token show = %v\n%s", err, stderr.String())
	}
	if got := strings.TrimSpace(stdout.String()); got != a.token {
		t.Errorf("token show printed %q, want the token of the first start %q", got, a.token)
	}
	if !strings.Contains(stderr.String(), "https://chanjo.example.org/sms/inbound?token="+a.token) {
		t.Errorf("token show said:\n%s\nwant the callback URLs on CHANJO_PUBLIC_URL", stderr.String())
	}
}

// TestConsoleBaseWithoutPublicURL: without CHANJO_PUBLIC_URL the console is
// on this machine, at the listen port.
func TestConsoleBaseWithoutPublicURL(t *testing.T) {
	for addr, want := range map[string]string{":8080": "http://localhost:8080", "127.0.0.1:9000": "http://127.0.0.1:9000", "0.0.0.0:80": "http://localhost:80"} {
		if got := consoleBase(Config{Addr: addr}); got != want {
			t.Errorf("consoleBase(CHANJO_ADDR=%s) = %q, want %q", addr, got, want)
		}
	}
}
