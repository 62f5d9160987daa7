package sms

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/chanjo-health/chanjo/store"
)

// Metrics are the SMS counters and gauges scraped at /metrics.
type Metrics struct {
	sent       *prometheus.CounterVec
	delivered  prometheus.Counter
	failed     *prometheus.CounterVec
	retries    prometheus.Counter
	suppressed prometheus.Counter
	cost       *prometheus.CounterVec
	queued     prometheus.Gauge
	queueAge   prometheus.Gauge

	paused      prometheus.Gauge
	pauses      prometheus.Counter
	expired     prometheus.Counter
	unconfirmed prometheus.Counter
	notSent     prometheus.Counter
}

// NewMetrics creates the SMS metrics and registers them on reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		sent: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "chanjo_sms_sent_total", Help: "SMS accepted by the gateway, by kind.",
		}, []string{"kind"}),
		delivered: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "chanjo_sms_delivered_total", Help: "SMS with a final delivered report.",
		}),
		failed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "chanjo_sms_failed_total", Help: "SMS that failed for good, by reason.",
		}, []string{"reason"}),
		retries: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "chanjo_sms_retries_total", Help: "Sends that failed retryably and were queued again.",
		}),
		suppressed: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "chanjo_sms_suppressed_total", Help: "Nudges and broadcasts not sent because the number opted out.",
		}),
		cost: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "chanjo_sms_cost_total", Help: "What the gateway charged for accepted SMS, by currency.",
		}, []string{"currency"}),
		queued: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "chanjo_sms_queued", Help: "SMS due to be sent now.",
		}),
		queueAge: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "chanjo_sms_queue_age_seconds", Help: "How long the oldest due SMS has waited.",
		}),
		paused: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "chanjo_sms_paused", Help: "1 while the gateway refuses the account and sending is paused, else 0.",
		}),
		pauses: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "chanjo_sms_pauses_total", Help: "Pauses of sending this instance began (account faults).",
		}),
		expired: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "chanjo_sms_expired_total", Help: "SMS given up because their retry horizon passed.",
		}),
		unconfirmed: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "chanjo_sms_unconfirmed_total", Help: "SMS whose send got a 2xx answer that could not be read; never resent.",
		}),
		notSent: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "chanjo_sms_not_sent_total", Help: "SMS marked not_sent_no_gateway because no gateway is configured.",
		}),
	}
	reg.MustRegister(m.sent, m.delivered, m.failed, m.retries, m.suppressed, m.cost, m.queued, m.queueAge,
		m.paused, m.pauses, m.expired, m.unconfirmed, m.notSent)
	return m
}

// delivery counts final delivery reports that changed a message.
func (m *Metrics) delivery(ds ...store.Delivery) {
	for _, d := range ds {
		switch d.Status {
		case store.OutDelivered:
			m.delivered.Inc()
		case store.OutFailed:
			m.failed.WithLabelValues(d.Reason).Inc()
		}
	}
}
