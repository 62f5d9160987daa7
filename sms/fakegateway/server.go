package fakegateway

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"
)

// DefaultAddr is where chanjo fake-gateway listens unless told otherwise.
const DefaultAddr = "127.0.0.1:8090"

// Config is the command line of chanjo fake-gateway.
type Config struct {
	Addr     string
	APIKey   string
	Callback string
	Senders  []string
	Latency  time.Duration
}

// ParseFlags reads the fake-gateway flags from args (without the command name),
// writing usage and flag errors to usage.
func ParseFlags(args []string, usage io.Writer) (Config, error) {
	cfg := Config{}
	fs := flag.NewFlagSet("chanjo fake-gateway", flag.ContinueOnError)
	fs.SetOutput(usage)
	fs.StringVar(&cfg.Addr, "addr", DefaultAddr, "address to listen on")
	fs.StringVar(&cfg.APIKey, "api-key", DefaultAPIKey, "API key requests must carry")
	fs.StringVar(&cfg.Callback, "callback", "", "URL that receives delivery reports, e.g. http://127.0.0.1:8080/sms/delivery?token=...")
	senders := fs.String("senders", "", "comma-separated sender IDs to allow (empty: any)")
	fs.DurationVar(&cfg.Latency, "latency", 0, "delay before each answer")
	if err := fs.Parse(args); err != nil {
		return Config{}, fmt.Errorf("fakegateway: flags: %w", err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(usage, "unexpected argument %q\n", fs.Arg(0))
		return Config{}, fmt.Errorf("fakegateway: flags: unexpected argument %q", fs.Arg(0))
	}
	for s := range strings.SplitSeq(*senders, ",") {
		if s = strings.TrimSpace(s); s != "" {
			cfg.Senders = append(cfg.Senders, s)
		}
	}
	return cfg, nil
}

// Run serves the fake on cfg.Addr until ctx is done, printing the settings that point chanjo at it and
// logging each accepted message (number masked) to stdout.
func Run(ctx context.Context, cfg Config, stdout io.Writer) error {
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("fakegateway: listen: %w", err)
	}
	g := New(Options{
		APIKey:      cfg.APIKey,
		Senders:     cfg.Senders,
		CallbackURL: cfg.Callback,
		Logger:      slog.New(slog.NewTextHandler(stdout, nil)),
	})
	defer g.Close()
	g.SetLatency(cfg.Latency)
	srv := &http.Server{Handler: g, ReadHeaderTimeout: 5 * time.Second}
	fmt.Fprintf(stdout, "fake Africa's Talking gateway on http://%s\nAT_BASE_URL=http://%s\nAT_USERNAME=sandbox\nAT_API_KEY=%s\n",
		ln.Addr(), ln.Addr(), cfg.APIKey)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("fakegateway: serve: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("fakegateway: shutdown: %w", err)
	}
	return nil
}
