package fakegraph

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultAddr is where `chanjo fake-whatsapp` listens unless told otherwise.
const DefaultAddr = "127.0.0.1:8082"

// DefaultTemplates are the templates the shipped content pack names, approved in both languages.
const DefaultTemplates = "chanjo_nudge/en,chanjo_nudge/sw,chanjo_broadcast/en,chanjo_broadcast/sw," +
	"chanjo_answer/en,chanjo_answer/sw,chanjo_group_message/en,chanjo_group_message/sw,group_invite_link/en,group_invite_link/sw"

// Flags is what `chanjo fake-whatsapp` takes.
type Flags struct {
	Addr        string
	VerifyToken string
	Config
}

// ParseFlags reads the command line of `chanjo fake-whatsapp`; usage receives the help text.
func ParseFlags(args []string, usage io.Writer) (Flags, error) {
	f := Flags{}
	fs := flag.NewFlagSet("chanjo fake-whatsapp", flag.ContinueOnError)
	fs.SetOutput(usage)
	fs.StringVar(&f.Addr, "addr", DefaultAddr, "address to listen on")
	fs.StringVar(&f.PhoneNumberID, "phone-number-id", "100000000000001", "the business number's phone-number ID")
	fs.StringVar(&f.Token, "token", "fake-token", "bearer token sends must carry")
	fs.StringVar(&f.AppSecret, "app-secret", "fake-app-secret", "secret that signs the webhooks")
	fs.StringVar(&f.VerifyToken, "verify-token", "fake-verify-token", "token of the webhook handshake")
	fs.StringVar(&f.WebhookURL, "webhook", "http://127.0.0.1:8080/whatsapp", "Chanjo's webhook URL")
	fs.StringVar(&f.WABAID, "waba-id", "200000000000002", "the business account (WA_WABA_ID) whose templates it lists")
	templates := fs.String("templates", DefaultTemplates,
		"comma-separated templates as name/lang, approved unless =PENDING or =REJECTED follows, e.g. nudge/en,nudge/sw=PENDING")
	chaos := fs.String("chaos", "", "webhook misbehaviours, comma-separated: dup, reorder, batch, nodelivered")
	if err := fs.Parse(args); err != nil {
		return Flags{}, fmt.Errorf("fakegraph: flags: %w", err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(usage, "unexpected argument %q\n", fs.Arg(0))
		return Flags{}, fmt.Errorf("fakegraph: flags: unexpected argument %q", fs.Arg(0))
	}
	var err error
	if f.Chaos, err = ParseChaos(*chaos); err != nil {
		fmt.Fprintln(usage, err)
		return Flags{}, err
	}
	for t := range strings.SplitSeq(*templates, ",") {
		if t = strings.TrimSpace(t); t != "" {
			f.Templates = append(f.Templates, t)
		}
	}
	return f, nil
}

// Run serves the fake on f.Addr until ctx is done: it prints the WA_* settings that point chanjo at
// it, tries the webhook handshake as Meta does, and logs each accepted message (number masked).
func Run(ctx context.Context, f Flags, stdout io.Writer) error {
	ln, err := net.Listen("tcp", f.Addr)
	if err != nil {
		return fmt.Errorf("fakegraph: listen: %w", err)
	}
	fmt.Fprintf(stdout, "fake WhatsApp Cloud API on http://%s\nWA_BASE_URL=http://%s\nWA_PHONE_NUMBER_ID=%s\nWA_WABA_ID=%s\nWA_TOKEN=%s\nWA_APP_SECRET=%s\nWA_VERIFY_TOKEN=%s\n",
		ln.Addr(), ln.Addr(), f.PhoneNumberID, f.WABAID, f.Token, f.AppSecret, f.VerifyToken)
	fmt.Fprintf(stdout, "a nurse writes: curl -d '{\"from\":\"254700000001\",\"text\":\"Habari\"}' http://%s/_fake/inbound\n", ln.Addr())
	cfg := f.Config
	cfg.Listener, cfg.Log = ln, slog.New(slog.NewTextHandler(stdout, nil))
	s := New(cfg)
	defer s.Close()
	if err := handshake(ctx, f.WebhookURL, f.VerifyToken); err != nil {
		fmt.Fprintf(stdout, "webhook handshake with %s failed (start chanjo with the settings above): %v\n", f.WebhookURL, err)
	}
	<-ctx.Done()
	return nil
}

// handshake makes Meta's GET verification request and checks the challenge comes back.
func handshake(ctx context.Context, webhook, token string) error {
	if webhook == "" {
		return nil
	}
	const challenge = "1158201444"
	q := url.Values{"hub.mode": {"subscribe"}, "hub.verify_token": {token}, "hub.challenge": {challenge}}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, webhook+"?"+q.Encode(), nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
	if resp.StatusCode != http.StatusOK || string(body) != challenge {
		return fmt.Errorf("HTTP %d %q", resp.StatusCode, body)
	}
	return nil
}
