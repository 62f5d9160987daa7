package fakegateway

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// ErrNotAcknowledged is returned when a callback never got a 200 within the allowed attempts.
var ErrNotAcknowledged = errors.New("callback not acknowledged")

// queueReport hands m to the delivery-report workers; it blocks while they are behind, which slows
// the sender as a real backlog would, and gives up when the Gateway closes.
func (g *Gateway) queueReport(m Message) {
	if g.reports == nil {
		return
	}
	select {
	case g.reports <- m:
	case <-g.ctx.Done():
	}
}

func (g *Gateway) reportLoop() {
	for {
		select {
		case m := <-g.reports:
			g.deliver(m)
		case <-g.ctx.Done():
			return
		}
	}
}

// deliver posts the intermediate and final reports for m, reordered and duplicated as configured.
// Reports are posted once each: whether the real gateway retries a report is unknown.
func (g *Gateway) deliver(m Message) {
	reports := []url.Values{g.reportForm(m, "Sent", ""), g.finalReport(m)}
	if g.opts.ReorderReports {
		reports[0], reports[1] = reports[1], reports[0]
	}
	for _, form := range reports {
		times := 1
		if g.opts.DuplicateReports {
			times = 2
		}
		for range times {
			status, err := g.post(g.ctx, g.opts.CallbackURL, form)
			g.logRefusal(m.ID, status, err)
		}
	}
}

func (g *Gateway) finalReport(m Message) url.Values {
	g.mu.Lock()
	f, failed := g.failDLR[m.To]
	g.mu.Unlock()
	if failed {
		return g.reportForm(m, f.status, f.reason)
	}
	return g.reportForm(m, "Success", "")
}

func (g *Gateway) reportForm(m Message, status, reason string) url.Values {
	v := url.Values{
		"id":          {m.ID},
		"status":      {status},
		"phoneNumber": {m.To},
		"networkCode": {NetworkCode},
		"retryCount":  {"0"},
	}
	if reason != "" {
		v.Set("failureReason", reason)
	}
	return v
}

// post sends one form-encoded callback and returns the answer's status code.
// logRefusal warns when Chanjo did not take a delivery report: a wrong
// ?token= in --callback is the usual cause, and at debug level it went
// unseen. The line names the status, never the URL, which holds the token.
func (g *Gateway) logRefusal(id string, status int, err error) {
	switch {
	case g.log == nil || g.ctx.Err() != nil:
	case err != nil:
		g.log.Warn("delivery report not posted", "id", id, "err", err)
	case status == http.StatusForbidden:
		g.log.Warn("delivery report refused: check the token in --callback", "id", id, "status", status)
	case status != http.StatusOK:
		g.log.Warn("delivery report refused", "id", id, "status", status)
	}
}

// post sends form to target and returns the answer's status. Its error
// leaves out target's query: a callback URL carries the token.
func (g *Gateway) post(ctx context.Context, target string, form url.Values) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(form.Encode()))
	if err != nil {
		return 0, fmt.Errorf("fakegateway: post callback: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := g.client.Do(req)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return 0, fmt.Errorf("fakegateway: post callback to %s://%s%s: %w", req.URL.Scheme, req.URL.Host, req.URL.Path, err)
	}
	_, _ = io.Copy(io.Discard, resp.Body) // drained so the connection is reused
	resp.Body.Close()
	return resp.StatusCode, nil
}

// DateLayout selects how an injected incoming SMS writes its date.
type DateLayout int

const (
	// DateRFC3339 writes "2017-05-03T06:04:45Z".
	DateRFC3339 DateLayout = iota
	// DateSpace writes "2017-05-03 06:04:45" (UTC).
	DateSpace
)

// Incoming is an SMS to inject as if a user had sent it.
type Incoming struct {
	// ID defaults to a random UUID; set a number ("15071") to test numeric ids.
	ID   string
	From string
	// To defaults to "21512".
	To     string
	Text   string
	LinkID string
	// Date defaults to now.
	Date   time.Time
	Layout DateLayout
}

func (in Incoming) form() url.Values {
	if in.ID == "" {
		in.ID = newUUID()
	}
	if in.To == "" {
		in.To = "21512"
	}
	if in.Date.IsZero() {
		in.Date = time.Now()
	}
	layout := "2006-01-02T15:04:05Z"
	if in.Layout == DateSpace {
		layout = "2006-01-02 15:04:05"
	}
	v := url.Values{
		"id": {in.ID}, "from": {in.From}, "to": {in.To}, "text": {in.Text},
		"date": {in.Date.UTC().Format(layout)}, "networkCode": {NetworkCode},
	}
	if in.LinkID != "" {
		v.Set("linkId", in.LinkID)
	}
	return v
}

// PostIncoming posts in to target (our incoming-SMS callback) and, like the real gateway, posts it again
// until it gets a 200, at most Options.InjectAttempts times. It returns how many posts were made.
func (g *Gateway) PostIncoming(ctx context.Context, target string, in Incoming) (int, error) {
	return g.postUntilOK(ctx, target, in.form())
}

// PostOptOut posts a bulk-SMS opt-out callback for phoneNumber, retried like PostIncoming.
func (g *Gateway) PostOptOut(ctx context.Context, target, senderID, phoneNumber string) (int, error) {
	return g.postUntilOK(ctx, target, url.Values{"senderId": {senderID}, "phoneNumber": {phoneNumber}})
}

func (g *Gateway) postUntilOK(ctx context.Context, target string, form url.Values) (int, error) {
	var last error
	for attempt := 1; attempt <= g.opts.InjectAttempts; attempt++ {
		status, err := g.post(ctx, target, form)
		if err == nil && status == http.StatusOK {
			return attempt, nil
		}
		last = err
		if err == nil {
			last = fmt.Errorf("HTTP %d", status)
		}
		select {
		case <-ctx.Done():
			return attempt, fmt.Errorf("fakegateway: post callback: %w", ctx.Err())
		case <-time.After(g.opts.RetryDelay):
		}
	}
	return g.opts.InjectAttempts, fmt.Errorf("fakegateway: post callback: %d attempts, last %v: %w", g.opts.InjectAttempts, last, ErrNotAcknowledged)
}

// newUUID returns a random version 4 UUID, the shape of the gateway's incoming-SMS ids.
func newUUID() string {
	h := randomHex(16)
	b := []byte(h)
	b[12] = '4'
	return fmt.Sprintf("%s-%s-%s-%s-%s", b[0:8], b[8:12], b[12:16], b[16:20], b[20:32])
}
