package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
)

func TestAssessmentCommand(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "chanjo.db")
	cases := []struct {
		args    string
		wantErr string // "" for success, "usage" for errUsage
		out     string // what stdout contains on success
	}{
		{"assessment open baseline --from 2099-03-01 --to 2099-03-14", "",
			"baseline is open from 2099-03-01 00:00 to 2099-03-14 23:59 (Africa/Nairobi)"},
		{"assessment open --from 2099-05-01 --to 2099-05-01 midline", "", "midline is open from 2099-05-01 00:00 to 2099-05-01 23:59"},
		{"assessment open final --from 2099-03-01 --to 2099-03-14", `unknown assessment form "final": use one of baseline, midline, endline`, ""},
		{"assessment open endline --from 2099-3-1 --to 2099-03-14", `--from "2099-3-1": want a day as YYYY-MM-DD`, ""},
		{"assessment open endline --from 2099-03-01", "--to is required", ""},
		{"assessment open endline --from 2099-03-14 --to 2099-03-01", "--to 2099-03-01 is before --from 2099-03-14", ""},
		{"assessment open endline --from 2020-01-01 --to 2020-01-31", "--to 2020-01-31 is already over", ""},
		{"assessment open --from 2099-03-01 --to 2099-03-14", "usage", ""},
		{"assessment open endline extra --from 2099-03-01 --to 2099-03-14", "usage", ""},
		{"assessment close endline", "assessment endline was never opened: nothing to close", ""},
		{"assessment reopen baseline", "usage", ""},
		{"assessment close baseline", "", "baseline is closed since"},
	}
	for _, c := range cases {
		var stdout, stderr bytes.Buffer
		e := env{getenv: envOf(map[string]string{"DATABASE_URL": dsn}), stdout: &stdout, stderr: &stderr}
		err := run(context.Background(), e, strings.Fields(c.args))
		switch {
		case c.wantErr == "usage":
			if !errors.Is(err, errUsage) || stderr.Len() == 0 {
				t.Errorf("run(%s) = %v, stderr %q; want errUsage with the usage", c.args, err, stderr.String())
			}
		case c.wantErr != "":
			if got := fmt.Sprint(err) + stderr.String(); err == nil || !strings.Contains(got, c.wantErr) {
				t.Errorf("run(%s) = %v, want an error with %q", c.args, err, c.wantErr)
			}
		case err != nil || !strings.Contains(stdout.String(), c.out):
			t.Errorf("run(%s) = %v, printed %q; want %q", c.args, err, stdout.String(), c.out)
		}
	}
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := db.AssessmentWindows(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(got, func(a, b store.Window) int { return strings.Compare(a.Form, b.Form) })
	nairobi := time.FixedZone("EAT", 3*60*60)
	if len(got) != 2 || got[0].Form != "baseline" || !got[0].Opens.Equal(time.Date(2099, 3, 1, 0, 0, 0, 0, nairobi)) ||
		!got[0].Closes.Before(time.Now()) || got[1].Form != "midline" || !got[1].Closes.Equal(time.Date(2099, 5, 2, 0, 0, 0, 0, nairobi)) {
		t.Errorf("windows = %+v, want baseline opened 2099-03-01 EAT and closed now, midline until 2099-05-02 00:00 EAT; nothing else", got)
	}
}

// TestAssessmentStatusAndExempt opens the baseline, then the midline, which
// closes it: the CLI says what is open. A supervisor exempts a nurse who
// missed the baseline.
func TestAssessmentStatusAndExempt(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "chanjo.db")
	nairobi, err := time.LoadLocation("Africa/Nairobi")
	if err != nil {
		t.Fatal(err)
	}
	today := time.Now().In(nairobi).Format(dayLayout)
	later := time.Now().In(nairobi).AddDate(0, 0, 7).Format(dayLayout)
	cmd := func(args string) (string, error) {
		var stdout, stderr bytes.Buffer
		e := env{getenv: envOf(map[string]string{"DATABASE_URL": dsn}), stdout: &stdout, stderr: &stderr}
		err := run(context.Background(), e, strings.Fields(args))
		return stdout.String(), err
	}
	if out, err := cmd("assessment open baseline --from " + today + " --to " + later); err != nil || !strings.Contains(out, "baseline: OPEN") {
		t.Fatalf("open baseline = %v, printed %q; want baseline OPEN", err, out)
	}
	out, err := cmd("assessment open midline --from " + today + " --to " + later)
	if err != nil || !strings.Contains(out, "midline: OPEN") || !strings.Contains(out, "baseline: closed") {
		t.Errorf("open midline = %v, printed %q; want the midline open and the baseline closed", err, out)
	}
	out, err = cmd("assessment status")
	for _, want := range []string{"baseline: closed", "midline: OPEN", "endline: never opened"} {
		if err != nil || !strings.Contains(out, want) {
			t.Errorf("assessment status = %v, printed %q; want %q", err, out, want)
		}
	}
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	w, err := db.Register(context.Background(), store.Registration{Phone: "+254712000009", Name: "Wanjiku", FacilityCode: "12345", Language: "sw", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	if b, err := db.AssessmentBlocker(context.Background(), w.ID, "midline"); err != nil || b != "baseline" {
		t.Fatalf("AssessmentBlocker before the exemption = %q, %v; want baseline", b, err)
	}
	for _, c := range []struct{ args, wantErr string }{
		{"assessment exempt midline --phone 0712000009", "--by is required"},
		{"assessment exempt baseline --phone 0712000009 --by amina", "baseline comes first"},
		{"assessment exempt midline --phone 0799999999 --by amina", "no health worker has the number"},
	} {
		if _, err := cmd(c.args); err == nil || !strings.Contains(err.Error(), c.wantErr) {
			t.Errorf("run(%s) = %v, want %q", c.args, err, c.wantErr)
		}
	}
	out, err = cmd("assessment exempt midline --phone 0712000009 --by amina --reason on-leave")
	if err != nil || !strings.Contains(out, "may take the midline without the baseline") {
		t.Errorf("assessment exempt = %v, printed %q", err, out)
	}
	if b, err := db.AssessmentBlocker(context.Background(), w.ID, "midline"); err != nil || b != "" {
		t.Errorf("AssessmentBlocker after the exemption = %q, %v; want none", b, err)
	}
}
