package sms

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/chanjo-health/chanjo/gsm"
	"github.com/chanjo-health/chanjo/phone"
	"github.com/chanjo-health/chanjo/sms/africastalking"
	"github.com/chanjo-health/chanjo/store"
)

// group is the messages of one send request: one body, distinct numbers.
type group []store.Claimed

// segments is the rate-limit cost of the request: every recipient's segments.
func (g group) segments() int {
	return len(g) * max(1, g[0].Segments)
}

// countSegments sets each message's segment count from its body, which
// the rate limit and the outbox record need. A broadcast repeats one body, so
// each body is counted once.
func countSegments(msgs []store.Claimed) {
	seen := map[string]int{}
	for i, m := range msgs {
		n, ok := seen[m.Body]
		if !ok {
			n = gsm.Segments(m.Body).Segments
			seen[m.Body] = n
		}
		msgs[i].Segments = n
	}
}

// groups splits msgs, kept in send order, into requests of one body each, at
// most batch recipients and, when limited, at most burst segments, and never
// the same number twice (its results could not be told apart).
func groups(msgs []store.Claimed, batch, burst int, limited bool) []group {
	var out []group
	open := map[string]int{} // body -> index in out of its open group
	seen := map[int]map[string]bool{}
	// A group is sized for the messages of its body still to place, up to a
	// request: grown by appending, the groups were the dispatcher's largest
	// allocation after the claim (docs/performance.md).
	left := map[string]int{}
	for _, m := range msgs {
		left[m.Body]++
	}
	for _, m := range msgs {
		size := batch
		if limited {
			size = max(1, min(batch, burst/max(1, m.Segments)))
		}
		i, ok := open[m.Body]
		if !ok || len(out[i]) >= size || seen[i][m.Phone] {
			n := min(size, left[m.Body])
			out = append(out, make(group, 0, n))
			i = len(out) - 1
			open[m.Body] = i
			seen[i] = make(map[string]bool, n)
		}
		out[i] = append(out[i], m)
		seen[i][m.Phone] = true
		left[m.Body]--
	}
	return out
}

// send sends g and returns one result per message, in g's order, or, when
// the gateway refused the account rather than the messages, no results and
// the gateway's words.
func (d *Dispatcher) send(ctx context.Context, g group) ([]store.Result, string) {
	if d.sender == nil {
		return d.print(g), ""
	}
	to := make([]string, len(g))
	for i, m := range g {
		to[i] = m.Phone
	}
	// The request runs to its end even when ctx is cancelled: an abandoned
	// request may still have been sent, and its result must be recorded.
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), d.cfg.SendTimeout)
	defer cancel()
	resp, err := d.sender.Send(sctx, africastalking.Message{To: to, Text: g[0].Body, From: d.cfg.From})
	var ae *africastalking.Error
	switch {
	case errors.As(err, &ae) && ae.AccountFault():
		return nil, ae.Words()
	case err != nil:
		return d.requestFailed(g, err), ""
	case resp.AccountFault():
		return nil, africastalking.StatusName(africastalking.CodeInsufficientBalance)
	}
	return d.recipients(g, resp.Recipients), ""
}

// print is the dispatcher without a gateway: each message is marked
// not_sent_no_gateway, never delivered, and goes to Out (a demo's
// terminal) with its number masked.
func (d *Dispatcher) print(g group) []store.Result {
	rs := make([]store.Result, len(g))
	for i, m := range g {
		fmt.Fprintf(d.Out, "SMS to %s (%s): %s\n", phone.Mask(m.Phone), m.Kind, m.Body)
		rs[i] = store.Result{ID: m.ID, Status: store.OutNotSent, Reason: "no gateway configured"}
	}
	return rs
}

// requestFailed turns a request that produced no per-recipient results into
// one result per message.
func (d *Dispatcher) requestFailed(g group, err error) []store.Result {
	var ae *africastalking.Error
	isAT := errors.As(err, &ae)
	rs := make([]store.Result, len(g))
	for i, m := range g {
		switch {
		case isAT && ae.Unconfirmed():
			// The gateway took the request: sending again would send twice,
			// and a duplicate is worse than a visible unconfirmed. A later
			// delivery report cannot be matched to these rows: it carries
			// the gateway's message id, which only the unread answer held;
			// it waits in delivery_early until EarlyReportTTL, then goes.
			rs[i] = store.Result{ID: m.ID, Status: store.OutUnconfirmed, Reason: "unreadable answer"}
		case isAT && !ae.Retryable():
			rs[i] = store.Result{ID: m.ID, Status: store.OutFailed, Reason: requestReason(ae)}
		case isAT:
			rs[i] = d.retry(m, requestReason(ae))
		default:
			rs[i] = d.retry(m, "send error")
		}
	}
	d.Log.Warn("send request failed", "component", "sms", "recipients", len(g), "err", err)
	return rs
}

// requestReason names a request-level failure for the failure_reason column
// and the failed metric: the gateway's reason, or the HTTP status.
func requestReason(e *africastalking.Error) string {
	switch {
	case e.Reason != "":
		return e.Reason
	case e.HTTPStatus == 0:
		return "no answer"
	default:
		return "HTTP " + strconv.Itoa(e.HTTPStatus)
	}
}

// recipients maps the gateway's per-recipient answers onto g. An answer is
// found by number; a message the gateway did not mention is retried.
func (d *Dispatcher) recipients(g group, recs []africastalking.Recipient) []store.Result {
	byNumber := make(map[string]africastalking.Recipient, len(recs))
	for _, r := range recs {
		byNumber[r.Number] = r
	}
	rs := make([]store.Result, len(g))
	for i, m := range g {
		r, ok := byNumber[m.Phone]
		if !ok && len(recs) == len(g) {
			r, ok = recs[i], true
		}
		switch {
		case !ok:
			rs[i] = d.retry(m, "no result")
		case r.OK():
			rs[i] = store.Result{ID: m.ID, Status: store.OutAccepted, GatewayID: r.MessageID, Cost: r.Cost.Amount, Currency: r.Cost.Currency}
		case r.Retryable():
			rs[i] = d.retry(m, r.Status)
		default:
			rs[i] = store.Result{ID: m.ID, Status: store.OutFailed, Reason: r.Status}
		}
	}
	return rs
}
