package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/chanjo-health/chanjo/phone"
	"github.com/chanjo-health/chanjo/store"
)

const (
	personExportUsage = "person export --phone P [--format json|csv] FILE"
	personEraseUsage  = "person erase --phone P --yes"
)

// runPerson exports or erases everything Chanjo holds about one health
// worker (Kenya Data Protection Act 2019: her right of access and of
// erasure), each audited as done from the command line.
func runPerson(ctx context.Context, e env, args []string) error {
	if wantsHelp(args) {
		fmt.Fprintf(e.stdout, "Usage: chanjo %s\n       chanjo %s\n", personExportUsage, personEraseUsage)
		return nil
	}
	sub := ""
	if len(args) > 0 {
		sub = args[0]
	}
	switch sub {
	case "export":
		return personExport(ctx, e, args[1:])
	case "erase":
		return personErase(ctx, e, args[1:])
	}
	fmt.Fprintf(e.stderr, "Usage: chanjo %s\n       chanjo %s\n", personExportUsage, personEraseUsage)
	return errUsage
}

func personExport(ctx context.Context, e env, args []string) error {
	fs := flags(e, "person export", personExportUsage)
	tel := fs.String("phone", "", "her phone number")
	format := fs.String("format", "json", "json (one document) or csv (a zip of one CSV file per table)")
	file, help, err := nameAndFlags(fs, args)
	if help || err != nil {
		return err
	}
	p, err := phone.Normalize(*tel)
	if err != nil {
		return badUsage(fs, "--phone %q: %v", *tel, err)
	}
	if *format != "json" && *format != "csv" {
		return badUsage(fs, "--format %q: want json or csv", *format)
	}
	return withStore(ctx, e, func(_ Config, db *store.DB) error {
		data, err := db.ExportPerson(ctx, 0, p)
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("no health worker has the number %s", phone.Mask(p))
		} else if err != nil {
			return err
		}
		// Her data: readable by the operator only.
		f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
		if err != nil {
			return fmt.Errorf("person export: %w", err)
		}
		write := data.WriteJSON
		if *format == "csv" {
			write = data.WriteCSVZip
		}
		if err := write(f); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return fmt.Errorf("person export: %w", err)
		}
		rows := 0
		for _, t := range data.Tables {
			rows += len(t.Rows)
		}
		fmt.Fprintf(e.stdout, "%s: %d rows from %d tables written to %s (audited)\n",
			phone.Mask(p), rows, len(data.Tables), file)
		return nil
	})
}

func personErase(ctx context.Context, e env, args []string) error {
	fs := flags(e, "person erase", personEraseUsage)
	tel := fs.String("phone", "", "her phone number")
	yes := fs.Bool("yes", false, "confirm: the erasure cannot be undone")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	p, err := phone.Normalize(*tel)
	if err != nil {
		return badUsage(fs, "--phone %q: %v", *tel, err)
	}
	if !*yes {
		return fmt.Errorf("erasing the data of %s cannot be undone: export it first if it is asked for, then add --yes", phone.Mask(p))
	}
	return withStore(ctx, e, func(_ Config, db *store.DB) error {
		anon, err := db.ErasePerson(ctx, 0, p)
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("no health worker has the number %s", phone.Mask(p))
		} else if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s erased: her name and number are now %s everywhere; her anonymous counts stay (audited)\n",
			phone.Mask(p), anon)
		return nil
	})
}
