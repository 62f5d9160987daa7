// Package fakegraph is a fake WhatsApp Cloud API (Meta's Graph API) for tests and demos, as
// whatsapp-api.md §10 describes: it accepts sends from the business number, enforces the 24-hour
// window for free-form messages (131047 outside it), records every message, and posts signed status
// webhooks back to the app under test. Recipients ending in 0026 are accepted and then fail with
// 131026 (not on WhatsApp); recipients ending in 0500 get an HTTP 500.
package fakegraph

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chanjo-health/chanjo/phone"
	"github.com/chanjo-health/chanjo/whatsapp/cloudapi"
)

// Window is how long after a user's last message free-form messages may reach her.
const Window = 24 * time.Hour

// Config sets up a Server.
type Config struct {
	PhoneNumberID string
	Token         string // the bearer token sends must carry; anything else is error 190
	AppSecret     string // signs the webhooks
	// WebhookURL receives the status and inbound webhooks; "" sends none.
	WebhookURL string
	// WABAID is the business account whose templates GET /{waba-id}/message_templates lists.
	WABAID string
	// Templates are the account's templates, as "name/lang" (e.g. "nudge/sw"): approved, unless
	// "=PENDING" or "=REJECTED" follows (e.g. "nudge/sw=PENDING"); only approved ones can be sent.
	Templates []string
	// Chaos are the misbehaviours it starts with (SetChaos changes them).
	Chaos Chaos
	// Listener is where it serves (`chanjo fake-whatsapp`'s address); nil: a local port of its own, as
	// a test wants.
	Listener net.Listener
	// Log receives a line for each accepted message (number masked); nil: nothing logged.
	Log *slog.Logger
}

// Message is a message the fake accepted.
type Message struct {
	ID   string
	To   string // as sent, with "+"
	Type string
	Body json.RawMessage // the whole request body
}

// Server is a running fake. It is safe for concurrent use.
type Server struct {
	cfg  Config
	srv  *httptest.Server
	hook *http.Client

	mu      sync.Mutex
	clock   func() time.Time
	seq     int
	lastIn  map[string]time.Time // digits → the user's last message
	sent    []Message
	pending sync.WaitGroup
	// slow is how many of the next accepted sends answer only after slowBy:
	// the message is sent, the answer comes too late for the client.
	slow   int
	slowBy time.Duration
	chaos  Chaos
	groups map[string]*group // by group id
	media  map[string]*media // by media id
}

// AnswerLate makes the next n accepted sends answer only after d, as Meta's
// answer sometimes is lost: each message is accepted and recorded, and its
// status webhooks go, but a client with a shorter timeout sees no answer.
func (s *Server) AnswerLate(n int, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.slow, s.slowBy = n, d
}

// New starts a fake on cfg.Listener, or on a local port of its own; Close stops it.
func New(cfg Config) *Server {
	s := &Server{cfg: cfg, clock: time.Now, lastIn: map[string]time.Time{}, hook: &http.Client{Timeout: 10 * time.Second},
		chaos: cfg.Chaos}
	s.srv = httptest.NewUnstartedServer(s)
	if cfg.Listener != nil {
		s.srv.Listener.Close()
		s.srv.Listener = cfg.Listener
	}
	s.srv.Config.ReadHeaderTimeout = 5 * time.Second
	s.srv.Start()
	return s
}

// SetClock replaces the fake's clock (time.Now): tests move it to close a user's window.
func (s *Server) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clock = now
}

func (s *Server) now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.clock()
}

// URL is the base URL to give the client as WA_BASE_URL.
func (s *Server) URL() string { return s.srv.URL }

// Close waits for the webhooks under way and stops the server.
func (s *Server) Close() {
	s.pending.Wait()
	s.srv.Close()
}

// Wait returns once every webhook posted so far has been answered.
func (s *Server) Wait() { s.pending.Wait() }

// Sent returns the messages accepted so far, in order.
func (s *Server) Sent() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.sent...)
}

// ServeHTTP answers the Graph API's send endpoint, and POST /_fake/inbound (a test control, not
// Meta's API) with {"from": "2547…", "text": "…"}: a user's message delivered to the app; GET
// /_fake/sent (sentControl) shows a user's phone what reached it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/_fake/inbound" && r.Method == http.MethodPost {
		var in struct{ From, Text string }
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&in); err != nil || in.From == "" {
			http.Error(w, `want {"from": "2547…", "text": "…"}`, http.StatusBadRequest)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"id": s.Inbound(strings.TrimPrefix(in.From, "+"), in.Text)})
		return
	}
	if r.URL.Path == "/_fake/join" && r.Method == http.MethodPost {
		s.joinControl(w, r)
		return
	}
	if r.URL.Path == "/_fake/sent" && r.Method == http.MethodGet {
		s.sentControl(w, r)
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+s.cfg.Token {
		writeError(w, http.StatusUnauthorized, cloudapi.CodeTokenExpired, "Error validating access token")
		return
	}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if s.serveGroups(w, r, parts) || s.serveMedia(w, r, parts) || s.serveTemplates(w, r, parts) {
		return
	}
	if r.Method != http.MethodPost || len(parts) != 3 || !strings.HasPrefix(parts[0], "v") ||
		parts[1] != s.cfg.PhoneNumberID || parts[2] != "messages" {
		writeError(w, http.StatusBadRequest, cloudapi.CodeInvalidParam, "Unsupported request")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		writeError(w, http.StatusBadRequest, cloudapi.CodeInvalidParam, "body not readable")
		return
	}
	s.messages(w, body)
}

// envelope is the part of a send request the fake checks.
type envelope struct {
	Product       string          `json:"messaging_product"`
	RecipientType string          `json:"recipient_type"`
	To            string          `json:"to"`
	Type          string          `json:"type"`
	Status        string          `json:"status"`
	Opaque        string          `json:"biz_opaque_callback_data"`
	Template      *templateFields `json:"template"`
}

type templateFields struct {
	Name     string `json:"name"`
	Language struct {
		Code string `json:"code"`
	} `json:"language"`
}

func (s *Server) messages(w http.ResponseWriter, body []byte) {
	var env envelope
	var fields map[string]json.RawMessage
	if json.Unmarshal(body, &env) != nil || json.Unmarshal(body, &fields) != nil || env.Product != "whatsapp" {
		writeError(w, http.StatusBadRequest, cloudapi.CodeInvalidParam, "Invalid parameter")
		return
	}
	if env.Status == "read" {
		writeJSON(w, http.StatusOK, map[string]any{"success": true})
		return
	}
	if _, ok := fields[env.Type]; !ok || (env.RecipientType != "individual" && env.RecipientType != "group") {
		writeError(w, http.StatusBadRequest, cloudapi.CodeInvalidParam, "the type's object is missing")
		return
	}
	if env.RecipientType == "group" {
		if code, status, words := s.groupRefusal(env); code != 0 {
			writeError(w, status, code, words)
			return
		}
		s.accept(w, env, body, "")
		return
	}
	digits := strings.TrimPrefix(env.To, "+")
	if code, status, words := s.refusal(env, digits); code != 0 {
		writeError(w, status, code, words)
		return
	}
	s.accept(w, env, body, digits)
}

// accept records a message and answers with its wamid; its status webhooks follow (none for a
// group: digits is "").
func (s *Server) accept(w http.ResponseWriter, env envelope, body []byte, digits string) {
	s.mu.Lock()
	s.seq++
	m := Message{ID: "wamid.FAKE" + strconv.Itoa(s.seq), To: env.To, Type: env.Type, Body: body}
	s.sent = append(s.sent, m)
	var late time.Duration
	if s.slow > 0 {
		s.slow--
		late = s.slowBy
	}
	s.mu.Unlock()
	if s.cfg.Log != nil {
		s.cfg.Log.Info("accepted", "to", phone.Mask(env.To), "type", env.Type, "id", m.ID)
	}
	// The status webhooks start before the answer, so a test's Wait after the send covers them;
	// they may reach the app before the answer reaches the client, as Meta's sometimes do.
	switch {
	case digits == "":
	case strings.HasSuffix(digits, "0026"):
		s.statuses(m.ID, digits, env.Opaque, "failed")
	default:
		s.statuses(m.ID, digits, env.Opaque, "sent", "delivered", "read")
	}
	time.Sleep(late)
	writeJSON(w, http.StatusOK, map[string]any{"messaging_product": "whatsapp",
		"contacts": []any{map[string]any{"input": env.To, "wa_id": digits}},
		"messages": []any{map[string]any{"id": m.ID}}})
}

// refusal returns the error a send gets, 0 when it is accepted.
func (s *Server) refusal(env envelope, digits string) (code, status int, words string) {
	switch {
	case !strings.HasPrefix(env.To, "+"):
		// Meta would prepend the business number's country code; the fake refuses so tests catch it.
		return cloudapi.CodeInvalidParam, http.StatusBadRequest, "recipient without + and country code"
	case strings.HasSuffix(digits, "0500"):
		return 131000, http.StatusInternalServerError, "Something went wrong"
	case env.Type == "template":
		if env.Template == nil || !s.hasTemplate(env.Template.Name+"/"+env.Template.Language.Code) {
			return 132001, http.StatusNotFound, "Template name does not exist in the translation"
		}
		return 0, 0, ""
	}
	s.mu.Lock()
	last, ok := s.lastIn[digits]
	now := s.clock()
	s.mu.Unlock()
	if !ok || now.Sub(last) > Window {
		return cloudapi.CodeOutsideWindow, http.StatusBadRequest, "Re-engagement message: more than 24 hours have passed since the recipient last replied"
	}
	return 0, 0, ""
}

func (s *Server) hasTemplate(key string) bool {
	for _, t := range s.templates() {
		if t.Name+"/"+t.Language == key && t.Status == cloudapi.TemplateApproved {
			return true
		}
	}
	return false
}

func writeError(w http.ResponseWriter, status, code int, words string) {
	writeJSON(w, status, map[string]any{"error": map[string]any{
		"message": fmt.Sprintf("(#%d) %s", code, words), "type": "OAuthException", "code": code,
		"error_data": map[string]any{"messaging_product": "whatsapp", "details": words}, "fbtrace_id": "FAKE"}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// post signs body with the app secret and posts it to the webhook, in the background: Meta's
// webhooks arrive after the send's answer.
func (s *Server) post(body []byte) {
	if s.cfg.WebhookURL == "" {
		return
	}
	if s.chaosNow().Duplicates {
		s.postOnce(body)
	}
	s.postOnce(body)
}

func (s *Server) postOnce(body []byte) {
	s.pending.Add(1)
	go func() {
		defer s.pending.Done()
		req, err := http.NewRequest(http.MethodPost, s.cfg.WebhookURL, bytes.NewReader(body))
		if err != nil {
			return
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(cloudapi.SignatureHeader, cloudapi.Sign(s.cfg.AppSecret, body))
		if resp, err := s.hook.Do(req); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}()
}

// sentControl answers GET /_fake/sent?to=+2547…&after=n (a test control: the user's phone) with the
// messages accepted for to from position n of all accepted messages on, and the position to ask
// from next: {"messages": [Message…], "next": n}.
func (s *Server) sentControl(w http.ResponseWriter, r *http.Request) {
	after, err := strconv.Atoi(r.URL.Query().Get("after"))
	to := r.URL.Query().Get("to")
	if err != nil || after < 0 || to == "" {
		http.Error(w, "want ?to=+2547…&after=n", http.StatusBadRequest)
		return
	}
	sent := s.Sent()
	msgs := []Message{}
	for _, m := range sent[min(after, len(sent)):] {
		if m.To == to {
			msgs = append(msgs, m)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"messages": msgs, "next": len(sent)})
}
