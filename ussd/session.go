package ussd

import (
	"encoding/json"
	"fmt"

	"chanjo/lessons/screen"
)

// Session is what Chanjo remembers of one USSD session between hops. It is
// kept in Redis under the gateway's sessionId, and a copy under the phone
// number so that a redial can resume. It is small: its JSON is a few hundred
// bytes.
type Session struct {
	// Text is the gateway's cumulative text at the last hop: the next hop's
	// input is what follows it.
	Text string `json:"t"`
	// Frames is the stack of screens; the last is the current one. "0 Back"
	// pops it.
	Frames []Frame `json:"f"`
	// Vars holds what a menu tree keeps between its screens (answers typed so
	// far, a lesson id...). Keys are the trees' own.
	Vars map[string]string `json:"v,omitempty"`
	// Nurse caches the worker, so that navigating needs no SQL.
	Nurse Nurse `json:"n"`
	// Reply is the answer sent at the last hop, sent again for a repeated hop.
	Reply string `json:"r"`
	// Shape is what the last screen offered, so the next input is understood
	// without showing that screen again (which could cost SQL).
	Shape Shape `json:"h"`
	// Done is set when the session reached an END screen.
	Done bool `json:"d,omitempty"`
	// Saved holds the screens of a dropped session while "1 Continue /
	// 2 Start again" is offered.
	Saved *Saved `json:"s,omitempty"`
}

// Saved is the position of a dropped session.
type Saved struct {
	Frames []Frame           `json:"f"`
	Vars   map[string]string `json:"v,omitempty"`
}

// Frame is one screen on the stack: its state, an argument the state
// interprets (a lesson id, a question number...) and the "98 More" page.
type Frame struct {
	State State  `json:"s"`
	Arg   string `json:"a,omitempty"`
	Page  int    `json:"p,omitempty"`
}

// Shape is what a rendered screen accepts: its kind, whether it has the
// navigation lines, whether "98 More" leads to a further page, and where its
// numbered items lead.
type Shape struct {
	Kind  screen.Kind `json:"k,omitempty"`
	Top   bool        `json:"o,omitempty"`
	More  bool        `json:"m,omitempty"`
	Items []Frame     `json:"i,omitempty"`
}

// Nurse is the worker behind the phone, as loaded from the store. ID 0 is a
// number the roster does not know (yet).
type Nurse struct {
	ID       int64  `json:"i,omitempty"`
	Name     string `json:"n,omitempty"`
	Role     string `json:"r,omitempty"`
	Lang     string `json:"l,omitempty"`
	Status   string `json:"s,omitempty"`
	OptedOut bool   `json:"o,omitempty"`
	// Loaded is when the row was read (Unix seconds): a cache older than
	// reloadAfter is read again at the next dial.
	Loaded int64 `json:"at,omitempty"`
}

// Top returns the current frame.
func (s *Session) Top() Frame {
	if len(s.Frames) == 0 {
		return Frame{}
	}
	return s.Frames[len(s.Frames)-1]
}

// Var returns the value kept under key, or "".
func (s *Session) Var(key string) string { return s.Vars[key] }

// SetVar keeps value under key for later screens of the session.
func (s *Session) SetVar(key, value string) {
	if s.Vars == nil {
		s.Vars = map[string]string{}
	}
	s.Vars[key] = value
}

func (s *Session) push(f Frame) { s.Frames = append(s.Frames, f) }

func (s *Session) setTop(f Frame) {
	if len(s.Frames) == 0 {
		s.push(f)
		return
	}
	s.Frames[len(s.Frames)-1] = f
}

// clone returns a copy that shares nothing mutable with s, so a step can
// fail without touching the session it started from.
func (s Session) clone() Session {
	s.Frames = append([]Frame(nil), s.Frames...)
	if s.Vars != nil {
		v := make(map[string]string, len(s.Vars))
		for k, x := range s.Vars {
			v[k] = x
		}
		s.Vars = v
	}
	return s
}

func encodeSession(s *Session) ([]byte, error) {
	b, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("ussd: encode session: %w", err)
	}
	return b, nil
}

func decodeSession(b []byte) (*Session, error) {
	var s Session
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("ussd: decode session: %w", err)
	}
	return &s, nil
}
