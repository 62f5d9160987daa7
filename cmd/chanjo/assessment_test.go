package main

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chanjo/store"
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
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
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
	var got []store.Window
	if err := db.Select(&got, `SELECT form, opens_at, closes_at FROM assessment_windows ORDER BY form`); err != nil {
		t.Fatal(err)
	}
	nairobi := time.FixedZone("EAT", 3*60*60)
	if len(got) != 2 || got[0].Form != "baseline" || !got[0].Opens.Equal(time.Date(2099, 3, 1, 0, 0, 0, 0, nairobi)) ||
		!got[0].Closes.Before(time.Now()) || got[1].Form != "midline" || !got[1].Closes.Equal(time.Date(2099, 5, 2, 0, 0, 0, 0, nairobi)) {
		t.Errorf("windows = %+v, want baseline opened 2099-03-01 EAT and closed now, midline until 2099-05-02 00:00 EAT; nothing else", got)
	}
}
