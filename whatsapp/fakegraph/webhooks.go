package fakegraph

import (
	"encoding/json"
	"strconv"
)

// change wraps one value in the webhook envelope of field "messages" (whatsapp-api.md §3.3).
func (s *Server) change(value map[string]any) []byte {
	value["messaging_product"] = "whatsapp"
	value["metadata"] = map[string]any{"display_phone_number": "254700000000", "phone_number_id": s.cfg.PhoneNumberID}
	body, _ := json.Marshal(map[string]any{"object": "whatsapp_business_account", "entry": []any{
		map[string]any{"id": "WABA", "changes": []any{map[string]any{"field": "messages", "value": value}}}}})
	return body
}

// statuses posts one webhook per status of message id, in order, each in its own POST.
func (s *Server) statuses(id, digits, opaque string, statuses ...string) {
	at := strconv.FormatInt(s.now().Unix(), 10)
	for _, st := range statuses {
		status := map[string]any{"id": id, "status": st, "timestamp": at, "recipient_id": digits,
			"pricing": map[string]any{"billable": false, "pricing_model": "PMP", "type": "free_customer_service", "category": "service"}}
		if opaque != "" {
			status["biz_opaque_callback_data"] = opaque
		}
		if st == "failed" {
			status["errors"] = []any{map[string]any{"code": 131026, "title": "Message undeliverable"}}
		}
		s.post(s.change(map[string]any{"statuses": []any{status}}))
	}
}

// Inbound delivers a text from the user digits (without "+") to the app as Meta would, and opens her
// 24-hour window. It returns the message's wamid.
func (s *Server) Inbound(digits, text string) string {
	s.mu.Lock()
	s.seq++
	id := "wamid.FAKEIN" + strconv.Itoa(s.seq)
	now := s.clock()
	s.lastIn[digits] = now
	s.mu.Unlock()
	s.post(s.change(map[string]any{
		"contacts": []any{map[string]any{"profile": map[string]any{"name": "Fake"}, "wa_id": digits}},
		"messages": []any{map[string]any{"from": digits, "id": id, "timestamp": strconv.FormatInt(now.Unix(), 10),
			"type": "text", "text": map[string]any{"body": text}}},
	}))
	return id
}
