package main

import (
	"context"
	"errors"
	"flag"
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/admin"
	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/quiet"
	"github.com/chanjo-health/chanjo/whatsapp"
	"github.com/chanjo-health/chanjo/whatsapp/cloudapi"
	"github.com/chanjo-health/chanjo/whatsapp/fakegraph"
)

// WhatsAppConfig is the WA_* settings: the programme's WhatsApp number on Meta's Cloud API. With
// none set the channel is off.
type WhatsAppConfig struct {
	PhoneNumberID, WABAID, Token, AppSecret, VerifyToken string
	APIVersion, BaseURL                                  string
	// Groups (GROUPS_ENABLED=1) creates real WhatsApp groups for mentor circles: only for a number
	// Meta lets create groups (an Official Business Account, whatsapp-api.md §5.1).
	Groups bool
	// Prices are a template's price by category (WA_PRICE_MARKETING, WA_PRICE_UTILITY,
	// WA_PRICE_AUTHENTICATION) in SMS_SEGMENT_COST's currency: the console's cost estimates.
	// 0, the default, is unknown.
	Prices map[string]float64
}

// On reports whether the WhatsApp channel is configured.
func (w WhatsAppConfig) On() bool { return w.PhoneNumberID != "" }

var apiVersion = regexp.MustCompile(`^v?[0-9]{1,3}\.[0-9]{1,2}$`)

// parseWhatsApp reads the WA_* variables: all of WA_PHONE_NUMBER_ID, WA_TOKEN, WA_APP_SECRET and
// WA_VERIFY_TOKEN, or none of them (WA_WABA_ID is optional until templates are read).
func parseWhatsApp(env func(name, def string) string) (WhatsAppConfig, error) {
	w := WhatsAppConfig{
		PhoneNumberID: env("WA_PHONE_NUMBER_ID", ""),
		WABAID:        env("WA_WABA_ID", ""),
		Token:         env("WA_TOKEN", ""),
		AppSecret:     env("WA_APP_SECRET", ""),
		VerifyToken:   env("WA_VERIFY_TOKEN", ""),
		APIVersion:    env("WA_API_VERSION", cloudapi.DefaultVersion),
		BaseURL:       env("WA_BASE_URL", cloudapi.DefaultBaseURL),
	}
	required := []struct{ name, value string }{
		{"WA_PHONE_NUMBER_ID", w.PhoneNumberID}, {"WA_TOKEN", w.Token},
		{"WA_APP_SECRET", w.AppSecret}, {"WA_VERIFY_TOKEN", w.VerifyToken},
	}
	set := 0
	for _, r := range required {
		if r.value != "" {
			set++
		}
	}
	if set > 0 && set < len(required) {
		for _, r := range required {
			if r.value == "" {
				return w, &configError{r.name, "", "WA_PHONE_NUMBER_ID, WA_TOKEN, WA_APP_SECRET and WA_VERIFY_TOKEN must be set together"}
			}
		}
	}
	switch g := env("GROUPS_ENABLED", ""); {
	case g != "" && g != "0" && g != "1":
		return w, &configError{"GROUPS_ENABLED", g, "must be 1 (on) or 0 (off)"}
	case g == "1" && !w.On():
		return w, &configError{"GROUPS_ENABLED", g, "needs the WhatsApp channel (WA_PHONE_NUMBER_ID and the other WA_* settings)"}
	default:
		w.Groups = g == "1"
	}
	w.Prices = map[string]float64{}
	for _, cat := range lessons.TemplateCategories {
		name := "WA_PRICE_" + strings.ToUpper(cat)
		v := env(name, "0")
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || f < 0 || math.IsInf(f, 0) {
			return w, &configError{name, v, "must be a price of one " + cat + " template in SMS_SEGMENT_COST's currency, such as 1.50 (0: unknown)"}
		}
		w.Prices[cat] = f
	}
	if !apiVersion.MatchString(w.APIVersion) {
		return w, &configError{"WA_API_VERSION", w.APIVersion, "must be a Graph API version such as v25.0"}
	}
	if u, err := url.Parse(w.BaseURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return w, &configError{"WA_BASE_URL", w.BaseURL, "must be an http(s) URL such as https://graph.facebook.com"}
	}
	return w, nil
}

// registerWhatsApp mounts the webhook at /whatsapp when the channel is configured. The webhook
// carries no callback token: Meta signs every POST with WA_APP_SECRET.
func (a *app) registerWhatsApp(r gin.IRouter) {
	if !a.cfg.WhatsApp.On() {
		return
	}
	whatsapp.NewHandler(a.db, a.cfg.WhatsApp.AppSecret, a.cfg.WhatsApp.VerifyToken, a.whatsappInbox, a.log, a.whatsappMetrics).Register(r)
}

// whatsappDispatcher sends the outbox's WhatsApp rows with the SMS
// dispatcher's quiet hours and the pack's templates.
func (a *app) whatsappDispatcher() *whatsapp.Dispatcher {
	d := whatsapp.NewDispatcher(a.db, a.whatsappClient(), whatsapp.DispatcherConfig{
		Templates: a.pack.Settings.WhatsAppTemplates, JobAids: a.pack.JobAids, Prices: a.cfg.WhatsApp.Prices,
		Quiet: quiet.Hours{Start: a.cfg.QuietHours.Start, End: a.cfg.QuietHours.End}, TZ: a.cfg.TZ,
		BackoffMax: a.cfg.SMSBackoffMax,
	})
	d.Log, d.Instance = a.log, a.process
	return d
}

// whatsappClient is the Cloud API client of the WA_* settings.
func (a *app) whatsappClient() *cloudapi.Client {
	w := a.cfg.WhatsApp
	return cloudapi.New(cloudapi.Config{BaseURL: w.BaseURL, Version: w.APIVersion, PhoneNumberID: w.PhoneNumberID, Token: w.Token})
}

// templateStatus reads the templates' status from Meta for the console; nil (the page asks for
// the setting) when the channel is off or WA_WABA_ID is unset.
func (a *app) templateStatus() *admin.TemplateStatus {
	w := a.cfg.WhatsApp
	if !w.On() || w.WABAID == "" {
		return nil
	}
	return admin.NewTemplateStatus(a.whatsappClient(), w.WABAID)
}

func runFakeWhatsApp(ctx context.Context, e env, args []string) error {
	f, err := fakegraph.ParseFlags(args, e.stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return nil
	case err != nil:
		return errUsage // the flag set has said what is wrong
	}
	return fakegraph.Run(ctx, f, e.stdout)
}
