package main

import (
	"bytes"
	"context"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
)

// dialWith runs `chanjo dial args` with the given terminal input.
func dialWith(t *testing.T, vars map[string]string, input string, args ...string) string {
	t.Helper()
	var out, errs bytes.Buffer
	e := env{getenv: envOf(vars), stdin: strings.NewReader(input), stdout: &out, stderr: &errs}
	if err := run(context.Background(), e, append([]string{"dial"}, args...)); err != nil {
		t.Fatalf("chanjo dial %v: %v (stderr %q)", args, err, errs.String())
	}
	return out.String()
}

func TestDialAgainstAServer(t *testing.T) {
	a, _ := testApp(t, nil)
	var out bytes.Buffer
	if err := a.loadDemo(context.Background(), &out); err != nil || !strings.Contains(out.String(), "chanjo dial --phone +254700000000") {
		t.Fatalf("loadDemo = %v, printed %q", err, out.String())
	}
	srv := httptest.NewServer(a.router())
	defer srv.Close()
	got := dialWith(t, nil, "6\n0\nq\n", "--url", srv.URL+"/ussd", "--token", a.token, "--phone", "0700000001")
	for _, want := range []string{"Dialling *384*123# from +254700000001", "[95 chars]\nCON Chanjo - Hi Wanjiru", "CON Settings\n1 Language"} {
		if !strings.Contains(got, want) {
			t.Errorf("dial output lacks %q:\n%s", want, got)
		}
	}
	bad := dialWithErr(t, "--url", srv.URL+"/ussd", "--token", "wrong")
	if !strings.Contains(bad, "403") {
		t.Errorf("dial with a wrong token: %q, want a 403 error", bad)
	}
}

func dialWithErr(t *testing.T, args ...string) string {
	t.Helper()
	var out, errs bytes.Buffer
	e := env{getenv: envOf(nil), stdin: strings.NewReader("q\n"), stdout: &out, stderr: &errs}
	err := run(context.Background(), e, append([]string{"dial"}, args...))
	if err == nil {
		t.Fatalf("chanjo dial %v succeeded, want an error", args)
	}
	return err.Error()
}

func TestDialLocalRegistersAnUnknownNumberAndRedialsAfterEnd(t *testing.T) {
	a, _ := testApp(t, nil)
	vars := map[string]string{"DATABASE_URL": a.cfg.DatabaseURL, "REDIS_PREFIX": a.cfg.RedisPrefix + "dial:"}
	got := dialWith(t, vars, "1\n1\nJane Doe\n12345\n1\n1\n\nq\n", "--local", "--phone", "+254711000001")
	if n := strings.Count(got, "END Thank you for registering"); n != 2 {
		t.Errorf("dial --local: %d waiting-for-approval screens, want 2 (after registering, and after a new dial):\n%s", n, got)
	}
	if !strings.Contains(got, "CON Type your full name:\n00 Back") {
		t.Errorf("dial --local output lacks the name screen:\n%s", got)
	}
}

// TestBenchWalksTheDemoNurses: chanjo bench drives whole sessions of the
// demo nurses against a server and reports hops per second and latency,
// every answer CON or END.
func TestBenchWalksTheDemoNurses(t *testing.T) {
	a, _ := testApp(t, nil)
	if err := a.loadDemo(context.Background(), io.Discard); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.router())
	defer srv.Close()
	var out, errs bytes.Buffer
	e := env{getenv: envOf(nil), stdin: strings.NewReader(""), stdout: &out, stderr: &errs}
	err := run(context.Background(), e, []string{"bench", "--url", srv.URL + "/ussd", "--token", a.token, "-c", "2", "-d", "1s", "--path", "1,2,1,00"})
	if err != nil {
		t.Fatalf("bench = %v; printed %s%s", err, out.String(), errs.String())
	}
	got := out.String()
	for _, want := range []string{" hops/s; 0 failed, 0 not CON/END", "latency p50 "} {
		if !strings.Contains(got, want) {
			t.Errorf("bench printed %q, want %q", got, want)
		}
	}
	if strings.HasPrefix(got, "0 sessions") {
		t.Errorf("bench printed %q, want at least one whole session", got)
	}
}
