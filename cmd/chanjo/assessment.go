package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/store"
)

const (
	assessmentOpenUsage  = "assessment open FORM --from YYYY-MM-DD --to YYYY-MM-DD"
	assessmentCloseUsage = "assessment close FORM"
)

// runAssessment opens or closes the date window of an assessment form, says
// what is open, or exempts a nurse from the form before a later one.
func runAssessment(ctx context.Context, e env, args []string) error {
	sub := ""
	if len(args) > 0 {
		sub = args[0]
	}
	switch sub {
	case "-h", "-help", "--help", "help":
		for _, s := range []string{"open", "close", "status", "exempt"} {
			if err := runAssessment(ctx, e, []string{s, "--help"}); err != nil {
				return err
			}
		}
		fmt.Fprintf(e.stderr, "FORM is one of %s.\n", formList())
		return nil
	case "open":
		return assessmentOpen(ctx, e, args[1:])
	case "close":
		return assessmentClose(ctx, e, args[1:])
	case "status":
		return assessmentStatus(ctx, e, args[1:])
	case "exempt":
		return assessmentExempt(ctx, e, args[1:])
	}
	fmt.Fprintf(e.stderr, "Usage: chanjo %s\n       chanjo %s\n       chanjo %s\n       chanjo %s\nFORM is one of %s.\n",
		assessmentOpenUsage, assessmentCloseUsage, assessmentStatusUsage, assessmentExemptUsage, formList())
	return errUsage
}

func assessmentOpen(ctx context.Context, e env, args []string) error {
	fs := flags(e, "assessment open", assessmentOpenUsage+"\nDates are days in CHANJO_TZ; --to is the last day, included.")
	fromArg := fs.String("from", "", "first day of the window, YYYY-MM-DD")
	toArg := fs.String("to", "", "last day of the window (included), YYYY-MM-DD")
	form, help, err := formAndFlags(fs, args)
	if help || err != nil {
		return err
	}
	return withStore(ctx, e, func(cfg Config, db *store.DB) error {
		from, to, err := window(*fromArg, *toArg, cfg.TZ, time.Now())
		if err != nil {
			return badUsage(fs, "%v", err)
		}
		if err := db.OpenAssessment(ctx, form, from, to); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s is open from %s to %s (%s); each nurse takes it once, after the form before it.\n",
			form, from.In(cfg.TZ).Format(minuteLayout), to.Add(-time.Minute).In(cfg.TZ).Format(minuteLayout), cfg.TZ)
		ws, err := db.AssessmentWindows(ctx)
		if err != nil {
			return err
		}
		printWindows(e.stdout, ws, cfg.TZ, time.Now())
		return nil
	})
}

func assessmentClose(ctx context.Context, e env, args []string) error {
	form, help, err := formAndFlags(flags(e, "assessment close", assessmentCloseUsage), args)
	if help || err != nil {
		return err
	}
	return withStore(ctx, e, func(cfg Config, db *store.DB) error {
		w, err := db.CloseAssessment(ctx, form)
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("assessment %s was never opened: nothing to close", form)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s is closed since %s (%s): nurses can no longer start it.\n",
			form, w.Closes.In(cfg.TZ).Format(minuteLayout), cfg.TZ)
		return nil
	})
}

const (
	dayLayout    = "2006-01-02"
	minuteLayout = "2006-01-02 15:04"
)

// formAndFlags reads "FORM [flags]" or "[flags] FORM" and checks the form.
func formAndFlags(fs *flag.FlagSet, args []string) (string, bool, error) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return "", true, nil
		}
		return "", false, errUsage
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(fs.Output(), "missing FORM: one of "+formList())
		fs.Usage()
		return "", false, errUsage
	}
	form := fs.Arg(0)
	if help, err := parse(fs, fs.Args()[1:]); help || err != nil {
		return "", help, err
	}
	if !slices.Contains(lessons.Assessments, lessons.Form(form)) {
		return "", false, badUsage(fs, "unknown assessment form %q: use one of %s", form, formList())
	}
	return form, false, nil
}

func formList() string {
	names := make([]string, len(lessons.Assessments))
	for i, f := range lessons.Assessments {
		names[i] = string(f)
	}
	return strings.Join(names, ", ")
}

// window returns the start of day from and the end of day to, in loc,
// checking that the window is not empty and not already over at now.
func window(fromArg, toArg string, loc *time.Location, now time.Time) (time.Time, time.Time, error) {
	from, err := day("--from", fromArg, loc)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	last, err := day("--to", toArg, loc)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	to := last.AddDate(0, 0, 1)
	switch {
	case last.Before(from):
		return time.Time{}, time.Time{}, fmt.Errorf("--to %s is before --from %s", toArg, fromArg)
	case !to.After(now):
		return time.Time{}, time.Time{}, fmt.Errorf("--to %s is already over: the window would never be open", toArg)
	}
	return from, to, nil
}

func day(flagName, s string, loc *time.Location) (time.Time, error) {
	if s == "" {
		return time.Time{}, fmt.Errorf("%s is required: a day as YYYY-MM-DD", flagName)
	}
	t, err := time.ParseInLocation(dayLayout, s, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s %q: want a day as YYYY-MM-DD, such as 2026-03-02", flagName, s)
	}
	return t, nil
}
