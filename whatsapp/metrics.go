package whatsapp

import "github.com/prometheus/client_golang/prometheus"

// Metrics are the WhatsApp counters scraped at /metrics.
type Metrics struct {
	webhooks *prometheus.CounterVec
	messages prometheus.Counter
	statuses *prometheus.CounterVec
}

// Results of a webhook POST, the label of chanjo_whatsapp_webhooks_total: a fixed set, so clients
// cannot add series.
const (
	resultStored       = "stored"
	resultBadSignature = "bad_signature"
	resultTooLarge     = "too_large"
	resultUnavailable  = "unavailable"
)

// NewMetrics creates the WhatsApp metrics and registers them on reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		webhooks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "chanjo_whatsapp_webhooks_total",
			Help: "WhatsApp webhook POSTs by result: stored, bad_signature (a wrong WA_APP_SECRET or junk), too_large, unavailable (the database did not answer; Meta retries).",
		}, []string{"result"}),
		messages: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "chanjo_whatsapp_messages_total", Help: "WhatsApp messages received, each counted once however often Meta delivers it.",
		}),
		statuses: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "chanjo_whatsapp_statuses_total", Help: "WhatsApp status updates applied, by status (duplicates and late ones included).",
		}, []string{"status"}),
	}
	for _, r := range []string{resultStored, resultBadSignature, resultTooLarge, resultUnavailable} {
		m.webhooks.WithLabelValues(r)
	}
	reg.MustRegister(m.webhooks, m.messages, m.statuses)
	return m
}
