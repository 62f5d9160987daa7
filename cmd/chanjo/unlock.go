package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/chanjo-health/chanjo/admin"
	"github.com/chanjo-health/chanjo/store"
)

const unlockSynopsis = "user unlock NAME"

// runUserUnlock lifts every login throttle of a console user, from every
// address, for a supervisor who must get in before her waits end. The
// audit log records it as done from the command line.
func runUserUnlock(ctx context.Context, e env, args []string) error {
	fs := flags(e, "user unlock", unlockSynopsis)
	name, help, err := nameAndFlags(fs, args)
	if help || err != nil {
		return err
	}
	return withStore(ctx, e, func(_ Config, db *store.DB) error {
		u, err := db.UserByName(ctx, name)
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("user unlock: no user named %q", name)
		} else if err != nil {
			return err
		}
		n, err := db.UnlockLogin(ctx, 0, admin.AccountKey(u.Name), "command line")
		if err != nil {
			return err
		}
		if n == 0 {
			fmt.Fprintf(e.stdout, "user %s: no login was held back\n", u.Name)
			return nil
		}
		fmt.Fprintf(e.stdout, "user %s: login throttle lifted; she can log in now\n", u.Name)
		return nil
	})
}
