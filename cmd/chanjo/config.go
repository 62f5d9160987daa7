package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Config is every setting of the README's configuration table, read from the
// environment once at start and passed down; nothing reads it globally.
type Config struct {
	Addr          string
	DatabaseURL   string
	RedisURL      string
	RedisAddrs    []string
	RedisMaster   string
	RedisPrefix   string
	CallbackToken string
	USSDCode      string
	TZ            *time.Location
	OpenEnrolment bool
	ContentDir    string

	ATUsername, ATAPIKey, ATSenderID, ATBaseURL string
	ATBatch                                     int
	SMSRate                                     float64 // segments per second; 0 = no limit
	SMSRetryReply, SMSRetryBroadcast            time.Duration
	SMSBackoffMax                               time.Duration
	QuietHours                                  QuietHours
	SegmentCost                                 float64
	Currency                                    string
	SMSKeep                                     time.Duration // outbox rows older are removed; 0 keeps all

	LogLevel slog.Level
	LogJSON  bool

	// DrainDelay is how long serve keeps answering after SIGTERM, with
	// /readyz at 503, before it closes the listener.
	DrainDelay time.Duration
	// TrustedProxies (CIDRs) are the proxies whose X-Forwarded-For names a
	// client's address; from anyone else the header is ignored.
	TrustedProxies []string
	// MetricsToken, when set, is the bearer token /metrics requires;
	// MetricsAddr, when set, serves /metrics on a listener of its own
	// instead of CHANJO_ADDR.
	MetricsToken, MetricsAddr string
	// WhatsApp is the WA_* settings (whatsapp.go); unset, the channel is off.
	WhatsApp WhatsAppConfig
	// PublicURL is how the gateway and people reach this service
	// ("https://chanjo.example.org"), without a trailing slash; "" when
	// CHANJO_PUBLIC_URL is unset, and start-up prints placeholders instead.
	PublicURL string
}

// QuietHours is a daily window, in minutes after local midnight, during which
// nudges and non-urgent broadcasts wait. Start == End means no quiet hours.
type QuietHours struct {
	Start, End int
}

// configError names the variable whose value is wrong, so the operator sees
// one clear line.
type configError struct {
	name, value, reason string
}

func (e *configError) Error() string {
	return fmt.Sprintf("%s=%q: %s", e.name, e.value, e.reason)
}

// loadConfig reads the configuration from getenv and validates it.
func loadConfig(getenv func(string) string) (Config, error) {
	env := func(name, def string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return def
	}
	c := Config{
		Addr:          env("CHANJO_ADDR", ":8080"),
		DatabaseURL:   env("DATABASE_URL", "chanjo.db"),
		RedisURL:      env("REDIS_URL", ""),
		RedisMaster:   env("REDIS_MASTER", ""),
		RedisPrefix:   env("REDIS_PREFIX", "chanjo:"),
		CallbackToken: env("CALLBACK_TOKEN", ""),
		USSDCode:      env("USSD_CODE", "*384*123#"),
		ContentDir:    env("CONTENT_DIR", ""),
		ATUsername:    env("AT_USERNAME", ""),
		ATAPIKey:      env("AT_API_KEY", ""),
		ATSenderID:    env("AT_SENDER_ID", ""),
		ATBaseURL:     env("AT_BASE_URL", ""),
	}
	var errs []error
	check := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	if a := env("REDIS_ADDRS", ""); a != "" {
		c.RedisAddrs = strings.Split(a, ",")
	}
	check(validateAddr(c.Addr))
	check(validateDatabaseURL(c.DatabaseURL))
	check(validateRedis(&c))
	if c.CallbackToken != "" && len(c.CallbackToken) < 16 {
		check(&configError{"CALLBACK_TOKEN", "…", "must be at least 16 characters (leave it unset to generate one)"})
	}
	tz := env("CHANJO_TZ", "Africa/Nairobi")
	loc, err := time.LoadLocation(tz)
	if err != nil {
		check(&configError{"CHANJO_TZ", tz, "not a time zone name such as Africa/Nairobi"})
	}
	c.TZ = loc
	switch e := env("CHANJO_ENROLMENT", "approval"); e {
	case "approval":
	case "open":
		c.OpenEnrolment = true
	default:
		check(&configError{"CHANJO_ENROLMENT", e, "must be approval or open"})
	}
	if (c.ATUsername == "") != (c.ATAPIKey == "") {
		check(&configError{"AT_USERNAME", c.ATUsername, "AT_USERNAME and AT_API_KEY must be set together"})
	}
	c.ATBatch, err = intIn("AT_BATCH", env("AT_BATCH", "100"), 1, 1000)
	check(err)
	if v := env("SMS_MAX_ATTEMPTS", ""); v != "" {
		check(&configError{"SMS_MAX_ATTEMPTS", v, "is gone: retries now last SMS_RETRY_REPLY and SMS_RETRY_BROADCAST; unset it"})
	}
	c.SMSRetryReply, err = durationIn("SMS_RETRY_REPLY", env("SMS_RETRY_REPLY", "24h"), time.Minute, 30*24*time.Hour)
	check(err)
	c.SMSRetryBroadcast, err = durationIn("SMS_RETRY_BROADCAST", env("SMS_RETRY_BROADCAST", "48h"), time.Minute, 30*24*time.Hour)
	check(err)
	c.SMSBackoffMax, err = durationIn("SMS_BACKOFF_MAX", env("SMS_BACKOFF_MAX", "30m"), 5*time.Minute, 24*time.Hour)
	check(err)
	c.SMSRate, err = floatIn("SMS_RATE", env("SMS_RATE", "10"), 0, 100000)
	check(err)
	c.QuietHours, err = parseQuietHours(env("SMS_QUIET_HOURS", "19:00-07:00"))
	check(err)
	c.Currency, c.SegmentCost, err = parseCost(env("SMS_SEGMENT_COST", "KES 0.80"))
	check(err)
	c.SMSKeep, err = parseKeep(env("SMS_KEEP", "180"))
	check(err)
	check(parseLog(&c, env("LOG_LEVEL", "info"), env("LOG_FORMAT", "text")))
	c.DrainDelay, err = durationIn("CHANJO_DRAIN_DELAY", env("CHANJO_DRAIN_DELAY", "5s"), 0, 5*time.Minute)
	check(err)
	c.TrustedProxies, err = parseCIDRs("TRUSTED_PROXIES", env("TRUSTED_PROXIES", ""))
	check(err)
	check(parseMetrics(&c, env("METRICS_TOKEN", ""), env("METRICS_ADDR", "")))
	c.WhatsApp, err = parseWhatsApp(env)
	check(err)
	c.PublicURL, err = parsePublicURL(env("CHANJO_PUBLIC_URL", ""))
	check(err)
	return c, errors.Join(errs...)
}

func validateAddr(addr string) error {
	if _, port, err := net.SplitHostPort(addr); err != nil || port == "" {
		return &configError{"CHANJO_ADDR", addr, "must be host:port or :port"}
	}
	return nil
}

func validateDatabaseURL(u string) error {
	if strings.Contains(u, "://") && !strings.HasPrefix(u, "postgres://") && !strings.HasPrefix(u, "postgresql://") {
		return &configError{"DATABASE_URL", u, "must be a postgres:// URL or a SQLite file path"}
	}
	return nil
}

func validateRedis(c *Config) error {
	switch {
	case c.RedisURL != "" && len(c.RedisAddrs) > 0:
		return &configError{"REDIS_URL", c.RedisURL, "set REDIS_URL or REDIS_ADDRS, not both"}
	case c.RedisURL != "" && !strings.HasPrefix(c.RedisURL, "redis://") && !strings.HasPrefix(c.RedisURL, "rediss://"):
		return &configError{"REDIS_URL", c.RedisURL, "must start with redis:// or rediss://"}
	case c.RedisMaster != "" && len(c.RedisAddrs) == 0:
		return &configError{"REDIS_MASTER", c.RedisMaster, "needs REDIS_ADDRS (the Sentinel addresses)"}
	}
	return nil
}

func intIn(name, v string, min, max int) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < min || n > max {
		return 0, &configError{name, v, fmt.Sprintf("must be a whole number from %d to %d", min, max)}
	}
	return n, nil
}

func durationIn(name, v string, min, max time.Duration) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil || d < min || d > max {
		return 0, &configError{name, v, fmt.Sprintf("must be a duration such as 24h or 30m, from %s to %s", min, max)}
	}
	return d, nil
}

// parseKeep reads SMS_KEEP: days ("180" or "180d") or off. At least 35
// days, so that the dashboard's month is always whole in the outbox.
func parseKeep(v string) (time.Duration, error) {
	if v == "off" {
		return 0, nil
	}
	days, err := intIn("SMS_KEEP", strings.TrimSuffix(v, "d"), 35, 36500)
	if err != nil {
		return 0, &configError{"SMS_KEEP", v, "must be a number of days from 35 to 36500 (e.g. 180 or 180d), or off"}
	}
	return time.Duration(days) * 24 * time.Hour, nil
}

func floatIn(name, v string, min, max float64) (float64, error) {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < min || f > max {
		return 0, &configError{name, v, fmt.Sprintf("must be a number from %g to %g", min, max)}
	}
	return f, nil
}

// parseQuietHours reads "19:00-07:00" or "off".
func parseQuietHours(v string) (QuietHours, error) {
	bad := &configError{"SMS_QUIET_HOURS", v, "must be HH:MM-HH:MM (local time) or off"}
	if strings.EqualFold(v, "off") {
		return QuietHours{}, nil
	}
	from, to, ok := strings.Cut(v, "-")
	if !ok {
		return QuietHours{}, bad
	}
	start, err1 := clockMinutes(from)
	end, err2 := clockMinutes(to)
	if err1 != nil || err2 != nil || start == end {
		return QuietHours{}, bad
	}
	return QuietHours{Start: start, End: end}, nil
}

func clockMinutes(s string) (int, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, err
	}
	return t.Hour()*60 + t.Minute(), nil
}

// parseCost reads "KES 0.80".
func parseCost(v string) (string, float64, error) {
	cur, amount, ok := strings.Cut(v, " ")
	f, err := strconv.ParseFloat(strings.TrimSpace(amount), 64)
	if !ok || err != nil || f < 0 || len(cur) != 3 {
		return "", 0, &configError{"SMS_SEGMENT_COST", v, "must be a currency code and a price, such as KES 0.80"}
	}
	return strings.ToUpper(cur), f, nil
}

func parseLog(c *Config, level, format string) error {
	if err := c.LogLevel.UnmarshalText([]byte(level)); err != nil {
		return &configError{"LOG_LEVEL", level, "must be debug, info, warn or error"}
	}
	switch format {
	case "text":
	case "json":
		c.LogJSON = true
	default:
		return &configError{"LOG_FORMAT", format, "must be text or json"}
	}
	return nil
}

// parseCIDRs reads a comma-separated list of CIDRs or single addresses, as
// gin's SetTrustedProxies parses them.
func parseCIDRs(name, v string) ([]string, error) {
	var out []string
	for _, f := range strings.Split(v, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		if _, _, err := net.ParseCIDR(f); err != nil {
			if net.ParseIP(f) == nil {
				return nil, &configError{name, v, "must be comma-separated CIDRs or addresses, such as 10.0.0.0/8,192.0.2.7"}
			}
		}
		out = append(out, f)
	}
	return out, nil
}

// parseMetrics reads METRICS_TOKEN and METRICS_ADDR.
func parseMetrics(c *Config, token, addr string) error {
	if token != "" && len(token) < 16 {
		return &configError{"METRICS_TOKEN", "…", "must be at least 16 characters"}
	}
	if addr != "" {
		if _, port, err := net.SplitHostPort(addr); err != nil || port == "" {
			return &configError{"METRICS_ADDR", addr, "must be host:port or :port"}
		}
	}
	c.MetricsToken, c.MetricsAddr = token, addr
	return nil
}

// parsePublicURL checks CHANJO_PUBLIC_URL: an http or https URL with a host
// and no query, which the callback URLs printed at first start extend.
func parsePublicURL(v string) (string, error) {
	if v == "" {
		return "", nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", &configError{"CHANJO_PUBLIC_URL", v, "must be an http:// or https:// URL with a host and no query, such as https://chanjo.example.org"}
	}
	return strings.TrimRight(v, "/"), nil
}
