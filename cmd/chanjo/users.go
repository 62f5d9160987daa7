package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/chanjo-health/chanjo/admin"
	"github.com/chanjo-health/chanjo/phone"
	"github.com/chanjo-health/chanjo/store"
)

// listFlag is a flag that may be repeated: --sub-county A --sub-county B.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	if v = strings.TrimSpace(v); v == "" {
		return errors.New("must not be empty")
	}
	*l = append(*l, v)
	return nil
}

// nameAndFlags parses "NAME [flags]" or "[flags] NAME": exactly one name.
func nameAndFlags(fs *flag.FlagSet, args []string) (name string, help bool, err error) {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return "", true, nil
		}
		return "", false, errUsage
	}
	if name == "" && fs.NArg() > 0 {
		name = fs.Arg(0)
		if err := fs.Parse(fs.Args()[1:]); err != nil {
			return "", false, errUsage
		}
	}
	if name == "" || fs.NArg() > 0 {
		fs.Usage()
		return "", false, errUsage
	}
	return name, false, nil
}

func runUser(ctx context.Context, e env, args []string) error {
	const synopsis = "user add NAME --role admin|supervisor [--sub-county X]... [--phone +254...]"
	ctx = store.WithSource(ctx, store.SourceCLI)
	if len(args) > 0 && args[0] == "unlock" {
		return runUserUnlock(ctx, e, args[1:])
	}
	if wantsHelp(args) {
		runUser(ctx, e, []string{"add", "--help"})
		return runUserUnlock(ctx, e, []string{"--help"})
	}
	if len(args) > 0 {
		if ok, err := runUserAccount(ctx, e, args[0], args[1:]); ok {
			return err
		}
	}
	if len(args) == 0 || args[0] != "add" {
		fmt.Fprintf(e.stderr, "Usage: chanjo %s\n       chanjo %s\n", synopsis, unlockSynopsis)
		for _, s := range []string{userListSynopsis, userToggleSynopsis, userResetSynopsis, userSetSynopsis} {
			fmt.Fprintf(e.stderr, "       chanjo %s\n", s)
		}
		return errUsage
	}
	fs := flags(e, "user add", synopsis)
	role := fs.String("role", "", "admin (sees everything) or supervisor (sees her sub-counties)")
	tel := fs.String("phone", "", "her phone, to broadcast by SMS from a basic phone")
	var subCounties listFlag
	fs.Var(&subCounties, "sub-county", "a sub-county she covers (repeat for several)")
	name, help, err := nameAndFlags(fs, args[1:])
	if help || err != nil {
		return err
	}
	u := store.NewUser{Name: name, Role: *role, SubCounties: subCounties}
	if err := checkUser(&u, *tel); err != nil {
		return badUsage(fs, "%v", err)
	}
	pw, err := readPassword(e)
	if err != nil {
		return err
	}
	if u.PasswordHash, err = admin.HashPassword(pw); err != nil {
		return err
	}
	return withStore(ctx, e, func(_ Config, db *store.DB) error {
		if err := rosterSubCounties(ctx, db, &u); err != nil {
			return err
		}
		if _, err := db.CreateUser(ctx, u); errors.Is(err, store.ErrExists) {
			return fmt.Errorf("user add: a user with this name or phone already exists")
		} else if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "user %s added: %s\n", u.Name, describe(u))
		return nil
	})
}

// checkUser validates the command line's user and normalises her phone.
func checkUser(u *store.NewUser, tel string) error {
	switch {
	case u.Role != store.RoleAdmin && u.Role != store.RoleSupervisor:
		return fmt.Errorf("--role must be admin or supervisor")
	case u.Role == store.RoleSupervisor && len(u.SubCounties) == 0:
		return fmt.Errorf("a supervisor needs at least one --sub-county")
	case u.Role == store.RoleAdmin && len(u.SubCounties) > 0:
		return fmt.Errorf("an admin sees every sub-county; --sub-county is for supervisors")
	}
	if tel != "" {
		p, err := phone.Normalize(tel)
		if err != nil {
			return fmt.Errorf("--phone: %w", err)
		}
		u.Phone = p
	}
	return nil
}

func describe(u store.NewUser) string {
	s := u.Role
	if len(u.SubCounties) > 0 {
		s += " of " + strings.Join(u.SubCounties, ", ")
	}
	if u.Phone != "" {
		s += ", phone " + u.Phone
	}
	return s
}

// readPassword asks twice, without echo, on a terminal; otherwise it reads
// the first line of stdin (for scripts: echo "$PW" | chanjo user add …).
func readPassword(e env) (string, error) {
	if f, ok := e.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprintf(e.stderr, "Password (at least %d characters): ", admin.MinPasswordLen)
		pw, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		fmt.Fprint(e.stderr, "Again: ")
		again, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		if string(pw) != string(again) {
			return "", errors.New("the two passwords differ")
		}
		return string(pw), nil
	}
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func runToken(ctx context.Context, e env, args []string) error {
	const synopsis = "token create NAME [--label TEXT] [--expires 90d]"
	ctx = store.WithSource(ctx, store.SourceCLI)
	if wantsHelp(args) {
		runToken(ctx, e, []string{"create", "--help"})
		return runTokenShow(ctx, e, []string{"--help"})
	}
	if len(args) > 0 && args[0] == "show" {
		return runTokenShow(ctx, e, args[1:])
	}
	if len(args) > 0 {
		if ok, err := runTokenAccount(ctx, e, args[0], args[1:]); ok {
			return err
		}
	}
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprintf(e.stderr, "Usage: chanjo %s\n       chanjo %s\n       chanjo %s\n       chanjo %s\n", synopsis, tokenListSynopsis, tokenRevokeSynopis, tokenShowSynopsis)
		return errUsage
	}
	fs := flags(e, "token create", synopsis)
	label := fs.String("label", "cli", "what the token is for, kept with it")
	expires := fs.String("expires", "", "refuse the token after this long: days (90d) or a duration (12h); default never")
	name, help, err := nameAndFlags(fs, args[1:])
	if help || err != nil {
		return err
	}
	ttl, err := parseExpiry(*expires)
	if err != nil {
		return err
	}
	return withStore(ctx, e, func(_ Config, db *store.DB) error {
		u, err := db.UserByName(ctx, name)
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("token create: no user named %q (chanjo user add first)", name)
		} else if err != nil {
			return err
		}
		token, hash := admin.NewToken()
		var until time.Time
		if ttl > 0 {
			until = db.Now().Add(ttl)
		}
		if err := db.CreateTokenExpiring(ctx, u.ID, *label, hash, until); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s\n", token)
		fmt.Fprintf(e.stderr, "API token of %s: shown only now; send it as Authorization: Bearer TOKEN. It sees what %s sees.\n", u.Name, u.Name)
		return nil
	})
}
