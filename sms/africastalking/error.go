package africastalking

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Error is a send request that produced no per-recipient results. Policy code branches on Retryable
// (and Unconfirmed); the other fields are for logs and the outbox's last-error column.
type Error struct {
	// HTTPStatus is the answer's status code, 0 when no answer arrived (connection failure, timeout).
	HTTPStatus int
	// Body is the start of the answer's body, e.g. "The supplied authentication is invalid".
	Body string
	// Reason is SMSMessageData.Message of an answer with an empty Recipients list, e.g. "InvalidSenderId".
	Reason string
	// Err is the transport or decoding error, if any.
	Err error
}

// Error describes the failure without any phone number or message text.
func (e *Error) Error() string {
	switch {
	case e.HTTPStatus == 0:
		return fmt.Sprintf("africastalking: send: %v", e.Err)
	case e.Err != nil:
		return fmt.Sprintf("africastalking: send: HTTP %d: %v", e.HTTPStatus, e.Err)
	case is2xx(e.HTTPStatus):
		return fmt.Sprintf("africastalking: send: no recipients accepted: %q", e.Reason)
	default:
		return fmt.Sprintf("africastalking: send: HTTP %d: %q", e.HTTPStatus, e.Body)
	}
}

// Unwrap returns the transport or decoding error, so errors.Is(err, context.DeadlineExceeded) works.
func (e *Error) Unwrap() error { return e.Err }

// Unconfirmed reports whether the gateway answered 2xx but the answer could not be read (not JSON,
// malformed, cut short). The gateway had accepted the request, so the messages were probably sent; their
// message ids and per-recipient results are unknown.
func (e *Error) Unconfirmed() bool {
	return is2xx(e.HTTPStatus) && e.Err != nil
}

// Retryable reports whether sending the same request again later is safe and may succeed:
//   - no answer (connection refused, reset, timeout): retryable. Most such failures happen before the
//     gateway accepted anything, and losing a message is worse than the rare duplicate.
//   - 429 and 5xx: retryable (throttled, or the gateway is failing).
//   - 401 (bad key, or a live key against the sandbox) and other 4xx: not retryable as a message
//     fault; 401 and 403 are AccountFault, which the caller checks first.
//   - 2xx with an unreadable body (Unconfirmed): NOT retryable. Unlike a lost connection, a 2xx says
//     the gateway accepted the request, so a blind retry would send every message twice.
//   - 2xx with an empty Recipients list: nothing was sent, so the Reason decides, with the same table as
//     a recipient's status code: InvalidSenderId and InsufficientBalance are retryable after a fix or a
//     top-up (docs/gateway.md, "Sending SMS"); a reason the table does not know is retryable, because nothing was
//     sent and the caller's attempt limit bounds the retries.
func (e *Error) Retryable() bool {
	switch {
	case e.HTTPStatus == 0:
		return true
	case e.Unconfirmed():
		return false
	case is2xx(e.HTTPStatus):
		code, known := statusCodes[e.Reason]
		return !known || retryableCode(code)
	case e.HTTPStatus == http.StatusTooManyRequests || e.HTTPStatus >= 500:
		return true
	default:
		return false
	}
}

// AccountFault reports whether the gateway refused the account, not the messages: a whole-request 401
// or 403 (a wrong key, a key rotated less than about 20 minutes ago, a suspended account), or a 2xx with
// no recipients and the reason InsufficientBalance. Any other request would be refused the same way
// until a person acts or the key starts working, so the caller should pause sending and probe rather
// than fail messages (docs/gateway.md, "Sending SMS").
func (e *Error) AccountFault() bool {
	switch {
	case e.HTTPStatus == http.StatusUnauthorized || e.HTTPStatus == http.StatusForbidden:
		return true
	case is2xx(e.HTTPStatus) && e.Err == nil:
		return statusCodes[e.Reason] == CodeInsufficientBalance
	}
	return false
}

// Words is what the gateway said, for people (a log line, the console's banner): its reason, else the
// start of its body, else the HTTP status.
func (e *Error) Words() string {
	switch {
	case e.Reason != "":
		return e.Reason
	case strings.TrimSpace(e.Body) != "":
		return strings.TrimSpace(e.Body)
	case e.HTTPStatus == 0:
		return "no answer"
	}
	return "HTTP " + strconv.Itoa(e.HTTPStatus)
}

func is2xx(status int) bool { return status >= 200 && status < 300 }
