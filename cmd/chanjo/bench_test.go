package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// TestBenchAgainstAServer runs chanjo bench, as an operator would, against
// the service's own router with the demo roster, alternating with a stand-in
// for the floor server: every run of every walk is printed, then the medians
// and the ratios.
func TestBenchAgainstAServer(t *testing.T) {
	a, _ := testApp(t, nil)
	if err := a.loadDemo(context.Background(), &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.router())
	defer srv.Close()
	floor := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("CON Chanjo\n1 Lessons"))
	}))
	defer floor.Close()
	var out, errs bytes.Buffer
	e := env{getenv: envOf(nil), stdin: strings.NewReader(""), stdout: &out, stderr: &errs}
	err := run(context.Background(), e, []string{"bench", "--url", srv.URL + "/ussd", "--token", a.token,
		"--floor", floor.URL + "/ussd", "--phones", "3", "--duration", "300ms", "--pairs", "3"})
	if err != nil {
		t.Fatalf("chanjo bench: %v\n%s%s", err, out.String(), errs.String())
	}
	for _, w := range benchWalks {
		runs := regexp.MustCompile(`(?m)^` + w.name + ` +(floor|chanjo) +hops=[1-9]\d* sessions=\d+ \d+ hops/s p50=[\d.]+ms p99=[\d.]+ms$`)
		if n := len(runs.FindAllString(out.String(), -1)); n != 6 {
			t.Errorf("walk %s: %d runs printed, want 3 floor and 3 chanjo:\n%s", w.name, n, out.String())
		}
		summary := regexp.MustCompile(`(?m)^` + w.name + ` +median of 3 pairs: floor \d+ hops/s p99 [\d.]+ms, chanjo \d+ hops/s p99 [\d.]+ms: [\d.]+x hops/s, [\d.]+x p99$`)
		if !summary.MatchString(out.String()) {
			t.Errorf("walk %s: no line of medians and ratios:\n%s", w.name, out.String())
		}
	}
}

// TestBenchFailsOnARefusedHop: a run whose hops are refused (here a wrong
// token) is a failure at run time, and the error names the status without
// the token.
func TestBenchFailsOnARefusedHop(t *testing.T) {
	a, _ := testApp(t, nil)
	srv := httptest.NewServer(a.router())
	defer srv.Close()
	checkCLI(t, cliCase{args: []string{"bench", "--url", srv.URL + "/ussd", "--token", "wrong-secret-token", "--walk", "dial",
		"--phones", "1", "--duration", "200ms", "--pairs", "1"}, code: 1, show: []string{"status 403"}, mustHide: "wrong-secret-token"})
}
