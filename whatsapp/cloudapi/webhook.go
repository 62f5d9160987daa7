package cloudapi

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// SignatureHeader carries the HMAC-SHA256 of the raw webhook body keyed with the app secret.
const SignatureHeader = "X-Hub-Signature-256"

// Sign returns the SignatureHeader value of body under secret: what Meta sends, and what the fake
// Graph API and tests send.
func Sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// ValidSignature reports whether header is the signature of the raw body under secret, compared in
// constant time. It must see the bytes as received, before any parsing (whatsapp-api.md §9.15).
func ValidSignature(secret string, body []byte, header string) bool {
	if secret == "" || len(header) != len("sha256=")+2*sha256.Size {
		return false
	}
	return hmac.Equal([]byte(header), []byte(Sign(secret, body)))
}

// Webhook is the body of an event POST (whatsapp-api.md §3.3); only the fields Chanjo reads.
type Webhook struct {
	Object string `json:"object"`
	Entry  []struct {
		ID      string `json:"id"`
		Changes []struct {
			Field string `json:"field"`
			Value Value  `json:"value"`
		} `json:"changes"`
	} `json:"entry"`
}

// Value is one change: of field "messages", inbound messages and statuses of sent ones; of the
// group fields (group_lifecycle_update, group_participants_update…), the group events.
type Value struct {
	Metadata struct {
		PhoneNumberID string `json:"phone_number_id"`
	} `json:"metadata"`
	Messages []Inbound    `json:"messages"`
	Statuses []Status     `json:"statuses"`
	Groups   []GroupEvent `json:"groups"`
	// InitiatedBy sits here, outside the group, in some of Meta's samples (whatsapp-api.md §5.7).
	InitiatedBy string `json:"initiated_by,omitempty"`
}

// GroupEvent is one event of a group webhook (whatsapp-api.md §5.7): created or deleted, members
// added (joined by the link) or removed (left, or removed by the business), and the participants
// a change failed for with their errors.
type GroupEvent struct {
	Type    string `json:"type"` // group_create, group_participants_add, group_participants_remove…
	GroupID string `json:"group_id"`
	// RequestID names the request the event answers: a group_create's is CreateGroup's.
	RequestID   string        `json:"request_id,omitempty"`
	InviteLink  string        `json:"invite_link,omitempty"`
	Reason      string        `json:"reason,omitempty"`
	InitiatedBy string        `json:"initiated_by,omitempty"` // participant or business
	Added       []Participant `json:"added_participants,omitempty"`
	Removed     []Participant `json:"removed_participants,omitempty"`
	Failed      []Participant `json:"failed_participants,omitempty"`
	Errors      []struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"errors,omitempty"`
}

// Participant is a group member a change names: wa_id for one who acted, input for one the
// business named; Errors for a change that failed for her.
type Participant struct {
	WAID   string `json:"wa_id,omitempty"`
	Input  string `json:"input,omitempty"`
	Errors []struct {
		Code int `json:"code"`
	} `json:"errors,omitempty"`
}

// Digits returns the participant's number without "+": wa_id, else input.
func (p Participant) Digits() string {
	if p.WAID != "" {
		return p.WAID
	}
	return strings.TrimPrefix(p.Input, "+")
}

// ErrorCode returns the participant's first error code, 0 for none.
func (p Participant) ErrorCode() int {
	if len(p.Errors) == 0 {
		return 0
	}
	return p.Errors[0].Code
}

// Inbound is a message a user sent (whatsapp-api.md §3.4).
type Inbound struct {
	From      string `json:"from"` // digits without "+"; absent for a username-only sender
	ID        string `json:"id"`   // the wamid: the key deduplication uses
	Timestamp string `json:"timestamp"`
	Type      string `json:"type"`
	GroupID   string `json:"group_id,omitempty"`
	Text      *struct {
		Body string `json:"body"`
	} `json:"text,omitempty"`
	Interactive *struct {
		ListReply   *Row `json:"list_reply,omitempty"`
		ButtonReply *Row `json:"button_reply,omitempty"`
	} `json:"interactive,omitempty"`
	Button *struct {
		Text    string `json:"text"`
		Payload string `json:"payload"`
	} `json:"button,omitempty"`
	Image    *InboundMedia `json:"image,omitempty"`
	Document *InboundMedia `json:"document,omitempty"`
}

// InboundMedia is a photo or document a user sent: its media id and her caption.
type InboundMedia struct {
	ID       string `json:"id"`
	Caption  string `json:"caption,omitempty"`
	Filename string `json:"filename,omitempty"`
}

// Reply returns what the user said: the text, or the id and title of the chosen list row, reply
// button or template button ("" id for a plain text).
func (m Inbound) Reply() (id, text string) {
	switch {
	case m.Text != nil:
		return "", m.Text.Body
	case m.Interactive != nil && m.Interactive.ListReply != nil:
		return m.Interactive.ListReply.ID, m.Interactive.ListReply.Title
	case m.Interactive != nil && m.Interactive.ButtonReply != nil:
		return m.Interactive.ButtonReply.ID, m.Interactive.ButtonReply.Title
	case m.Button != nil:
		return m.Button.Payload, m.Button.Text
	}
	return "", ""
}

// Status is a status update of a message Chanjo sent (whatsapp-api.md §3.5).
type Status struct {
	ID          string `json:"id"`
	Status      string `json:"status"`
	Timestamp   string `json:"timestamp"`
	RecipientID string `json:"recipient_id"`
	Opaque      string `json:"biz_opaque_callback_data,omitempty"`
	Errors      []struct {
		Code int `json:"code"`
	} `json:"errors,omitempty"`
}

// statusRanks orders statuses so they are applied monotonically: webhooks arrive out of order and
// "delivered" may never come, so a status only ever replaces a lower one. "failed" sits between
// "sent" and "delivered": it is final unless a later "delivered" or "read" proves otherwise
// (whatsapp-api.md §3.6). "deleted" and unknown statuses have no rank and are ignored.
var statusRanks = map[string]int{"sent": 1, "failed": 2, "delivered": 3, "read": 4, "played": 5}

// StatusRank returns the order of status among the statuses of one message, 0 for one to ignore.
func StatusRank(status string) int { return statusRanks[status] }

// ParseWebhook decodes an event POST's body.
func ParseWebhook(body []byte) (Webhook, error) {
	var w Webhook
	if err := json.Unmarshal(body, &w); err != nil {
		return Webhook{}, fmt.Errorf("cloudapi: parse webhook: %w", err)
	}
	return w, nil
}

// ParseTime reads a webhook timestamp: Unix seconds as a string. A value in milliseconds (a bug seen
// in the field) is read as such rather than as a date thousands of years ahead.
func ParseTime(s string) (time.Time, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n <= 0 {
		return time.Time{}, fmt.Errorf("cloudapi: timestamp %q not readable", s)
	}
	if n > 1e11 {
		return time.UnixMilli(n).UTC(), nil
	}
	return time.Unix(n, 0).UTC(), nil
}
