package main

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// cliCase is one command line and what the operator must see: its exit
// status, and words that must (or must not) appear in what it printed.
type cliCase struct {
	args     []string
	code     int
	show     []string // in stdout, stderr or the error line
	mustHide string   // a secret that must appear nowhere
	stdin    string
	env      map[string]string
}

// TestCLIExitStatus runs every command three ways: --help (0, every flag
// shown), a bad command line (2, one line and the usage), and a failure at
// run time (1). A command added without rows here fails the test.
func TestCLIExitStatus(t *testing.T) {
	dir := t.TempDir()
	noDB := map[string]string{"DATABASE_URL": filepath.Join(dir, "missing", "chanjo.db")}
	goodDB := map[string]string{"DATABASE_URL": filepath.Join(dir, "chanjo.db")}
	cases := map[string][]cliCase{
		"serve": {
			{args: []string{"serve", "--help"}, show: []string{"Usage: chanjo serve", "-demo"}},
			{args: []string{"serve", "--nope"}, code: 2, show: []string{"-nope", "Usage: chanjo serve"}},
			{args: []string{"serve"}, code: 1, env: map[string]string{"DATABASE_URL": noDB["DATABASE_URL"], "CHANJO_ADDR": "127.0.0.1:0"}},
		},
		"migrate": {
			{args: []string{"migrate", "--help"}, show: []string{"Usage: chanjo migrate"}},
			{args: []string{"migrate", "--nope"}, code: 2, show: []string{"Usage: chanjo migrate"}},
			{args: []string{"migrate"}, code: 1, env: noDB},
		},
		"content": {
			{args: []string{"content", "--help"}, show: []string{"chanjo content lint"}},
			{args: []string{"content", "lint", "--help"}, show: []string{"chanjo content lint"}},
			{args: []string{"content", "lint", "--nope"}, code: 2, show: []string{"chanjo content lint"}},
			{args: []string{"content", "lint", dir}, code: 1},
		},
		"import": {
			{args: []string{"import", "--help"}, show: []string{"Usage: chanjo import roster"}},
			{args: []string{"import", "roster", "--help"}, show: []string{"Usage: chanjo import roster"}},
			{args: []string{"import", "roster", "--nope"}, code: 2, show: []string{"Usage: chanjo import roster"}},
			{args: []string{"import", "roster", filepath.Join(dir, "none.csv")}, code: 1, env: goodDB},
		},
		"assessment": {
			{args: []string{"assessment", "--help"}, show: []string{"assessment open", "assessment exempt", "-from", "-to", "-phone", "-by"}},
			{args: []string{"assessment", "open", "--help"}, show: []string{"-from", "-to"}},
			{args: []string{"assessment", "open", "baseline", "--nope"}, code: 2, show: []string{"Usage: chanjo assessment open"}},
			{args: []string{"assessment", "open", "baseline", "--from", "2026-13-01", "--to", "2099-01-31"}, code: 2,
				show: []string{"--from", "Usage: chanjo assessment open"}, env: goodDB},
			{args: []string{"assessment", "status"}, code: 1, env: noDB},
		},
		"bench": {
			{args: []string{"bench", "--help"}, show: []string{"-url", "-token", "-floor", "-walk", "-phones", "-duration", "-pairs"}},
			{args: []string{"bench", "--walk", "stroll"}, code: 2, show: []string{"--walk", "Usage: chanjo bench"}},
			{args: []string{"bench", "--floor", "http://127.0.0.1:1/ussd", "--pairs", "2"}, code: 2, show: []string{"--pairs", "Usage: chanjo bench"}},
			{args: []string{"bench", "--url", "http://127.0.0.1:1/ussd", "--token", "s3cret-callback-token", "--duration", "1s"}, code: 1,
				show: []string{"no Chanjo service at http://127.0.0.1:1/ussd"}, mustHide: "s3cret-callback-token"},
		},
		"dial": {
			{args: []string{"dial", "--help"}, show: []string{"-phone", "-url", "-token", "-local"}},
			{args: []string{"dial", "--nope"}, code: 2, show: []string{"Usage: chanjo dial"}},
			{args: []string{"dial", "--phone", "12"}, code: 2, show: []string{"--phone", "Usage: chanjo dial"}},
			{args: []string{"dial", "--url", "http://127.0.0.1:1/ussd", "--token", "s3cret-callback-token"}, code: 1,
				show: []string{"no Chanjo service at http://127.0.0.1:1/ussd", "chanjo serve"}, mustHide: "s3cret-callback-token"},
		},
		"fake-gateway": {
			{args: []string{"fake-gateway", "--help"}, show: []string{"-addr", "-api-key", "-callback", "-senders", "-latency"}},
			{args: []string{"fake-gateway", "--nope"}, code: 2, show: []string{"-nope"}},
			{args: []string{"fake-gateway", "--addr", "127.0.0.1:99999"}, code: 1},
		},
		"user": {
			{args: []string{"user", "--help"}, show: []string{"user add NAME", "user unlock NAME", "-role", "-sub-county", "-phone"}},
			{args: []string{"user", "add", "--help"}, show: []string{"-role", "-sub-county", "-phone"}},
			{args: []string{"user", "unlock", "--help"}, show: []string{"Usage: chanjo user unlock"}},
			{args: []string{"user", "add", "amina", "--role", "boss"}, code: 2, show: []string{"--role must be admin or supervisor", "Usage: chanjo user add"}},
			{args: []string{"user", "add", "--nope"}, code: 2, show: []string{"Usage: chanjo user add"}},
			{args: []string{"user", "add", "amina", "--role", "admin"}, code: 1, stdin: "a-long-password\n", env: noDB},
		},
		"token": {
			{args: []string{"token", "--help"}, show: []string{"token create NAME", "-label", "token show"}},
			{args: []string{"token", "create", "--help"}, show: []string{"-label"}},
			{args: []string{"token", "create", "--nope"}, code: 2, show: []string{"Usage: chanjo token create"}},
			{args: []string{"token", "create", "nobody"}, code: 1, show: []string{`no user named "nobody"`}, env: goodDB},
			{args: []string{"token", "show", "--help"}, show: []string{"Usage: chanjo token show"}},
			{args: []string{"token", "show", "--nope"}, code: 2, show: []string{"Usage: chanjo token show"}},
			{args: []string{"token", "show"}, code: 1, env: noDB},
		},
		"backup": {
			{args: []string{"backup", "--help"}, show: []string{"Usage: chanjo backup"}},
			{args: []string{"backup", "--nope"}, code: 2, show: []string{"Usage: chanjo backup"}},
			{args: []string{"backup", filepath.Join(dir, "copy.db")}, code: 1, env: noDB},
		},
		"restore": {
			{args: []string{"restore", "--help"}, show: []string{"Usage: chanjo restore"}},
			{args: []string{"restore", "--nope"}, code: 2, show: []string{"Usage: chanjo restore"}},
			{args: []string{"restore", filepath.Join(dir, "none.db")}, code: 1, env: goodDB},
		},
		"person": {
			{args: []string{"person", "--help"}, show: []string{"person export", "person erase"}},
			{args: []string{"person", "export", "--help"}, show: []string{"-phone", "-format"}},
			{args: []string{"person", "erase", "--help"}, show: []string{"-phone", "-yes"}},
			{args: []string{"person", "export", "--nope"}, code: 2, show: []string{"Usage: chanjo person export"}},
			{args: []string{"person", "export", "--phone", "12", filepath.Join(dir, "her.json")}, code: 2, show: []string{"--phone", "Usage: chanjo person export"}},
			{args: []string{"person", "erase", "--phone", "0711000001", "--yes"}, code: 1, env: noDB},
		},
		"fake-whatsapp": {
			{args: []string{"fake-whatsapp", "--help"}, show: []string{"-addr", "-token", "-app-secret", "-verify-token", "-webhook"}},
			{args: []string{"fake-whatsapp", "--nope"}, code: 2, show: []string{"-nope"}},
			{args: []string{"fake-whatsapp", "--addr", "127.0.0.1:99999"}, code: 1},
		},
		"version": {
			{args: []string{"version", "--help"}, show: []string{"Usage: chanjo version"}},
			{args: []string{"version", "--nope"}, code: 2, show: []string{"Usage: chanjo version"}},
			// version reads only the binary: it has no failure at run time.
		},
	}
	for name := range commands {
		if _, ok := cases[name]; !ok {
			t.Errorf("command %q has no rows in TestCLIExitStatus", name)
		}
	}
	for name, rows := range cases {
		for _, c := range rows {
			t.Run(name+"/"+strings.Join(c.args[1:], " "), func(t *testing.T) {
				checkCLI(t, c)
			})
		}
	}
}

func checkCLI(t *testing.T, c cliCase) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	e := env{getenv: func(k string) string { return c.env[k] }, stdin: strings.NewReader(c.stdin), stdout: &stdout, stderr: &stderr}
	err := run(context.Background(), e, c.args)
	out := stdout.String() + stderr.String()
	if err != nil {
		out += "\n" + err.Error()
	}
	if got := exitCode(err); got != c.code {
		t.Fatalf("chanjo %s: exit %d (%v), want %d; printed:\n%s", strings.Join(c.args, " "), got, err, c.code, out)
	}
	for _, s := range c.show {
		if !strings.Contains(out, s) {
			t.Errorf("chanjo %s printed:\n%s\nwant it to show %q", strings.Join(c.args, " "), out, s)
		}
	}
	if c.mustHide != "" && strings.Contains(out, c.mustHide) {
		t.Errorf("chanjo %s printed the secret %q:\n%s", strings.Join(c.args, " "), c.mustHide, out)
	}
	if c.code == 2 && !slices.ContainsFunc(strings.Split(out, "\n"), func(l string) bool { return strings.Contains(strings.ToLower(l), "usage") }) {
		t.Errorf("chanjo %s: a bad command line printed no usage:\n%s", strings.Join(c.args, " "), out)
	}
}
