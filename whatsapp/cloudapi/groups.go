package cloudapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// Group error codes Chanjo's policy branches on (whatsapp-api.md §5.8).
const (
	CodeGroupEmpty     = 131020 // the group has no participant yet: nothing can be posted
	CodeGroupOverLimit = 131204 // the group holds its 8 participants already
	CodeGroupsDenied   = 131215 // the number is not eligible for groups (no Official Business Account)
)

// ToGroup returns m addressed to the group groupID (recipient_type "group") instead of a phone
// number. Groups take text, media and templates, never interactive messages (whatsapp-api.md §5.4).
func (m Message) ToGroup(groupID string) Message {
	m.To, m.group = groupID, true
	return m
}

// GroupInvite is the Template Library's "Group invite link" template to the member to: its one
// parameter is the group's id, which Meta turns into the invite link on delivery
// (whatsapp-api.md §5.3). The template must stay unedited, or it loses its utility pricing.
func GroupInvite(to, name, lang, groupID string) Message {
	return Message{To: to, payload: map[string]any{"type": "template", "template": map[string]any{
		"name": name, "language": map[string]any{"code": lang},
		"components": []any{map[string]any{"type": "body", "parameters": []any{
			map[string]any{"type": "group_id", "group_id": groupID}}}},
	}}}
}

// CreateGroup asks Meta to create a group that members join by its invite link only
// (auto-approved) and returns the request's id. Creation is asynchronous: the group's id and
// invite link come later in the group_create webhook, which names this request (GroupEvent.RequestID,
// whatsapp-api.md §5.3, §5.7).
func (c *Client) CreateGroup(ctx context.Context, subject, description string) (string, error) {
	body := map[string]any{"messaging_product": "whatsapp", "subject": subject, "join_approval_mode": "auto_approve"}
	if description != "" {
		body["description"] = description
	}
	var answer struct {
		RequestID string `json:"request_id"`
	}
	if err := c.postJSON(ctx, "/"+c.pnid+"/groups", body, &answer); err != nil {
		return "", err
	}
	if answer.RequestID == "" {
		return "", &Error{HTTPStatus: 200, Code: -1, Err: errors.New("no request id in the answer")}
	}
	return answer.RequestID, nil
}

// InviteLink returns the group's current invite link.
func (c *Client) InviteLink(ctx context.Context, groupID string) (string, error) {
	var answer struct {
		InviteLink string `json:"invite_link"`
	}
	if err := c.do(ctx, http.MethodGet, c.root+"/"+url.PathEscape(groupID)+"/invite_link", "", nil, &answer); err != nil {
		return "", err
	}
	if answer.InviteLink == "" {
		return "", &Error{HTTPStatus: 200, Code: -1, Err: errors.New("no invite link in the answer")}
	}
	return answer.InviteLink, nil
}

// RemoveParticipants removes the users (+254… or wa_id) from the group: Meta answers with the
// group_participants_remove webhook (initiated_by "business"), and a removed user can never join
// again by the link (whatsapp-api.md §5.3).
func (c *Client) RemoveParticipants(ctx context.Context, groupID string, users ...string) error {
	list := make([]map[string]string, len(users))
	for i, u := range users {
		list[i] = map[string]string{"user": u}
	}
	raw, err := json.Marshal(map[string]any{"messaging_product": "whatsapp", "participants": list})
	if err != nil {
		return fmt.Errorf("cloudapi: encode request: %w", err)
	}
	return c.do(ctx, http.MethodDelete, c.root+"/"+url.PathEscape(groupID)+"/participants", "application/json", bytes.NewReader(raw), nil)
}
