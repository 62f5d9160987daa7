// Command chanjo is the Chanjo service and its tools: one binary whose
// subcommands serve the USSD and SMS callbacks, the console and the API, and
// run the operator's tasks. main is the only place that wires packages together.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…"; without it
// the build's own VCS stamp names the revision (see buildVersion).
var version = "dev"

// env is what a command sees of the world, so tests can run commands
// without touching the process's environment or terminal.
type env struct {
	getenv         func(string) string
	stdin          io.Reader
	stdout, stderr io.Writer
}

type command struct {
	summary string
	run     func(ctx context.Context, e env, args []string) error
}

// commands lists the subcommands; each parses its own flags.
var commands = map[string]command{
	"serve":        {"run the service: USSD and SMS callbacks, console, API, background workers", runServe},
	"migrate":      {"apply the database migrations and exit", runMigrate},
	"content":      {"content lint [DIR]: check a content pack, every problem with file and line", runContent},
	"import":       {"import roster FILE.csv: enrol workers, facilities, mentor pairs and groups from a roster", runImport},
	"assessment":   {"assessment open FORM --from DATE --to DATE, close FORM, status, exempt FORM: when nurses may take it", runAssessment},
	"bench":        {"bench [--url URL --token T] [--floor URL]: drive the USSD walks with 50 phones, print hops/s, p50 and p99", runBench},
	"dial":         {"dial [--phone +2547...] [--url URL --token T | --local]: a terminal phone on the USSD service", runDial},
	"fake-gateway": {"run a fake Africa's Talking gateway for local demos (--addr, --callback, --latency)", runFakeGateway},
	"user":         {"user add NAME --role admin|supervisor [--sub-county X]... [--phone +254...]: a console user; user unlock NAME: lift her login throttle", runUser},
	"person":       {"person export --phone P [--format json|csv] FILE, person erase --phone P --yes: one health worker's data", runPerson},
	"token":        {"token create NAME: an API token for the user, printed once; token show: the gateway callback token again", runToken},
	"backup":       {"backup FILE: a consistent copy of the SQLite database while the service runs, with its row counts", runBackup},
	"restore":      {"restore FILE: put a backup in place of the SQLite database (every instance stopped)", runRestore},
	"version":      {"print the version", runVersion},

	// The WhatsApp channel (issue 18).
	"fake-whatsapp": {"run a fake WhatsApp Cloud API for local demos (--addr, --webhook, --templates)", runFakeWhatsApp},
}

// errUsage marks an error in the command line, answered with exit status 2.
var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	e := env{getenv: os.Getenv, stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}
	err := run(ctx, e, os.Args[1:])
	code := exitCode(err)
	if code == 1 {
		// One line the operator can act on, never a stack trace.
		fmt.Fprintf(os.Stderr, "chanjo: %s\n", strings.Join(strings.Fields(err.Error()), " "))
	}
	os.Exit(code)
}

// exitCode is the process's exit status for run's error, by the usual
// convention: 0 success (--help included), 2 a bad command line (the command
// has printed what is wrong and its usage), 1 a failure at run time, or the
// status a command chose after saying what went wrong itself.
func exitCode(err error) int {
	var status exitStatus
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errUsage):
		return 2
	case errors.As(err, &status):
		return int(status)
	}
	return 1
}

func run(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(e.stdout)
		return nil
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "chanjo: unknown command %q\n\n", args[0])
		usage(e.stderr)
		return errUsage
	}
	return cmd.run(ctx, e, args[1:])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Chanjo: USSD and SMS learning for immunization nurses.\n\nUsage: chanjo COMMAND [flags]   (chanjo COMMAND --help for its flags)\n\nCommands:")
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "  %-16s %s\n", name, commands[name].summary)
	}
	fmt.Fprintln(w, "  help             show this list\n\nSettings come from the environment; see the README's configuration table.")
}

// wantsHelp reports whether args ask for help before naming a subcommand:
// chanjo user --help shows every subcommand's usage and exits 0.
func wantsHelp(args []string) bool {
	return len(args) > 0 && slices.Contains([]string{"-h", "-help", "--help", "help"}, args[0])
}

// badUsage says in one line what is wrong with the command line, then shows
// the command's usage; main exits with status 2.
func badUsage(fs *flag.FlagSet, format string, a ...any) error {
	fmt.Fprintf(fs.Output(), "chanjo %s: %s\n", fs.Name(), fmt.Sprintf(format, a...))
	fs.Usage()
	return errUsage
}

func runVersion(_ context.Context, e env, args []string) error {
	if help, err := parse(flags(e, "version", "version"), args); help || err != nil {
		return err
	}
	info, _ := debug.ReadBuildInfo()
	fmt.Fprintf(e.stdout, "chanjo %s (%s)\n", buildVersion(version, info), runtime.Version())
	return nil
}

// buildVersion names the build: the version set by the linker when there is
// one, else the revision, commit time and "modified" that go build stamps
// into a binary built from a git checkout, so an operator can always tell
// which code runs. go run and tests carry no stamp: "dev".
func buildVersion(linked string, info *debug.BuildInfo) string {
	if linked != "dev" || info == nil {
		return linked
	}
	var rev, at string
	modified := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if rev == "" {
		return linked
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	v := rev
	if at != "" {
		v += " " + at
	}
	if modified {
		v += " modified"
	}
	return v
}
