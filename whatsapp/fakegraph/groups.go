package fakegraph

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// GroupLimit is the most participants a Cloud API group holds (whatsapp-api.md §5).
const GroupLimit = 8

// Group error codes the fake answers with (whatsapp-api.md §5.9).
const (
	codeGroupOverLimit = 131204
	codeNotMember      = 131212
	codeUnknownGroup   = 131041
)

// group is a group the business created: joined only by its invite link, removed members never again.
type group struct {
	id, subject, link string
	participants      []string // wa_ids, in join order
	removed           map[string]bool
}

// ErrGroupFull is JoinGroup's error when the group already holds GroupLimit participants.
var ErrGroupFull = errors.New("fakegraph: the group is full")

// ErrNoGroup is JoinGroup's error for an unknown group or invite link, or a removed member.
var ErrNoGroup = errors.New("fakegraph: no such group, or removed from it")

// serveGroups answers POST /{pnid}/groups (create) and GET /{group_id}/invite_link; it reports
// whether the path was one of them.
func (s *Server) serveGroups(w http.ResponseWriter, r *http.Request, parts []string) bool {
	switch {
	case len(parts) == 3 && parts[1] == s.cfg.PhoneNumberID && parts[2] == "groups" && r.Method == http.MethodPost:
		var in struct {
			Subject string `json:"subject"`
		}
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&in); err != nil || in.Subject == "" {
			writeError(w, http.StatusBadRequest, 100, "subject is required")
			return true
		}
		g := s.createGroup(in.Subject)
		// Meta's synchronous answer is undocumented; the fake answers with what the webhook carries.
		writeJSON(w, http.StatusOK, map[string]any{"id": g.id, "invite_link": g.link})
		return true
	case len(parts) == 3 && parts[2] == "invite_link" && r.Method == http.MethodGet:
		s.mu.Lock()
		g, ok := s.groups[parts[1]]
		s.mu.Unlock()
		if !ok {
			writeError(w, http.StatusBadRequest, codeUnknownGroup, "Unknown group")
			return true
		}
		writeJSON(w, http.StatusOK, map[string]any{"messaging_product": "whatsapp", "invite_link": g.link})
		return true
	}
	return false
}

func (s *Server) createGroup(subject string) *group {
	s.mu.Lock()
	s.seq++
	n := strconv.Itoa(s.seq)
	g := &group{id: "FAKEGROUP" + n, subject: subject, link: "https://chat.whatsapp.com/FAKE" + n, removed: map[string]bool{}}
	if s.groups == nil {
		s.groups = map[string]*group{}
	}
	s.groups[g.id] = g
	s.mu.Unlock()
	s.post(s.groupChange("group_lifecycle_update", map[string]any{"type": "group_create", "group_id": g.id,
		"subject": subject, "invite_link": g.link, "join_approval_mode": "auto_approve"}))
	return g
}

// JoinGroup is a test control: the user digits opens the invite link and joins. The app gets the
// group_participants_add webhook; a full group (GroupLimit) or a removed member is refused.
func (s *Server) JoinGroup(link, digits string) error {
	s.mu.Lock()
	var g *group
	for _, x := range s.groups {
		if x.link == link || x.id == link {
			g = x
		}
	}
	switch {
	case g == nil || g.removed[digits]:
		s.mu.Unlock()
		return ErrNoGroup
	case slices.Contains(g.participants, digits):
		s.mu.Unlock()
		return nil
	case len(g.participants) >= GroupLimit:
		s.mu.Unlock()
		return ErrGroupFull
	}
	g.participants = append(g.participants, digits)
	s.mu.Unlock()
	s.post(s.groupChange("group_participants_update", map[string]any{"type": "group_participants_add", "group_id": g.id,
		"reason": "invite_link", "added_participants": []any{map[string]any{"wa_id": digits}}}))
	return nil
}

// Participants returns the wa_ids in the group, in join order.
func (s *Server) Participants(groupID string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if g, ok := s.groups[groupID]; ok {
		return slices.Clone(g.participants)
	}
	return nil
}

// groupRefusal is the error of a send to a group, 0 when it is accepted: interactive messages
// cannot go to groups, and a group needs a participant.
func (s *Server) groupRefusal(env envelope) (code, status int, words string) {
	s.mu.Lock()
	g, ok := s.groups[env.To]
	s.mu.Unlock()
	switch {
	case !ok:
		return codeUnknownGroup, http.StatusBadRequest, "Unknown group"
	case env.Type == "interactive":
		return 131009, http.StatusBadRequest, "Interactive messages are not supported in groups"
	case len(g.participants) == 0:
		return 131020, http.StatusBadRequest, "The group has no participants yet"
	}
	return 0, 0, ""
}

// groupChange wraps a group webhook value of field.
func (s *Server) groupChange(field string, value map[string]any) []byte {
	value["messaging_product"] = "whatsapp"
	value["metadata"] = map[string]any{"phone_number_id": s.cfg.PhoneNumberID}
	body, _ := json.Marshal(map[string]any{"object": "whatsapp_business_account", "entry": []any{
		map[string]any{"id": "WABA", "changes": []any{map[string]any{"field": field, "value": value}}}}})
	return body
}

// joinControl answers POST /_fake/join {"link": "…", "from": "2547…"}.
func (s *Server) joinControl(w http.ResponseWriter, r *http.Request) {
	var in struct{ Link, From string }
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&in); err != nil || in.Link == "" || in.From == "" {
		http.Error(w, `want {"link": "https://chat.whatsapp.com/…", "from": "2547…"}`, http.StatusBadRequest)
		return
	}
	switch err := s.JoinGroup(in.Link, strings.TrimPrefix(in.From, "+")); {
	case errors.Is(err, ErrGroupFull):
		writeError(w, http.StatusConflict, codeGroupOverLimit, "The group is full")
	case err != nil:
		writeError(w, http.StatusNotFound, codeNotMember, err.Error())
	default:
		writeJSON(w, http.StatusOK, map[string]any{"joined": true})
	}
}
