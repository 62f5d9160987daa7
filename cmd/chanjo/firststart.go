package main

import (
	"context"
	"fmt"
	"io"
	"net"
)

// callbackPaths are the gateway's callbacks, in the order its settings ask for them.
var callbackPaths = []struct{ name, path string }{
	{"USSD", "/ussd"},
	{"USSD end of session", "/ussd/events"},
	{"SMS incoming", "/sms/inbound"},
	{"SMS delivery", "/sms/delivery"},
	{"SMS opt-out", "/sms/optout"},
}

// printFirstStart tells the operator of a new database what to do next: open
// the console, create the first admin, try the demo, and enter the callback
// URLs at the gateway. It runs once, when the callback token is generated.
func printFirstStart(out io.Writer, cfg Config, token string) {
	fmt.Fprintf(out, "First start on this database. Next steps:\n"+
		"  1. Create the first admin (asks for a password): chanjo user add NAME --role admin\n"+
		"     (from the source: go run ./cmd/chanjo user add NAME --role admin)\n"+
		"  2. Open the console: %s/admin\n"+
		"  3. To try it on demo data (a facility, a mentor, 100 nurses), stop with Ctrl-C and run: chanjo serve --demo\n",
		consoleBase(cfg))
	fmt.Fprintln(out, "Generated the gateway callback token; it is kept in the database and chanjo token show prints it again.")
	printCallbackURLs(out, cfg, token)
}

// printCallbackURLs lists the URLs to enter at the gateway, on CHANJO_PUBLIC_URL
// when it is set.
func printCallbackURLs(out io.Writer, cfg Config, token string) {
	base := cfg.PublicURL
	if base == "" {
		base = "https://YOUR-HOST"
	}
	fmt.Fprintln(out, "Enter these callback URLs at the gateway (Africa's Talking):")
	for _, c := range callbackPaths {
		fmt.Fprintf(out, "  %-20s %s%s?token=%s\n", c.name+":", base, c.path, token)
	}
	if cfg.PublicURL == "" {
		fmt.Fprintln(out, "  (set CHANJO_PUBLIC_URL to the address the gateway reaches, and these show it)")
	}
}

// consoleBase is where a person on this machine, or anyone when
// CHANJO_PUBLIC_URL is set, opens the console.
func consoleBase(cfg Config) string {
	if cfg.PublicURL != "" {
		return cfg.PublicURL
	}
	host, port, _ := net.SplitHostPort(cfg.Addr)
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

const tokenShowSynopsis = "token show"

// runTokenShow prints the gateway callback token again, from CALLBACK_TOKEN
// or the database. Whoever can run it can read the database, which holds
// everything else too, so it asks for nothing more.
func runTokenShow(ctx context.Context, e env, args []string) error {
	if help, err := parse(flags(e, "token show", tokenShowSynopsis), args); help || err != nil {
		return err
	}
	cfg, err := loadConfig(e.getenv)
	if err != nil {
		return err
	}
	token, err := localToken(ctx, cfg)
	if err != nil {
		return fmt.Errorf("token show: %w", err)
	}
	fmt.Fprintln(e.stdout, token)
	fmt.Fprintln(e.stderr, "The gateway callback token, from CALLBACK_TOKEN or the database: only operators with access to the database can print it.")
	printCallbackURLs(e.stderr, cfg, token)
	return nil
}
