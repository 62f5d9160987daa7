// Package africastalking is a thin client for Africa's Talking's bulk SMS API
// (POST /version1/messaging) and parsers for the callbacks it makes: incoming SMS, delivery reports and
// bulk-SMS opt-outs. It knows the wire format and what each answer means (accepted, retryable,
// permanent); what to do about it belongs to the caller.
package africastalking

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Base URLs of the two environments. The sandbox is chosen by the username, as the official SDKs do.
const (
	LiveBaseURL    = "https://api.africastalking.com"
	SandboxBaseURL = "https://api.sandbox.africastalking.com"
)

// SendPath is the path of the classic form-encoded send endpoint.
const SendPath = "/version1/messaging"

// DefaultTimeout bounds one send request, connection to last byte.
const DefaultTimeout = 15 * time.Second

// maxBody caps how much of an answer is read: a 1,000-recipient answer is about 150 kB.
const maxBody = 4 << 20

// BaseURLFor returns SandboxBaseURL for the username "sandbox" (any case) and LiveBaseURL otherwise.
func BaseURLFor(username string) string {
	if strings.EqualFold(username, "sandbox") {
		return SandboxBaseURL
	}
	return LiveBaseURL
}

// Config is what a Client needs: AT_USERNAME, AT_API_KEY and AT_BASE_URL.
type Config struct {
	Username string
	APIKey   string
	// BaseURL overrides the host chosen from Username, for the fake gateway or a proxy.
	BaseURL string
	// HTTPClient is used for every request; nil means a client with DefaultTimeout.
	HTTPClient *http.Client
}

// Client sends SMS through Africa's Talking. It is safe for concurrent use.
type Client struct {
	username string
	apiKey   string
	sendURL  string
	http     *http.Client
}

// New returns a Client for cfg.
func New(cfg Config) *Client {
	base := cfg.BaseURL
	if base == "" {
		base = BaseURLFor(cfg.Username)
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = defaultHTTPClient()
	}
	return &Client{
		username: cfg.Username,
		apiKey:   cfg.APIKey,
		sendURL:  strings.TrimRight(base, "/") + SendPath,
		http:     hc,
	}
}

// defaultHTTPClient keeps more idle connections than net/http's default of two per host, so a
// dispatcher with several workers reuses connections instead of opening one per batch.
func defaultHTTPClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 16
	return &http.Client{Timeout: DefaultTimeout, Transport: tr}
}

// Message is one text to one or more recipients: one send request.
type Message struct {
	// To holds E.164 numbers ("+254712345678"); they are sent comma-joined in one request.
	To   []string
	Text string
	// From is the sender ID or short code (AT_SENDER_ID); empty leaves the gateway's default.
	From string
	// Enqueue asks the gateway to queue the messages and answer at once (statusCode 102).
	Enqueue bool
}

// form encodes m for the send endpoint. url.Values percent-encodes "+" as %2B: a raw "+" would decode
// as a space and every number would come back InvalidPhoneNumber.
func (c *Client) form(m Message) url.Values {
	v := url.Values{}
	v.Set("username", c.username)
	v.Set("to", strings.Join(m.To, ","))
	v.Set("message", m.Text)
	v.Set("bulkSMSMode", "1")
	if m.From != "" {
		v.Set("from", m.From)
	}
	if m.Enqueue {
		v.Set("enqueue", "1")
	}
	return v
}

// Send posts m and returns the gateway's per-recipient results. A returned *Error means no recipient
// result could be read; its Retryable method says whether sending the same request again is safe and
// useful. Check each Recipient's OK and Retryable otherwise: a 2xx answer can mix successes and failures.
// A Message with no recipients is refused with a plain error before anything is sent.
func (c *Client) Send(ctx context.Context, m Message) (*Response, error) {
	if len(m.To) == 0 {
		return nil, errors.New("africastalking: send: no recipients")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.sendURL, strings.NewReader(c.form(m).Encode()))
	if err != nil {
		return nil, fmt.Errorf("africastalking: send: %w", err)
	}
	req.Header.Set("apiKey", c.apiKey)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, &Error{Err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, &Error{HTTPStatus: resp.StatusCode, Err: err}
	}
	return interpret(resp.StatusCode, resp.Header.Get("Content-Type"), body)
}

// interpret turns an answer into results or an *Error. The body is decoded as JSON only when the status
// and Content-Type say it is JSON: a 401 comes back as text/plain.
func interpret(status int, contentType string, body []byte) (*Response, error) {
	ok := status >= 200 && status < 300
	if !ok && status != http.StatusConflict {
		return nil, &Error{HTTPStatus: status, Body: snippet(body)}
	}
	var w wireResponse
	if err := decodeJSON(contentType, body, &w); err != nil {
		return nil, &Error{HTTPStatus: status, Body: snippet(body), Err: err}
	}
	if w.SMSMessageData == nil {
		return nil, &Error{HTTPStatus: status, Body: snippet(body), Err: errors.New("answer has no SMSMessageData")}
	}
	if len(w.SMSMessageData.Recipients) == 0 {
		return nil, &Error{HTTPStatus: status, Body: snippet(body), Reason: w.SMSMessageData.Message}
	}
	// A 409 carrying recipients is the DoNotDisturbRejection answer: the per-recipient 409 code says it.
	return w.response(), nil
}

func decodeJSON(contentType string, body []byte, v any) error {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "application/json" {
		return fmt.Errorf("content type %q is not application/json", contentType)
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("decode answer: %w", err)
	}
	return nil
}

// snippet keeps an error body short enough to log and store.
func snippet(body []byte) string {
	const limit = 512
	if len(body) > limit {
		return string(body[:limit]) + "..."
	}
	return string(body)
}
