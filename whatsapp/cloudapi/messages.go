package cloudapi

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Limits of interactive messages (whatsapp-api.md §2.2, §2.3, §9.7). Checking them here turns what
// Meta would refuse with 131009 into an error before any request.
const (
	MaxListRows     = 10
	MaxRowTitle     = 24
	MaxButtons      = 3
	MaxButtonTitle  = 20
	MaxListButton   = 20
	MaxRowDescrText = 72
)

// MaxText is the most characters of a text message's body (whatsapp-api.md §2.1): a longer text is
// cut by whoever words it.
const MaxText = 4096

// ErrInvalidMessage is a message the API would refuse as it stands (too many rows, a title too long,
// a number without "+"); nothing was sent.
var ErrInvalidMessage = errors.New("cloudapi: invalid message")

// Row is one choice of a list message or a reply button; ID comes back in the user's reply.
type Row struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
}

// Message is one message to send. Exactly one of the content fields is used, chosen by the
// constructor (Text, List, Buttons, Template, Document).
type Message struct {
	// To is the recipient in E.164 with its "+": without it Meta prepends the business number's
	// country code (whatsapp-api.md §9.1).
	To string
	// Opaque is echoed back as biz_opaque_callback_data in the status webhooks: the outbox row's id.
	Opaque string
	// group: To is a group id (recipient_type "group"), not a phone number.
	group   bool
	payload map[string]any
	check   func() error
}

// Text is a free-form text message, allowed only inside the user's 24-hour window.
func Text(to, body string) Message {
	return Message{To: to, payload: map[string]any{"type": "text", "text": map[string]any{"body": body, "preview_url": false}}}
}

// List is an interactive list message: a menu of at most 10 rows in one section behind a button.
func List(to, body, button string, rows []Row) Message {
	m := Message{To: to, payload: map[string]any{"type": "interactive", "interactive": map[string]any{
		"type":   "list",
		"body":   map[string]any{"text": body},
		"action": map[string]any{"button": button, "sections": []any{map[string]any{"rows": rows}}},
	}}}
	m.check = func() error {
		if len(rows) == 0 || len(rows) > MaxListRows || utf8.RuneCountInString(button) > MaxListButton {
			return fmt.Errorf("%w: a list needs 1 to %d rows and a button of at most %d characters", ErrInvalidMessage, MaxListRows, MaxListButton)
		}
		return checkRows(rows, MaxRowTitle)
	}
	return m
}

// Buttons is an interactive message with at most 3 reply buttons.
func Buttons(to, body string, buttons []Row) Message {
	reply := make([]any, len(buttons))
	for i, b := range buttons {
		reply[i] = map[string]any{"type": "reply", "reply": map[string]any{"id": b.ID, "title": b.Title}}
	}
	m := Message{To: to, payload: map[string]any{"type": "interactive", "interactive": map[string]any{
		"type": "button", "body": map[string]any{"text": body}, "action": map[string]any{"buttons": reply},
	}}}
	m.check = func() error {
		if len(buttons) == 0 || len(buttons) > MaxButtons {
			return fmt.Errorf("%w: 1 to %d buttons", ErrInvalidMessage, MaxButtons)
		}
		return checkRows(buttons, MaxButtonTitle)
	}
	return m
}

// Template is an approved template message, the only kind allowed outside the 24-hour window. lang
// must be the template's exact language code ("en" is not "en_US"); params fill the body's {{1}}, {{2}}….
func Template(to, name, lang string, params ...string) Message {
	tmpl := map[string]any{"name": name, "language": map[string]any{"code": lang}}
	if len(params) > 0 {
		p := make([]any, len(params))
		for i, s := range params {
			p[i] = map[string]any{"type": "text", "text": s}
		}
		tmpl["components"] = []any{map[string]any{"type": "body", "parameters": p}}
	}
	return Message{To: to, payload: map[string]any{"type": "template", "template": tmpl}}
}

// Document is a document (a job aid) sent by link, or by an uploaded media id when link has no "://".
// Meta caches a link for 10 minutes, so a changed file needs a new URL.
func Document(to, link, filename, caption string) Message {
	doc := map[string]any{"filename": filename}
	if strings.Contains(link, "://") {
		doc["link"] = link
	} else {
		doc["id"] = link
	}
	if caption != "" {
		doc["caption"] = caption
	}
	return Message{To: to, payload: map[string]any{"type": "document", "document": doc}}
}

func checkRows(rows []Row, maxTitle int) error {
	seen := map[string]bool{}
	for _, r := range rows {
		if r.ID == "" || seen[r.ID] || r.Title == "" || utf8.RuneCountInString(r.Title) > maxTitle ||
			utf8.RuneCountInString(r.Description) > MaxRowDescrText {
			return fmt.Errorf("%w: each choice needs a unique id and a title of 1 to %d characters", ErrInvalidMessage, maxTitle)
		}
		seen[r.ID] = true
	}
	return nil
}

// Send sends m and returns Meta's acceptance. An error is an *Error for anything the API or the
// network said, or ErrInvalidMessage before any request.
func (c *Client) Send(ctx context.Context, m Message) (Sent, error) {
	recipient := "individual"
	switch {
	case m.group && (m.payload["type"] == "interactive" || m.To == ""):
		return Sent{}, fmt.Errorf("%w: a group takes text, media and templates, and needs its id", ErrInvalidMessage)
	case m.group:
		recipient = "group"
	case !strings.HasPrefix(m.To, "+") || len(m.To) < 8:
		return Sent{}, fmt.Errorf("%w: the recipient needs its + and country code", ErrInvalidMessage)
	}
	if m.check != nil {
		if err := m.check(); err != nil {
			return Sent{}, err
		}
	}
	body := map[string]any{"messaging_product": "whatsapp", "recipient_type": recipient, "to": m.To}
	for k, v := range m.payload {
		body[k] = v
	}
	if m.Opaque != "" {
		body["biz_opaque_callback_data"] = m.Opaque
	}
	var answer struct {
		Contacts []struct {
			WAID string `json:"wa_id"`
		} `json:"contacts"`
		Messages []struct {
			ID string `json:"id"`
		} `json:"messages"`
	}
	if err := c.postJSON(ctx, "/"+c.pnid+"/messages", body, &answer); err != nil {
		return Sent{}, err
	}
	if len(answer.Messages) == 0 || answer.Messages[0].ID == "" {
		return Sent{}, &Error{HTTPStatus: 200, Code: -1, Err: errors.New("no message id in the answer")}
	}
	s := Sent{MessageID: answer.Messages[0].ID}
	if len(answer.Contacts) > 0 {
		s.WAID = answer.Contacts[0].WAID
	}
	return s, nil
}

// MarkRead marks an inbound message read (the two blue ticks) and, with typing, shows "typing…" for
// up to 25 seconds while the answer is prepared.
func (c *Client) MarkRead(ctx context.Context, messageID string, typing bool) error {
	body := map[string]any{"messaging_product": "whatsapp", "status": "read", "message_id": messageID}
	if typing {
		body["typing_indicator"] = map[string]any{"type": "text"}
	}
	return c.postJSON(ctx, "/"+c.pnid+"/messages", body, nil)
}
