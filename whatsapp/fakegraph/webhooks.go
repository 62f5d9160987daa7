package fakegraph

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// change wraps one value in the webhook envelope of field "messages" (whatsapp-api.md §3.3).
func (s *Server) change(value map[string]any) []byte {
	value["messaging_product"] = "whatsapp"
	value["metadata"] = map[string]any{"display_phone_number": "254700000000", "phone_number_id": s.cfg.PhoneNumberID}
	body, _ := json.Marshal(map[string]any{"object": "whatsapp_business_account", "entry": []any{
		map[string]any{"id": "WABA", "changes": []any{map[string]any{"field": "messages", "value": value}}}}})
	return body
}

// Chaos are the fake's misbehaviours that Meta's webhooks show (whatsapp-api.md §9.5), each off
// unless set: the app must come to the same state with any of them.
type Chaos struct {
	// Duplicates posts every webhook twice.
	Duplicates bool
	// Reorder sends a message's statuses newest first.
	Reorder bool
	// Batch sends a message's statuses together in one POST.
	Batch bool
	// NoDelivered leaves out the delivered status (read still comes).
	NoDelivered bool
}

// ParseChaos reads a comma-separated list of dup, reorder, batch and nodelivered.
func ParseChaos(list string) (Chaos, error) {
	var c Chaos
	for _, f := range strings.Split(list, ",") {
		switch strings.TrimSpace(f) {
		case "":
		case "dup":
			c.Duplicates = true
		case "reorder":
			c.Reorder = true
		case "batch":
			c.Batch = true
		case "nodelivered":
			c.NoDelivered = true
		default:
			return c, fmt.Errorf("fakegraph: chaos %q: want dup, reorder, batch or nodelivered", f)
		}
	}
	return c, nil
}

// SetChaos turns the misbehaviours of c on (and the others off).
func (s *Server) SetChaos(c Chaos) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chaos = c
}

func (s *Server) chaosNow() Chaos {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.chaos
}

// statuses posts the webhooks of message id's statuses, in order, each in its own POST, unless
// the chaos switches say otherwise.
func (s *Server) statuses(id, digits, opaque string, statuses ...string) {
	chaos := s.chaosNow()
	at := strconv.FormatInt(s.now().Unix(), 10)
	var events []any
	for _, st := range statuses {
		if st == "delivered" && chaos.NoDelivered {
			continue
		}
		status := map[string]any{"id": id, "status": st, "timestamp": at, "recipient_id": digits,
			"pricing": map[string]any{"billable": false, "pricing_model": "PMP", "type": "free_customer_service", "category": "service"}}
		if opaque != "" {
			status["biz_opaque_callback_data"] = opaque
		}
		if st == "failed" {
			status["errors"] = []any{map[string]any{"code": 131026, "title": "Message undeliverable"}}
		}
		events = append(events, status)
	}
	if chaos.Reorder {
		slices.Reverse(events)
	}
	if chaos.Batch {
		s.post(s.change(map[string]any{"statuses": events}))
		return
	}
	for _, e := range events {
		s.post(s.change(map[string]any{"statuses": []any{e}}))
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
