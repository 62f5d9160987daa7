package main

import (
	"context"
	"errors"
	"flag"
	"net/url"
	"regexp"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/admin"
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
	d := whatsapp.NewDispatcher(a.db, a.cfg.WhatsApp.client(), whatsapp.DispatcherConfig{
		Templates: a.pack.Settings.WhatsAppTemplates, JobAids: a.pack.JobAids,
		Quiet: quiet.Hours{Start: a.cfg.QuietHours.Start, End: a.cfg.QuietHours.End}, TZ: a.cfg.TZ,
		BackoffMax: a.cfg.SMSBackoffMax,
	})
	d.Log, d.Instance = a.log, a.process
	return d
}

// client is the Cloud API client of the WA_* settings.
func (w WhatsAppConfig) client() *cloudapi.Client {
	return cloudapi.New(cloudapi.Config{BaseURL: w.BaseURL, Version: w.APIVersion, PhoneNumberID: w.PhoneNumberID, Token: w.Token})
}

// templateStatus reads the templates' status from Meta for the console; nil (the page asks for
// the setting) when the channel is off or WA_WABA_ID is unset.
func (a *app) templateStatus() *admin.TemplateStatus {
	w := a.cfg.WhatsApp
	if !w.On() || w.WABAID == "" {
		return nil
	}
	return admin.NewTemplateStatus(w.client(), w.WABAID)
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
