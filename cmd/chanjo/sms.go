package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/sms"
	"github.com/chanjo-health/chanjo/sms/africastalking"
	"github.com/chanjo-health/chanjo/sms/fakegateway"
	"github.com/chanjo-health/chanjo/store"
)

// smsConfig maps the service's settings onto the dispatcher's.
func smsConfig(cfg Config) sms.Config {
	return sms.Config{
		Batch:          cfg.ATBatch,
		Rate:           cfg.SMSRate,
		RetryReply:     cfg.SMSRetryReply,
		RetryBroadcast: cfg.SMSRetryBroadcast,
		BackoffMax:     cfg.SMSBackoffMax,
		Quiet:          sms.QuietHours{Start: cfg.QuietHours.Start, End: cfg.QuietHours.End},
		TZ:             cfg.TZ,
		From:           cfg.ATSenderID,
		Channel:        smsChannel(cfg),
	}
}

// smsChannel is the outbox rows the SMS dispatcher sends: every row when
// WhatsApp is off, so a message queued for WhatsApp is never stranded.
func smsChannel(cfg Config) string {
	if cfg.WhatsApp.On() {
		return store.ChannelSMS
	}
	return ""
}

// smsSender returns the gateway client, or nil when AT_USERNAME and
// AT_API_KEY are not both set: the dispatcher then prints each SMS.
func smsSender(cfg Config) sms.Sender {
	if cfg.ATUsername == "" || cfg.ATAPIKey == "" {
		return nil
	}
	return africastalking.New(africastalking.Config{Username: cfg.ATUsername, APIKey: cfg.ATAPIKey, BaseURL: cfg.ATBaseURL})
}

// dispatcher builds the dispatcher when its worker starts; out receives the
// warning that no gateway is configured, and with serve --demo the messages.
func (a *app) dispatcher(out io.Writer) *sms.Dispatcher {
	sender := smsSender(a.cfg)
	d := sms.NewDispatcher(a.db, sender, smsConfig(a.cfg))
	d.Log, d.Metrics, d.Sessions, d.Pack = a.log, a.smsMetrics, a.sessions(), a.pack
	d.Instance = a.process
	if a.cfg.SMSRate > 0 && !a.kv.Embedded {
		// SMS_RATE is the account's: every instance takes from one bucket
		// in Redis. The embedded Redis is this process's alone, and so is
		// the service when it runs on it: the dispatcher's own limiter.
		d.Limiter = a.kv.Bucket("sms-rate", a.cfg.SMSRate, d.Burst())
	}
	if sender == nil {
		// Said once, loudly, on the terminal and in the log: without a
		// gateway every SMS ends not_sent_no_gateway.
		a.log.Error("AT_USERNAME and AT_API_KEY are not set: SMS are NOT being sent; each is marked not_sent_no_gateway", "component", "sms")
		fmt.Fprintln(out, "\n*** SMS ARE NOT BEING SENT: no gateway is configured (AT_USERNAME, AT_API_KEY). ***")
		if a.printSMS {
			d.Out = out
			fmt.Fprintln(out, "*** serve --demo: each SMS is printed here instead. ***")
		}
		fmt.Fprintln(out)
	}
	return d
}

// registerSMS adds the gateway's SMS callbacks behind the callback token.
func (a *app) registerSMS(r gin.IRouter) {
	h := sms.NewHandler(a.db, a.cfg.USSDCode, a.cfg.TZ, a.log, a.smsMetrics)
	h.Price = segmentPrice(a.cfg)
	h.Quiet = quietHours(a.cfg)
	h.SenderID = a.cfg.ATSenderID
	h.Pack, h.Mentoring = a.pack, a.mentoring
	h.Register(r.Group("", requireToken(a.token, newRefusals(a.log))))
}

func runFakeGateway(ctx context.Context, e env, args []string) error {
	cfg, err := fakegateway.ParseFlags(args, e.stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return nil
	case err != nil:
		return errUsage // the flag set has said what is wrong
	}
	return fakegateway.Run(ctx, cfg, e.stdout)
}
