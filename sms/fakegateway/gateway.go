// Package fakegateway is a local stand-in for Africa's Talking's bulk SMS API, for tests, benchmarks,
// the crash test and demos (chanjo fake-gateway). It answers POST /version1/messaging the way
// docs/gateway.md describes, records every message it accepted, posts delivery reports to a
// callback URL, and can inject incoming SMS and opt-outs. Knobs force per-number codes, failed requests
// and latency.
//
// It is written from the spec, not from package africastalking, so that a misreading of the API in the
// client is not silently shared by the fake that tests it.
package fakegateway

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultAPIKey is the key the fake accepts when Options.APIKey is empty.
const DefaultAPIKey = "fake-api-key"

// SendPath is the path of the send endpoint.
const SendPath = "/version1/messaging"

// NetworkCode is the sandbox network code (Athena) the fake puts in every callback.
const NetworkCode = "99999"

// Failure is a way to fail a whole send request, forced with FailNext.
type Failure int

const (
	// FailThrottle answers 429 with a text body; nothing is sent.
	FailThrottle Failure = iota + 1
	// FailServer answers 500 with a text body; nothing is sent.
	FailServer
	// FailMalformed sends the messages, records them, then answers 201 with JSON cut short: the
	// client cannot tell what was sent.
	FailMalformed
	// FailDND answers HTTP 409 with every recipient DoNotDisturbRejection (409); nothing is sent.
	FailDND
)

// Options configures a Gateway. The zero value is usable.
type Options struct {
	// APIKey is the key requests must carry; "" means DefaultAPIKey.
	APIKey string
	// Senders lists the allowed "from" values; empty allows any. A request from another sender gets
	// 201 with an empty Recipients list and Message "InvalidSenderId".
	Senders []string
	// CallbackURL receives delivery reports (form-encoded POSTs) for every accepted message: Sent, then
	// Success or the failure set with SetDeliveryFailure. "" sends none.
	CallbackURL string
	// DuplicateReports posts every delivery report twice.
	DuplicateReports bool
	// ReorderReports posts the final report before the intermediate Sent.
	ReorderReports bool
	// InjectAttempts bounds how often PostIncoming and PostOptOut re-post until they get a 200;
	// 0 means 5.
	InjectAttempts int
	// RetryDelay is the pause between those attempts (the real gateway waits a minute); 0 means 50 ms.
	RetryDelay time.Duration
	// Logger logs each accepted message at info level with the number masked; nil logs nothing.
	Logger *slog.Logger
	// HTTPClient posts callbacks; nil means a client with a 5 s timeout.
	HTTPClient *http.Client
}

// Message is one message the fake accepted for one recipient.
type Message struct {
	ID   string
	To   string
	Text string
	From string
}

type deliveryFailure struct{ status, reason string }

// Gateway is the fake's http.Handler. Its methods are safe for concurrent use.
type Gateway struct {
	opts    Options
	senders map[string]bool
	log     *slog.Logger
	client  *http.Client
	idBase  string
	nextID  atomic.Uint64

	mu       sync.Mutex
	key      string
	refused  int
	sent     []Message
	requests int
	codes    map[string]int
	failDLR  map[string]deliveryFailure
	failures []Failure
	latency  time.Duration

	reports chan Message
	stop    context.CancelFunc
	ctx     context.Context
	wg      sync.WaitGroup
}

// reportWorkers post delivery reports in parallel so a broadcast's reports keep up with its sends.
const reportWorkers = 4

// New returns a Gateway; call Close to stop its delivery-report workers.
func New(opts Options) *Gateway {
	if opts.APIKey == "" {
		opts.APIKey = DefaultAPIKey
	}
	if opts.InjectAttempts <= 0 {
		opts.InjectAttempts = 5
	}
	if opts.RetryDelay <= 0 {
		opts.RetryDelay = 50 * time.Millisecond
	}
	g := &Gateway{
		opts:    opts,
		key:     opts.APIKey,
		senders: map[string]bool{},
		client:  opts.HTTPClient,
		idBase:  randomHex(8),
		codes:   map[string]int{},
		failDLR: map[string]deliveryFailure{},
	}
	if g.client == nil {
		g.client = &http.Client{Timeout: 5 * time.Second}
	}
	if opts.Logger != nil {
		g.log = opts.Logger.With("component", "fakegateway")
	}
	for _, s := range opts.Senders {
		g.senders[s] = true
	}
	g.ctx, g.stop = context.WithCancel(context.Background())
	if opts.CallbackURL != "" {
		g.reports = make(chan Message, 1024)
		for range reportWorkers {
			g.wg.Go(g.reportLoop)
		}
	}
	return g
}

// Close stops posting delivery reports (pending ones are dropped) and waits for the workers.
func (g *Gateway) Close() {
	g.stop()
	g.wg.Wait()
}

// SetAPIKey makes later requests need key, as a key rotated at the gateway does: until the client
// carries the new key, every request answers 401.
func (g *Gateway) SetAPIKey(key string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.key = key
}

// authorized reports whether key is the gateway's, counting the requests it refuses.
func (g *Gateway) authorized(key string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if key != g.key {
		g.refused++
		return false
	}
	return true
}

// Refused returns how many send requests were answered 401 for a wrong API key.
func (g *Gateway) Refused() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.refused
}

// SetCode makes every later send to number answer with the per-recipient status code (e.g. 406
// UserInBlacklist, 405 InsufficientBalance, 102 Queued); 0 restores normal behaviour.
func (g *Gateway) SetCode(number string, code int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if code == 0 {
		delete(g.codes, number)
		return
	}
	g.codes[number] = code
}

// SetDeliveryFailure makes the final delivery report for number carry status (e.g. "Failed",
// "AbsentSubscriber") and failureReason reason instead of Success; an empty status restores Success.
func (g *Gateway) SetDeliveryFailure(number, status, reason string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if status == "" {
		delete(g.failDLR, number)
		return
	}
	g.failDLR[number] = deliveryFailure{status: status, reason: reason}
}

// FailNext makes the next n authenticated send requests fail with f, after any failures already queued.
func (g *Gateway) FailNext(n int, f Failure) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for range n {
		g.failures = append(g.failures, f)
	}
}

// SetLatency delays every later answer by d (the request's context can cut it short).
func (g *Gateway) SetLatency(d time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.latency = d
}

// Sent returns a copy of every message accepted so far, in order.
func (g *Gateway) Sent() []Message {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]Message(nil), g.sent...)
}

// SentCount returns how many messages were accepted so far.
func (g *Gateway) SentCount() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.sent)
}

// Duplicates returns how many accepted messages repeat an earlier one to the same number with the
// same text: the double sends a crash test counts.
func (g *Gateway) Duplicates() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	seen := make(map[[2]string]bool, len(g.sent))
	dups := 0
	for _, m := range g.sent {
		k := [2]string{m.To, m.Text}
		if seen[k] {
			dups++
		}
		seen[k] = true
	}
	return dups
}

// Requests returns how many authenticated send requests arrived, failed ones included.
func (g *Gateway) Requests() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.requests
}

// messageID returns "ATXid_" and 32 hex digits, unique per Gateway and across restarts of the fake.
func (g *Gateway) messageID() string {
	var n [8]byte
	v := g.nextID.Add(1)
	for i := range n {
		n[7-i] = byte(v >> (8 * i))
	}
	return "ATXid_" + g.idBase + hex.EncodeToString(n[:])
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b)
}
