package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/chanjo-health/chanjo/phone"
	"github.com/chanjo-health/chanjo/store"
)

const (
	assessmentStatusUsage = "assessment status"
	assessmentExemptUsage = "assessment exempt FORM --phone +254… --by NAME [--reason TEXT]"
)

// assessmentStatus says, form by form, what is open now, what is scheduled
// and what has closed.
func assessmentStatus(ctx context.Context, e env, args []string) error {
	if help, err := parse(flags(e, "assessment status", assessmentStatusUsage), args); help || err != nil {
		return err
	}
	return withStore(ctx, e, func(cfg Config, db *store.DB) error {
		ws, err := db.AssessmentWindows(ctx)
		if err != nil {
			return err
		}
		printWindows(e.stdout, ws, cfg.TZ, time.Now())
		return nil
	})
}

// printWindows writes one line per form: open, scheduled, closed or never
// opened. At most one form is open: opening one closes the others.
func printWindows(w io.Writer, ws []store.Window, tz *time.Location, now time.Time) {
	byForm := map[string]store.Window{}
	for _, x := range ws {
		byForm[x.Form] = x
	}
	for _, form := range []string{store.FormBaseline, store.FormMidline, store.FormEndline} {
		x, ok := byForm[form]
		opens, last := x.Opens.In(tz).Format(minuteLayout), x.Closes.Add(-time.Minute).In(tz).Format(minuteLayout)
		if !ok {
			fmt.Fprintf(w, "%s: never opened\n", form)
			continue
		}
		switch x.State(now) {
		case store.WindowNever:
			fmt.Fprintf(w, "%s: closed before it opened (another form was opened)\n", form)
		case store.WindowScheduled:
			fmt.Fprintf(w, "%s: scheduled from %s to %s (%s)\n", form, opens, last, tz)
		case store.WindowOpen:
			fmt.Fprintf(w, "%s: OPEN from %s to %s (%s)\n", form, opens, last, tz)
		default:
			fmt.Fprintf(w, "%s: closed since %s (%s)\n", form, x.Closes.In(tz).Format(minuteLayout), tz)
		}
	}
}

// assessmentExempt records that a nurse may take a later form without the
// one before it (she was on leave, or joined late).
func assessmentExempt(ctx context.Context, e env, args []string) error {
	fs := flags(e, "assessment exempt", assessmentExemptUsage)
	tel := fs.String("phone", "", "the nurse's phone number")
	by := fs.String("by", "", "the supervisor who records the exemption")
	reason := fs.String("reason", "", "why, for the record")
	form, help, err := formAndFlags(fs, args)
	if help || err != nil {
		return err
	}
	p, err := phone.Normalize(*tel)
	switch {
	case err != nil:
		return fmt.Errorf("--phone %q: %w", *tel, err)
	case *by == "":
		return errors.New("--by is required: who records the exemption")
	}
	return withStore(ctx, e, func(cfg Config, db *store.DB) error {
		err := db.ExemptAssessment(ctx, p, form, *by, *reason)
		switch {
		case errors.Is(err, store.ErrNotFound):
			return fmt.Errorf("no health worker has the number %s", phone.Mask(p))
		case errors.Is(err, store.ErrNoPredecessor):
			return fmt.Errorf("%s comes first: nobody is exempted from it", form)
		case err != nil:
			return err
		}
		fmt.Fprintf(e.stdout, "%s may take the %s without the %s (recorded by %s).\n",
			phone.Mask(p), form, store.Predecessor(form), *by)
		return nil
	})
}
