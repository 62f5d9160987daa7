package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/chanjo-health/chanjo/admin"
	"github.com/chanjo-health/chanjo/store"
)

// The synopses of the account commands beside `user add` and `user unlock`.
const (
	userListSynopsis   = "user list"
	userToggleSynopsis = "user disable|enable NAME"
	userResetSynopsis  = "user reset NAME (the new password from a prompt or stdin)"
	userSetSynopsis    = "user set NAME --role admin|supervisor [--sub-county X]..."
	tokenListSynopsis  = "token list [NAME]"
	tokenRevokeSynopis = "token revoke ID"
)

// runUserAccount runs the user subcommands that manage an existing account;
// ok is false for a subcommand it does not know.
func runUserAccount(ctx context.Context, e env, sub string, args []string) (ok bool, err error) {
	switch sub {
	case "list":
		return true, runUserList(ctx, e, args)
	case "disable", "enable":
		return true, runUserToggle(ctx, e, sub, args)
	case "reset":
		return true, runUserReset(ctx, e, args)
	case "set":
		return true, runUserSet(ctx, e, args)
	}
	return false, nil
}

func runUserList(ctx context.Context, e env, args []string) error {
	if help, err := parse(flags(e, "user list", userListSynopsis), args); help || err != nil {
		return err
	}
	return withStore(ctx, e, func(_ Config, db *store.DB) error {
		users, err := db.Users(ctx)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "NAME\tROLE\tSUB-COUNTIES\tPHONE\tSTATE")
		for _, u := range users {
			state := "active"
			if u.DisabledAt.Valid {
				state = "disabled " + u.DisabledAt.Time.UTC().Format(time.DateOnly)
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", u.Name, u.Role, orDash(strings.Join(u.SubCounties, ", ")), orDash(u.Phone.String), state)
		}
		return w.Flush()
	})
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// userNamed opens the store and runs fn with the user called name.
func userNamed(ctx context.Context, e env, cmd, name string, fn func(db *store.DB, u store.User) error) error {
	return withStore(ctx, e, func(_ Config, db *store.DB) error {
		u, err := db.UserByName(ctx, name)
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("%s: no user named %q (chanjo user list shows them)", cmd, name)
		} else if err != nil {
			return err
		}
		return fn(db, u)
	})
}

func runUserToggle(ctx context.Context, e env, sub string, args []string) error {
	fs := flags(e, "user "+sub, userToggleSynopsis)
	name, help, err := nameAndFlags(fs, args)
	if help || err != nil {
		return err
	}
	disable := sub == "disable"
	return userNamed(ctx, e, "user "+sub, name, func(db *store.DB, u store.User) error {
		if err := db.SetUserDisabled(ctx, 0, u.ID, disable); err != nil {
			return err
		}
		if disable {
			fmt.Fprintf(e.stdout, "user %s disabled: logged out, cannot log in, her API tokens refused\n", u.Name)
		} else {
			fmt.Fprintf(e.stdout, "user %s enabled: she can log in again\n", u.Name)
		}
		return nil
	})
}

func runUserReset(ctx context.Context, e env, args []string) error {
	fs := flags(e, "user reset", userResetSynopsis)
	name, help, err := nameAndFlags(fs, args)
	if help || err != nil {
		return err
	}
	return userNamed(ctx, e, "user reset", name, func(db *store.DB, u store.User) error {
		pw, err := readPassword(e)
		if err != nil {
			return err
		}
		hash, err := admin.HashPassword(pw)
		if err != nil {
			return fmt.Errorf("user reset: %w", err)
		}
		if err := db.SetPassword(ctx, 0, u.ID, hash); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "user %s: new password set; she is logged out everywhere\n", u.Name)
		return nil
	})
}

func runUserSet(ctx context.Context, e env, args []string) error {
	fs := flags(e, "user set", userSetSynopsis)
	role := fs.String("role", "", "admin (sees everything) or supervisor (sees her sub-counties)")
	var subCounties listFlag
	fs.Var(&subCounties, "sub-county", "a sub-county of the roster she covers (repeat for several); replaces her list")
	name, help, err := nameAndFlags(fs, args)
	if help || err != nil {
		return err
	}
	return userNamed(ctx, e, "user set", name, func(db *store.DB, u store.User) error {
		known, err := db.RosterSubCounties(ctx)
		if err != nil {
			return err
		}
		scs, msg := admin.AccessProblem(*role, subCounties, known)
		if msg != "" {
			return fmt.Errorf("user set: %s", msg)
		}
		if err := db.SetUserAccess(ctx, 0, u.ID, *role, scs); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "user %s: %s\n", u.Name, describe(store.NewUser{Role: *role, SubCounties: scs}))
		return nil
	})
}

// rosterSubCounties gives u the roster's spelling of her sub-counties, or
// refuses one the roster lacks, naming the closest.
func rosterSubCounties(ctx context.Context, db *store.DB, u *store.NewUser) error {
	known, err := db.RosterSubCounties(ctx)
	if err != nil {
		return err
	}
	scs, err := admin.PickSubCounties(known, u.SubCounties)
	if err != nil {
		return fmt.Errorf("user add: --sub-county %w", err)
	}
	u.SubCounties = scs
	return nil
}

// runTokenAccount runs the token subcommands beside create; ok is false for
// one it does not know.
func runTokenAccount(ctx context.Context, e env, sub string, args []string) (ok bool, err error) {
	switch sub {
	case "list":
		return true, runTokenList(ctx, e, args)
	case "revoke":
		return true, runTokenRevoke(ctx, e, args)
	}
	return false, nil
}

func runTokenList(ctx context.Context, e env, args []string) error {
	var name string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	if help, err := parse(flags(e, "token list", tokenListSynopsis), args); help || err != nil {
		return err
	}
	return withStore(ctx, e, func(_ Config, db *store.DB) error {
		tokens, err := db.Tokens(ctx, name)
		if err != nil {
			return err
		}
		now := db.Now()
		w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "ID\tUSER\tLABEL\tCREATED\tLAST USED\tEXPIRES\tSTATE")
		for _, t := range tokens {
			fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.UserName, t.Name, t.CreatedAt.UTC().Format(time.DateOnly),
				orDash(dateOf(t.LastUsedAt.Time, t.LastUsedAt.Valid)), orDash(dateOf(t.ExpiresAt.Time, t.ExpiresAt.Valid)), t.State(now))
		}
		return w.Flush()
	})
}

func dateOf(t time.Time, ok bool) string {
	if !ok {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

func runTokenRevoke(ctx context.Context, e env, args []string) error {
	fs := flags(e, "token revoke", tokenRevokeSynopis)
	arg, help, err := nameAndFlags(fs, args)
	if help || err != nil {
		return err
	}
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil || id <= 0 {
		return fmt.Errorf("token revoke: %q is not a token id (chanjo token list shows them)", arg)
	}
	return withStore(ctx, e, func(_ Config, db *store.DB) error {
		t, err := db.RevokeToken(ctx, 0, id)
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("token revoke: no token %d (chanjo token list shows them)", id)
		} else if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "token %d (%s of %s) revoked: the API refuses it from now on\n", t.ID, t.Name, t.UserName)
		return nil
	})
}

// parseExpiry reads --expires: days ("90d") or a Go duration ("12h"); ""
// is never.
func parseExpiry(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil || days <= 0 {
			return 0, fmt.Errorf("token create: --expires %q: want days such as 90d, or a duration such as 12h", s)
		}
		return time.Duration(days) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("token create: --expires %q: want days such as 90d, or a duration such as 12h", s)
	}
	return d, nil
}
