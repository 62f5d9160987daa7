package africastalking

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// ErrInvalidCallback is wrapped by every callback parse error: a required field is missing or
// unreadable. HTTP handlers answer it with 400.
var ErrInvalidCallback = errors.New("invalid callback")

// Incoming is an SMS a user sent to our short code.
type Incoming struct {
	// ID is the gateway's id: a UUID or a number, treated as an opaque string and used to drop the
	// gateway's retries (it re-posts every minute until it gets a 200).
	ID   string
	From string
	To   string
	Text string
	// Date is when the gateway received the message, in UTC.
	Date time.Time
	// LinkID is set for premium on-demand messages; "" otherwise.
	LinkID      string
	NetworkCode string
}

// dateLayouts are the two forms the gateway uses; RFC 3339 also covers fractional seconds.
var dateLayouts = []string{time.RFC3339, "2006-01-02 15:04:05"}

// ParseIncoming reads an incoming-SMS callback form. id, from, to and date are required; text may be
// empty (an empty SMS still deserves a help reply).
func ParseIncoming(v url.Values) (Incoming, error) {
	if err := require(v, "id", "from", "to", "date"); err != nil {
		return Incoming{}, fmt.Errorf("africastalking: parse incoming: %w", err)
	}
	date, err := parseDate(v.Get("date"))
	if err != nil {
		return Incoming{}, fmt.Errorf("africastalking: parse incoming: %w", err)
	}
	return Incoming{
		ID:          v.Get("id"),
		From:        strings.TrimSpace(v.Get("from")),
		To:          strings.TrimSpace(v.Get("to")),
		Text:        v.Get("text"),
		Date:        date,
		LinkID:      v.Get("linkId"),
		NetworkCode: v.Get("networkCode"),
	}, nil
}

// parseDate reads "2017-05-03 06:04:45" (taken as UTC) or RFC 3339 ("2017-05-03T06:04:45Z").
func parseDate(s string) (time.Time, error) {
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("date %q in no known format: %w", s, ErrInvalidCallback)
}

func require(v url.Values, fields ...string) error {
	for _, f := range fields {
		if strings.TrimSpace(v.Get(f)) == "" {
			return fmt.Errorf("field %q missing: %w", f, ErrInvalidCallback)
		}
	}
	return nil
}

// DeliveryState is what a delivery-report status means for the message.
type DeliveryState int

const (
	// StateUnknown is a status this package does not know. It is accepted and treated as
	// intermediate: it must never overwrite a final state.
	StateUnknown DeliveryState = iota
	// StatePending is an intermediate status: Sent, Submitted, Buffered.
	StatePending
	// StateDelivered is the final Success: the handset has the message.
	StateDelivered
	// StateFailed is a final failure: Failed, Rejected, Expired, AbsentSubscriber.
	StateFailed
)

// deliveryStates classifies the delivery statuses of docs/gateway.md, "Callbacks to Chanjo". Expired and AbsentSubscriber are marked
// final failures although the docs leave it open (§15): the gateway retries bulk SMS no further
// (retryCount applies to premium SMS only), so waiting on them would leave a message pending forever,
// and a supervisor is better served by "failed: phone off" than by an endless "sent".
var deliveryStates = map[string]DeliveryState{
	"sent":             StatePending,
	"submitted":        StatePending,
	"buffered":         StatePending,
	"success":          StateDelivered,
	"failed":           StateFailed,
	"rejected":         StateFailed,
	"expired":          StateFailed,
	"absentsubscriber": StateFailed,
}

// ClassifyStatus returns the DeliveryState of a delivery-report status, matched case-insensitively.
func ClassifyStatus(status string) DeliveryState {
	return deliveryStates[strings.ToLower(strings.TrimSpace(status))]
}

// DeliveryReport is the gateway's news about one sent message.
type DeliveryReport struct {
	// ID is the MessageID from the send answer.
	ID          string
	Status      string
	State       DeliveryState
	PhoneNumber string
	NetworkCode string
	// FailureReason is set on some Failed and Rejected reports, e.g. "UserInBlackList".
	FailureReason string
	// RetryCount is the gateway's retry count (premium SMS only); 0 when absent or unreadable, since
	// a report must not be lost over a field nobody acts on.
	RetryCount int
}

// ParseDeliveryReport reads a delivery-report callback form. id and status are required; any status is
// accepted (unknown ones get StateUnknown) so the handler can answer 200.
func ParseDeliveryReport(v url.Values) (DeliveryReport, error) {
	if err := require(v, "id", "status"); err != nil {
		return DeliveryReport{}, fmt.Errorf("africastalking: parse delivery report: %w", err)
	}
	retries, err := strconv.Atoi(v.Get("retryCount"))
	if err != nil {
		retries = 0
	}
	status := strings.TrimSpace(v.Get("status"))
	return DeliveryReport{
		ID:            v.Get("id"),
		Status:        status,
		State:         ClassifyStatus(status),
		PhoneNumber:   strings.TrimSpace(v.Get("phoneNumber")),
		NetworkCode:   v.Get("networkCode"),
		FailureReason: v.Get("failureReason"),
		RetryCount:    retries,
	}, nil
}

// OptOut is a callback about a number's subscription to a sender: the bulk-SMS opt-out callback
// (senderId, phoneNumber: the number opted out of that sender ID), or the premium subscription
// notification (phoneNumber, shortCode, keyword, updateType "addition" or "deletion").
type OptOut struct {
	SenderID    string
	PhoneNumber string
	// ShortCode and UpdateType are set on a subscription notification only.
	ShortCode  string
	UpdateType string
}

// ParseOptOut reads an opt-out or subscription callback form. phoneNumber is required.
func ParseOptOut(v url.Values) (OptOut, error) {
	if err := require(v, "phoneNumber"); err != nil {
		return OptOut{}, fmt.Errorf("africastalking: parse opt-out: %w", err)
	}
	return OptOut{SenderID: v.Get("senderId"), PhoneNumber: strings.TrimSpace(v.Get("phoneNumber")),
		ShortCode: strings.TrimSpace(v.Get("shortCode")), UpdateType: strings.TrimSpace(v.Get("updateType"))}, nil
}

// Removal reports whether the callback says the number no longer wants messages from Sender: a bulk-SMS
// opt-out, or a subscription "deletion" (any case, docs/gateway.md, "Callbacks to Chanjo"). An "addition" is not one.
func (o OptOut) Removal() bool {
	return o.UpdateType == "" || strings.EqualFold(o.UpdateType, "deletion")
}

// Sender is the sender the callback is about: the sender ID of an opt-out, the short code of a
// subscription notification.
func (o OptOut) Sender() string {
	if o.UpdateType != "" {
		return o.ShortCode
	}
	return o.SenderID
}

// BlacklistReason reports whether a send status or a delivery report's failureReason says the operator
// blocks the number from this sender: "UserInBlacklist" in a send answer, "UserInBlackList" in a report.
func BlacklistReason(s string) bool {
	return strings.EqualFold(s, "UserInBlacklist")
}
