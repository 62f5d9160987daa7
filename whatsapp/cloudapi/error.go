package cloudapi

import (
	"fmt"
	"net/http"
)

// Error codes of the Graph API that Chanjo's policy branches on (whatsapp-api.md §1.5).
const (
	CodeTokenExpired    = 190    // the access token expired or was revoked
	CodeRestricted      = 368    // the account is restricted for a policy violation
	CodeOutsideWindow   = 131047 // more than 24 hours since the user last wrote: send a template instead
	CodeUndeliverable   = 131026 // not on WhatsApp, or an old app: fall back to SMS
	CodeMediaFailed     = 131053 // Meta could not fetch or process the media; worth another try
	CodeThroughput      = 130429 // the number's messages-per-second limit
	CodePairRate        = 131056 // too many messages to the same user
	CodeInvalidParam    = 100
	CodeInvalidParamVal = 131009
)

// retryableCodes are answers that a later identical request may turn into a success: throttling,
// maintenance and Meta's own temporary failures (courier's list, plus the "unknown" codes of §1.5).
var retryableCodes = map[int]bool{
	1: true, 2: true, 4: true, 80007: true, CodeThroughput: true, 131048: true, CodePairRate: true,
	131057: true, 133016: true, 131000: true, 131016: true, 133004: true, CodeMediaFailed: true,
}

// accountCodes refuse the business account, not the message: any other request would be refused the
// same way until a person acts (a new token, an appeal, a payment method).
var accountCodes = map[int]bool{
	0: true, 10: true, CodeTokenExpired: true, 200: true,
	CodeRestricted: true, 131031: true, 130497: true, 131042: true,
}

// Error is a Graph API request that did not succeed. Policy code branches on AccountFault first, then
// Retryable; the other fields are for logs and the outbox's last-error column.
type Error struct {
	// HTTPStatus is the answer's status code, 0 when no answer arrived (connection failure, timeout).
	HTTPStatus int
	// Code is error.code of Meta's error body, -1 when the body held none.
	Code int
	// Details is error.error_data.details, else error.message: Meta's words, never a phone number.
	Details string
	// Err is the transport or decoding error, if any.
	Err error
}

// Error describes the failure without any phone number or message text.
func (e *Error) Error() string {
	switch {
	case e.HTTPStatus == 0:
		return fmt.Sprintf("cloudapi: request: %v", e.Err)
	case e.Code >= 0:
		return fmt.Sprintf("cloudapi: request: HTTP %d: code %d: %s", e.HTTPStatus, e.Code, e.Details)
	case e.Err != nil:
		return fmt.Sprintf("cloudapi: request: HTTP %d: %v", e.HTTPStatus, e.Err)
	}
	return fmt.Sprintf("cloudapi: request: HTTP %d", e.HTTPStatus)
}

// Unwrap returns the transport or decoding error, so errors.Is(err, context.DeadlineExceeded) works.
func (e *Error) Unwrap() error { return e.Err }

// Unconfirmed reports whether the API answered 2xx but the answer could not be read, or no answer
// came at all: the message may have been accepted. Meta has no idempotency key (whatsapp-api.md §2.7),
// so a retry after such an error may reach the user twice; the status webhooks settle which copy counts.
func (e *Error) Unconfirmed() bool {
	return e.HTTPStatus == 0 || (is2xx(e.HTTPStatus) && e.Err != nil)
}

// Retryable reports whether the same request later may succeed: no answer (losing a message is worse
// than a rare duplicate), HTTP 429 and 5xx, and the throttling and temporary codes. Account faults are
// not retryable as message faults: the caller checks AccountFault first and pauses sending.
func (e *Error) Retryable() bool {
	switch {
	case e.HTTPStatus == 0:
		return true
	case is2xx(e.HTTPStatus):
		return false
	case e.AccountFault():
		return false
	case retryableCodes[e.Code]:
		return true
	}
	return e.HTTPStatus == http.StatusTooManyRequests || e.HTTPStatus >= 500
}

// AccountFault reports whether Meta refused the account rather than the message: an expired or
// revoked token (190), a permission error, or a restricted account (368 and the payment codes).
// Sending should pause for the whole service, as for SMS, instead of failing messages.
func (e *Error) AccountFault() bool {
	return e.HTTPStatus != 0 && !is2xx(e.HTTPStatus) && accountCodes[e.Code]
}

// Permanent reports whether the message itself is refused for good (outside the window, not on
// WhatsApp, a bad parameter): the caller falls back (a template, SMS) or fails the message.
func (e *Error) Permanent() bool {
	return !e.Retryable() && !e.AccountFault() && !e.Unconfirmed()
}

func is2xx(status int) bool { return status >= 200 && status < 300 }
