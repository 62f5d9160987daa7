package main

import (
	"strings"
	"testing"
	"time"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoadConfigDefaults(t *testing.T) {
	c, err := loadConfig(envOf(nil))
	if err != nil {
		t.Fatalf("loadConfig(empty) = %v, want the embedded defaults", err)
	}
	if c.Addr != ":8080" || c.DatabaseURL != "chanjo.db" || c.RedisPrefix != "chanjo:" || c.ATBatch != 100 ||
		c.SMSRate != 10 || c.SMSRetryReply != 24*time.Hour || c.SMSRetryBroadcast != 48*time.Hour || c.SMSBackoffMax != 30*time.Minute || c.TZ.String() != "Africa/Nairobi" || c.OpenEnrolment {
		t.Errorf("defaults = %+v", c)
	}
	if c.QuietHours != (QuietHours{Start: 19 * 60, End: 7 * 60}) {
		t.Errorf("QuietHours = %+v, want 19:00-07:00", c.QuietHours)
	}
	if c.Currency != "KES" || c.SegmentCost != 0.8 {
		t.Errorf("segment cost = %s %v, want KES 0.8", c.Currency, c.SegmentCost)
	}
}

func TestLoadConfigRejectsBadValues(t *testing.T) {
	tests := []struct {
		name, value, wantIn string
	}{
		{"CHANJO_ADDR", "8080", "CHANJO_ADDR"},
		{"DATABASE_URL", "mysql://db/chanjo", "DATABASE_URL"},
		{"REDIS_URL", "localhost:6379", "REDIS_URL"},
		{"REDIS_MASTER", "mymaster", "REDIS_MASTER"},
		{"CALLBACK_TOKEN", "short", "CALLBACK_TOKEN"},
		{"CHANJO_TZ", "Nairobi/Mars", "CHANJO_TZ"},
		{"CHANJO_ENROLMENT", "maybe", "CHANJO_ENROLMENT"},
		{"AT_USERNAME", "sandbox", "AT_API_KEY"},
		{"AT_BATCH", "0", "AT_BATCH"},
		{"AT_BATCH", "many", "AT_BATCH"},
		{"SMS_RATE", "-1", "SMS_RATE"},
		{"SMS_MAX_ATTEMPTS", "5", "SMS_MAX_ATTEMPTS"},
		{"SMS_RETRY_REPLY", "forever", "SMS_RETRY_REPLY"},
		{"SMS_RETRY_BROADCAST", "10s", "SMS_RETRY_BROADCAST"},
		{"SMS_BACKOFF_MAX", "1m", "SMS_BACKOFF_MAX"},
		{"SMS_QUIET_HOURS", "7pm-7am", "SMS_QUIET_HOURS"},
		{"SMS_QUIET_HOURS", "07:00-07:00", "SMS_QUIET_HOURS"},
		{"SMS_KEEP", "30", "SMS_KEEP"},
		{"SMS_KEEP", "6 months", "SMS_KEEP"},
		{"SMS_SEGMENT_COST", "0.80", "SMS_SEGMENT_COST"},
		{"LOG_LEVEL", "loud", "LOG_LEVEL"},
		{"LOG_FORMAT", "xml", "LOG_FORMAT"},
		{"CHANJO_DRAIN_DELAY", "5", "CHANJO_DRAIN_DELAY"},
		{"CHANJO_DRAIN_DELAY", "-1s", "CHANJO_DRAIN_DELAY"},
		{"TRUSTED_PROXIES", "10.0.0.0/8,proxy.local", "TRUSTED_PROXIES"},
		{"METRICS_TOKEN", "short", "METRICS_TOKEN"},
		{"METRICS_ADDR", "9090", "METRICS_ADDR"},
		{"CHANJO_PUBLIC_URL", "chanjo.example.org", "CHANJO_PUBLIC_URL"},
		{"CHANJO_PUBLIC_URL", "https://chanjo.example.org/?token=x", "CHANJO_PUBLIC_URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name+"="+tt.value, func(t *testing.T) {
			_, err := loadConfig(envOf(map[string]string{tt.name: tt.value}))
			if err == nil || !strings.Contains(err.Error(), tt.wantIn) {
				t.Errorf("loadConfig(%s=%q) = %v, want an error naming %s", tt.name, tt.value, err, tt.wantIn)
			}
		})
	}
}

func TestLoadConfigAcceptsProductionValues(t *testing.T) {
	c, err := loadConfig(envOf(map[string]string{
		"DATABASE_URL":      "postgres://chanjo@db/chanjo",
		"REDIS_ADDRS":       "10.0.0.1:26379,10.0.0.2:26379",
		"REDIS_MASTER":      "mymaster",
		"SMS_QUIET_HOURS":   "off",
		"SMS_RATE":          "0",
		"CHANJO_ENROLMENT":  "open",
		"LOG_FORMAT":        "json",
		"SMS_KEEP":          "365d",
		"CHANJO_PUBLIC_URL": "https://chanjo.example.org/",
	}))
	if err != nil {
		t.Fatalf("loadConfig = %v", err)
	}
	if len(c.RedisAddrs) != 2 || c.QuietHours != (QuietHours{}) || !c.OpenEnrolment || !c.LogJSON || c.SMSKeep != 365*24*time.Hour ||
		c.PublicURL != "https://chanjo.example.org" {
		t.Errorf("config = %+v", c)
	}
}
