package ussd

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/chanjo-health/chanjo/lessons/screen"
)

// Session is what Chanjo remembers of one USSD session between hops. It is
// kept in Redis under the gateway's sessionId, and a copy under the phone
// number so that a redial can resume. It is small: encoded by
// encodeSession, a few hundred bytes. The JSON tags name the fields of the
// first releases' encoding, which decodeSession still reads.
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
	// GatewayID is the gateway's sessionId of the hop that wrote the
	// session: the phone's session key holds the session of the phone's
	// latest dial, which a hop reads as its own only when the ids match
	// (Service.keys).
	GatewayID string `json:"g,omitempty"`
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
	Free  bool        `json:"f,omitempty"` // a free-text entry (FreeText)
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
func (s *Session) Var(key string) string {
	if s == nil {
		return ""
	}
	return s.Vars[key]
}

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
	// Room for the frame a step pushes, so that it does not copy them again.
	s.Frames = append(make([]Frame, 0, len(s.Frames)+1), s.Frames...)
	if s.Vars != nil {
		v := make(map[string]string, len(s.Vars))
		for k, x := range s.Vars {
			v[k] = x
		}
		s.Vars = v
	}
	return s
}

// codecVersion is the first byte of an encoded session. A session written
// by a release with another layout does not decode and is treated as absent
// (the hop replays the gateway's text from the first screen); JSON written
// by the first releases starts with '{' and still decodes.
const codecVersion = 1

// errBadSession is returned for a value that is not an encoded session.
var errBadSession = errors.New("ussd: decode session: not a session of this release")

// encodeSession writes s compactly: the version byte, then every field in a
// fixed order, strings and lists prefixed by their length (uvarint), numbers
// as varints, booleans as one byte. It is the hop's hot path: encoding/json
// cost a fifth of a hop.
func encodeSession(s *Session) []byte {
	size := 64 + len(s.Text) + len(s.Reply) + len(s.GatewayID) + 24*(len(s.Frames)+len(s.Shape.Items))
	for k, v := range s.Vars {
		size += len(k) + len(v) + 2
	}
	b := make([]byte, 0, size)
	b = append(b, codecVersion)
	b = appendString(b, s.Text)
	b = appendFrames(b, s.Frames)
	b = appendVars(b, s.Vars)
	n := s.Nurse
	b = binary.AppendVarint(b, n.ID)
	b = appendString(b, n.Name)
	b = appendString(b, n.Role)
	b = appendString(b, n.Lang)
	b = appendString(b, n.Status)
	b = appendBool(b, n.OptedOut)
	b = binary.AppendVarint(b, n.Loaded)
	b = appendString(b, s.Reply)
	b = binary.AppendVarint(b, int64(s.Shape.Kind))
	b = appendBool(b, s.Shape.Top)
	b = appendBool(b, s.Shape.More)
	b = appendFrames(b, s.Shape.Items)
	b = appendBool(b, s.Done)
	b = appendBool(b, s.Saved != nil)
	if s.Saved != nil {
		b = appendFrames(b, s.Saved.Frames)
		b = appendVars(b, s.Saved.Vars)
	}
	// Last and only when set, so that sessions written before it existed
	// decode, and decode to the same bytes.
	if s.GatewayID != "" {
		b = appendString(b, s.GatewayID)
	}
	return b
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, 1)
	}
	return append(b, 0)
}

func appendFrames(b []byte, fs []Frame) []byte {
	b = binary.AppendUvarint(b, uint64(len(fs)))
	for _, f := range fs {
		b = appendString(b, string(f.State))
		b = appendString(b, f.Arg)
		b = binary.AppendVarint(b, int64(f.Page))
	}
	return b
}

// appendVars writes the keys in order, so that a session always encodes
// to the same bytes.
func appendVars(b []byte, vars map[string]string) []byte {
	b = binary.AppendUvarint(b, uint64(len(vars)))
	if len(vars) == 0 {
		return b
	}
	for _, k := range slices.Sorted(maps.Keys(vars)) {
		b = appendString(b, k)
		b = appendString(b, vars[k])
	}
	return b
}

// decodeSession reads what encodeSession wrote, or the JSON of the first
// releases. The strings of the session share the memory of v.
func decodeSession(v string) (*Session, error) {
	if len(v) > 0 && v[0] == '{' {
		var s Session
		if err := json.Unmarshal([]byte(v), &s); err != nil {
			return nil, fmt.Errorf("ussd: decode session: %w", err)
		}
		return &s, nil
	}
	if len(v) == 0 || v[0] != codecVersion {
		return nil, errBadSession
	}
	d := decoder{s: v, i: 1}
	s := &Session{Text: d.str(), Frames: d.frames(), Vars: d.vars()}
	s.Nurse = Nurse{ID: d.varint(), Name: d.str(), Role: d.str(), Lang: d.str(),
		Status: d.str(), OptedOut: d.flag(), Loaded: d.varint()}
	s.Reply = d.str()
	s.Shape = Shape{Kind: screen.Kind(d.varint()), Top: d.flag(), More: d.flag(), Items: d.frames()}
	s.Done = d.flag()
	if d.flag() {
		s.Saved = &Saved{Frames: d.frames(), Vars: d.vars()}
	}
	if d.i < len(v) {
		s.GatewayID = d.str()
		d.bad = d.bad || s.GatewayID == ""
	}
	if d.bad || d.i != len(v) {
		return nil, errBadSession
	}
	return s, nil
}

// decoder reads the fields of an encoded session in order. A value cut
// short or too long for its buffer sets bad; later reads return zero values.
type decoder struct {
	s   string
	i   int
	bad bool
}

func (d *decoder) uvarint() uint64 {
	if d.bad {
		return 0
	}
	var x uint64
	for shift := 0; d.i < len(d.s) && shift < 64; shift += 7 {
		c := d.s[d.i]
		d.i++
		x |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return x
		}
	}
	d.bad = true
	return 0
}

func (d *decoder) varint() int64 {
	u := d.uvarint()
	return int64(u>>1) ^ -int64(u&1)
}

// count reads a length and checks that at least min bytes per element
// remain, so a corrupt length cannot make a huge allocation.
func (d *decoder) count(min int) int {
	n := d.uvarint()
	if d.bad || n > uint64(len(d.s)-d.i)/uint64(min) {
		d.bad = true
		return 0
	}
	return int(n)
}

func (d *decoder) str() string {
	n := d.count(1)
	s := d.s[d.i : d.i+n]
	d.i += n
	return s
}

func (d *decoder) flag() bool {
	if d.bad || d.i >= len(d.s) || d.s[d.i] > 1 {
		d.bad = true
		return false
	}
	d.i++
	return d.s[d.i-1] == 1
}

func (d *decoder) frames() []Frame {
	n := d.count(3)
	if n == 0 {
		return nil
	}
	fs := make([]Frame, n)
	for i := range fs {
		fs[i] = Frame{State: State(d.str()), Arg: d.str(), Page: int(d.varint())}
	}
	return fs
}

func (d *decoder) vars() map[string]string {
	n := d.count(2)
	if n == 0 {
		return nil
	}
	m := make(map[string]string, n)
	for range n {
		k := d.str()
		m[k] = d.str()
	}
	return m
}
