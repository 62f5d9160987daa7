package fakegraph

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chanjo-health/chanjo/whatsapp/cloudapi"
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
	id, requestID, subject, link string
	participants                 []string // wa_ids, in join order
	removed                      map[string]bool
	lastIn                       time.Time // a member's last message: the group's window (whatsapp-api.md §5.5)
}

// ErrGroupFull is JoinGroup's error when the group already holds GroupLimit participants.
var ErrGroupFull = errors.New("fakegraph: the group is full")

// ErrNoGroup is JoinGroup's error for an unknown group or invite link, or a removed member.
var ErrNoGroup = errors.New("fakegraph: no such group, or removed from it")

// serveGroups answers POST /{pnid}/groups (create), GET /{group_id}/invite_link and
// DELETE /{group_id}/participants (remove); it reports whether the path was one of them.
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
		// Creation is asynchronous at Meta: the answer names the request, and the group's id and
		// link come in the group_create webhook that names it too (whatsapp-api.md §5.3, §5.7),
		// posted once the answer is written.
		writeJSON(w, http.StatusOK, map[string]any{"messaging_product": "whatsapp", "request_id": g.requestID})
		s.post(s.groupChange("group_lifecycle_update", map[string]any{"type": "group_create", "request_id": g.requestID,
			"group_id": g.id, "subject": g.subject, "invite_link": g.link, "join_approval_mode": "auto_approve",
			"timestamp": strconv.FormatInt(s.clock().Unix(), 10)}))
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
	case len(parts) == 3 && parts[2] == "participants" && r.Method == http.MethodDelete:
		s.removeParticipants(w, r, parts[1])
		return true
	}
	return false
}

// removeParticipants takes the users the request names out of the group for good (they cannot
// join again by the link) and posts the group_participants_remove webhook, initiated by the business:
// removed_participants by input, failed_participants (131212) for those not in the group.
func (s *Server) removeParticipants(w http.ResponseWriter, r *http.Request, groupID string) {
	var in struct {
		Participants []struct {
			User string `json:"user"`
		} `json:"participants"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&in); err != nil || len(in.Participants) == 0 {
		writeError(w, http.StatusBadRequest, 100, "participants are required")
		return
	}
	s.mu.Lock()
	g, ok := s.groups[groupID]
	if !ok {
		s.mu.Unlock()
		writeError(w, http.StatusBadRequest, codeUnknownGroup, "Unknown group")
		return
	}
	removed, failed := []any{}, []any{}
	for _, p := range in.Participants {
		d := strings.TrimPrefix(p.User, "+")
		i := slices.Index(g.participants, d)
		if i < 0 {
			failed = append(failed, map[string]any{"input": p.User, "errors": []any{map[string]any{"code": codeNotMember, "title": "Not a member"}}})
			continue
		}
		g.participants = slices.Delete(g.participants, i, i+1)
		g.removed[d] = true
		removed = append(removed, map[string]any{"input": p.User})
	}
	s.seq++
	req := "FAKEREQ" + strconv.Itoa(s.seq)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"messaging_product": "whatsapp", "success": true})
	s.post(s.groupChange("group_participants_update", map[string]any{"type": "group_participants_remove", "group_id": groupID,
		"request_id": req, "removed_participants": removed, "failed_participants": failed, "initiated_by": "business"}))
}

func (s *Server) createGroup(subject string) *group {
	s.mu.Lock()
	s.seq++
	n := strconv.Itoa(s.seq)
	g := &group{id: "FAKEGROUP" + n, requestID: "FAKEREQ" + n, subject: subject, link: "https://chat.whatsapp.com/FAKE" + n,
		removed: map[string]bool{}}
	if s.groups == nil {
		s.groups = map[string]*group{}
	}
	s.groups[g.id] = g
	s.mu.Unlock()
	return g
}

// GroupOfRequest returns the id and invite link of the group the create request requestID made
// (what its group_create webhook carries); ok is false for an unknown request.
func (s *Server) GroupOfRequest(requestID string) (id, link string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, g := range s.groups {
		if g.requestID == requestID {
			return g.id, g.link, true
		}
	}
	return "", "", false
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
		// Meta documents no webhook for a join refused because the group is full; the fake tells
		// the app in the participants webhook's failed_participants, with the over-limit code, so
		// that the app's handling of it can be tested (docs/whatsapp.md says so).
		s.post(s.groupChange("group_participants_update", map[string]any{"type": "group_participants_add", "group_id": g.id,
			"reason": "invite_link", "added_participants": []any{}, "failed_participants": []any{map[string]any{"wa_id": digits,
				"errors": []any{map[string]any{"code": codeGroupOverLimit, "title": "The group is full"}}}}}))
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
// cannot go to groups, a group needs a participant, and free-form text needs the group's window
// open (a member wrote in the last 24 hours).
func (s *Server) groupRefusal(env envelope) (code, status int, words string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.groups[env.To]
	switch {
	case !ok:
		return codeUnknownGroup, http.StatusBadRequest, "Unknown group"
	case env.Type == "interactive":
		return 131009, http.StatusBadRequest, "Interactive messages are not supported in groups"
	case len(g.participants) == 0:
		return 131020, http.StatusBadRequest, "The group has no participants yet"
	case env.Type == "template" && (env.Template == nil || !s.hasTemplate(env.Template.Name+"/"+env.Template.Language.Code)):
		return 132001, http.StatusNotFound, "Template name does not exist in the translation"
	case env.Type != "template" && s.clock().Sub(g.lastIn) > Window:
		return cloudapi.CodeOutsideWindow, http.StatusBadRequest, "Re-engagement message: no member wrote in the group for 24 hours"
	}
	return 0, 0, ""
}

// groupChange wraps one group event in a webhook of field, under value.groups[] (whatsapp-api.md §5.7).
func (s *Server) groupChange(field string, event map[string]any) []byte {
	value := map[string]any{"messaging_product": "whatsapp", "metadata": map[string]any{"phone_number_id": s.cfg.PhoneNumberID},
		"groups": []any{event}}
	body, _ := json.Marshal(map[string]any{"object": "whatsapp_business_account", "entry": []any{
		map[string]any{"id": "WABA", "changes": []any{map[string]any{"field": field, "value": value}}}}})
	return body
}

// GroupInbound delivers a participant's message in a group to the app as Meta would: its group_id,
// the member digits as from (whatsapp-api.md §5.6). kind is "text", "image" or "document"; text is
// the body, or the media's caption. It opens the group's window, as any member's message does
// (§5.5), and returns the message's wamid; "" when digits is not a participant.
func (s *Server) GroupInbound(groupID, digits, kind, text string) string {
	s.mu.Lock()
	g, ok := s.groups[groupID]
	if !ok || !slices.Contains(g.participants, digits) {
		s.mu.Unlock()
		return ""
	}
	s.seq++
	id := "wamid.FAKEGIN" + strconv.Itoa(s.seq)
	now := s.clock()
	g.lastIn = now
	s.mu.Unlock()
	msg := map[string]any{"from": digits, "id": id, "timestamp": strconv.FormatInt(now.Unix(), 10), "type": kind, "group_id": groupID}
	switch kind {
	case "text":
		msg["text"] = map[string]any{"body": text}
	default:
		msg[kind] = map[string]any{"id": "FAKEMEDIA" + strconv.Itoa(s.seq), "caption": text}
	}
	s.post(s.change(map[string]any{
		"contacts": []any{map[string]any{"profile": map[string]any{"name": "Fake"}, "wa_id": digits}},
		"messages": []any{msg},
	}))
	return id
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
