package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"

	"golang.org/x/term"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/roster"
	"github.com/chanjo-health/chanjo/store"
)

const importSynopsis = `import roster FILE.csv

Enrols health workers, facilities, mentor pairs and groups from a roster
(format: docs/roster.md). Each bad row is printed as FILE:LINE: reason and
nothing of it is applied; the good rows are applied in one transaction.
Importing the same file again changes nothing. The exit status is 1 when any
row was rejected, even though the good rows were applied.`

func runImport(ctx context.Context, e env, args []string) error {
	if wantsHelp(args) {
		return runImport(ctx, e, []string{"roster", "--help"})
	}
	if len(args) == 0 || args[0] != "roster" {
		fmt.Fprintf(e.stderr, "Usage: chanjo %s\n", importSynopsis)
		return errUsage
	}
	fs := flags(e, "import roster", importSynopsis)
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return errUsage
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	return importRoster(ctx, e, fs.Arg(0))
}

// importRoster parses the file, applies its good rows and reports.
func importRoster(ctx context.Context, e env, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("import roster: %w", err)
	}
	defer f.Close()
	cfg, err := loadConfig(e.getenv)
	if err != nil {
		return err
	}
	pack, err := loadPack(cfg)
	if err != nil {
		return err
	}
	rows, parsed := roster.Parse(f, pack.LanguageCodes())
	var res store.RosterResult
	var problems []store.RowProblem
	if len(rows) > 0 {
		if res, problems, err = applyRows(ctx, e, pack, rows); err != nil {
			return err
		}
	}
	for _, p := range parsed {
		problems = append(problems, store.RowProblem(p))
	}
	sort.SliceStable(problems, func(i, j int) bool { return problems[i].Line < problems[j].Line })
	for _, p := range problems {
		fmt.Fprintf(e.stdout, "%s:%d: %s\n", path, p.Line, p.Reason)
	}
	fmt.Fprintln(e.stdout, summary(res, len(problems)))
	if len(problems) > 0 {
		return exitStatus(1)
	}
	return nil
}

// applyRows applies the good rows to the configured database, showing
// progress on a terminal.
func applyRows(ctx context.Context, e env, pack *lessons.Pack, rows []roster.Row) (res store.RosterResult, problems []store.RowProblem, err error) {
	entries := rows
	err = withStore(ctx, e, func(_ Config, db *store.DB) error {
		progress := progressLine(e.stdout)
		res, problems, err = db.ApplyRoster(ctx, entries, progress)
		if progress != nil {
			progress(-1, 0)
		}
		if err != nil {
			return fmt.Errorf("import roster: %w", err)
		}
		if len(pack.Settings.PrivacyNotice) == 0 {
			return nil // no notice in this pack: they stay due until one has it
		}
		if _, err := db.QueuePrivacyNotices(ctx, pack.Settings.PrivacyNotice); err != nil {
			return fmt.Errorf("import roster: privacy notices (importing again sends them): %w", err)
		}
		return nil
	})
	return res, problems, err
}

// progressLine returns a progress reporter that rewrites one line of a
// terminal ("applied 2000/10000 rows"), or nil when w is not a terminal, so
// logs and pipes get only the summary. done < 0 clears the line.
func progressLine(w io.Writer) func(done, total int) {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return func(done, total int) {
		if done < 0 {
			fmt.Fprint(w, "\r\033[K")
			return
		}
		fmt.Fprintf(w, "\rapplied %d/%d rows", done, total)
	}
}

// summary is the last line of an import.
func summary(r store.RosterResult, rejected int) string {
	return fmt.Sprintf("%s applied: %s created, %d updated; %s created, %d updated, %d unchanged; "+
		"%s created, %d replaced; %s created, %s added; %s rejected",
		count(r.Applied(), "row", "rows"), count(r.FacilitiesCreated, "facility", "facilities"), r.FacilitiesUpdated,
		count(r.Created, "worker", "workers"), r.Updated, r.Unchanged,
		count(r.PairsCreated, "mentor pair", "mentor pairs"), r.PairsReplaced,
		count(r.GroupsCreated, "group", "groups"), count(r.MembershipsAdded, "membership", "memberships"),
		count(rejected, "row", "rows"))
}

// count is n with its noun, singular for exactly one: "1 row", "0 rows".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
