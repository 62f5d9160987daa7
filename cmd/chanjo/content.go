package main

import (
	"context"
	"fmt"

	"github.com/chanjo-health/chanjo/lessons"
)

// exitStatus is an error that carries only an exit status: the command has
// already said what went wrong.
type exitStatus int

func (s exitStatus) Error() string { return fmt.Sprintf("exit status %d", int(s)) }

func runContent(_ context.Context, e env, args []string) error {
	if wantsHelp(args) {
		lessons.LintMain([]string{"--help"}, e.stdout, e.stderr)
		return nil
	}
	if len(args) == 0 || args[0] != "lint" {
		fmt.Fprintln(e.stderr, "usage: chanjo content lint [DIR]")
		return errUsage
	}
	if code := lessons.LintMain(args[1:], e.stdout, e.stderr); code != 0 {
		return exitStatus(code)
	}
	return nil
}
