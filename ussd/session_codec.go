package ussd

import (
	"encoding/binary"
	"errors"
	"math"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/lessons/screen"
)

// codecVersion is the first byte of an encoded session. A session written
// by a release with another layout does not decode and is treated as
// absent: the hop replays the gateway's text from the first screen, and a
// dial starts at the main menu. Version 1 (before the typed Work) and the
// JSON of the first releases are such sessions.
const codecVersion = 2

// errBadSession is returned for a value that is not an encoded session.
var errBadSession = errors.New("ussd: decode session: not a session of this release")

// encodeSession writes s compactly: the version byte, then every field in a
// fixed order, strings and lists prefixed by their length (uvarint),
// numbers as varints, booleans and optional parts as one byte. It is the
// hop's hot path: encoding/json cost a fifth of a hop.
func encodeSession(s *Session) []byte {
	e := encoder{b: make([]byte, 0, 128+len(s.Text)+len(s.Reply)+24*(len(s.Frames)+len(s.Shape.Items)))}
	e.b = append(e.b, codecVersion)
	e.str(s.Text)
	e.frames(s.Frames)
	e.work(&s.Work)
	n := s.Nurse
	e.int(n.ID)
	e.str(n.Name)
	e.str(n.Role)
	e.str(n.Lang)
	e.str(n.Status)
	e.bool(n.OptedOut)
	e.int(n.Loaded)
	e.learning(s.Learning)
	if e.bool(s.Open != nil) {
		e.forms(s.Open.Forms)
	}
	e.str(s.Reply)
	e.int(int64(s.Shape.Kind))
	e.bool(s.Shape.Top)
	e.bool(s.Shape.More)
	e.frames(s.Shape.Items)
	e.bool(s.Shape.Free)
	e.bool(s.Done)
	if e.bool(s.Saved != nil) {
		e.frames(s.Saved.Frames)
		e.work(&s.Saved.Work)
	}
	e.str(s.GatewayID)
	return e.b
}

// decodeSession reads what encodeSession wrote. The strings of the session
// share the memory of v.
func decodeSession(v string) (*Session, error) {
	if len(v) == 0 || v[0] != codecVersion {
		return nil, errBadSession
	}
	d := decoder{s: v, i: 1}
	s := &Session{Text: d.str(), Frames: d.frames(), Work: d.work()}
	s.Nurse = Nurse{ID: d.int(), Name: d.str(), Role: d.str(), Lang: d.str(),
		Status: d.str(), OptedOut: d.bool(), Loaded: d.int()}
	s.Learning = d.learning()
	if d.bool() {
		s.Open = &OpenForms{Forms: d.forms()}
	}
	s.Reply = d.str()
	s.Shape = Shape{Kind: screen.Kind(d.int()), Top: d.bool(), More: d.bool(), Items: d.frames(), Free: d.bool()}
	s.Done = d.bool()
	if d.bool() {
		s.Saved = &Saved{Frames: d.frames(), Work: d.work()}
	}
	s.GatewayID = d.str()
	if d.bad || d.i != len(v) {
		return nil, errBadSession
	}
	return s, nil
}

// encoder appends the fields of a session to b.
type encoder struct{ b []byte }

func (e *encoder) uint(x uint64) { e.b = binary.AppendUvarint(e.b, x) }
func (e *encoder) int(x int64)   { e.b = binary.AppendVarint(e.b, x) }

func (e *encoder) str(s string) {
	e.uint(uint64(len(s)))
	e.b = append(e.b, s...)
}

// bool writes v and returns it, so that an optional part reads
// "if e.bool(p != nil) { … }".
func (e *encoder) bool(v bool) bool {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
	return v
}

func (e *encoder) frames(fs []Frame) {
	e.uint(uint64(len(fs)))
	for _, f := range fs {
		e.str(string(f.State))
		e.str(f.Key)
		e.int(int64(f.N))
		e.int(f.ID)
		e.int(int64(f.Page))
		e.str(f.Notice)
		e.int(int64(f.NoticeAt))
	}
}

func (e *encoder) forms(fs []lessons.Form) {
	e.uint(uint64(len(fs)))
	for _, f := range fs {
		e.str(string(f))
	}
}

func (e *encoder) result(r lessons.Result) {
	e.int(int64(r.Right))
	e.int(int64(r.Total))
}

func (e *encoder) work(w *Work) {
	if q := w.Quiz; e.bool(q != nil) {
		e.int(q.Attempt)
		e.int(q.Seed)
		e.str(string(q.Form))
		e.str(q.Topic)
		e.uint(uint64(len(q.Questions)))
		for _, id := range q.Questions {
			e.str(id)
		}
		e.uint(uint64(len(q.Chosen)))
		for _, c := range q.Chosen {
			e.int(int64(c))
		}
	}
	if c := w.Calc; e.bool(c != nil) {
		e.str(c.Name)
		e.str(c.Vaccine)
		e.uint(uint64(len(c.Values)))
		for _, x := range c.Values {
			e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(x))
		}
	}
	if v := w.Visit; e.bool(v != nil) {
		e.int(v.Mentee)
		e.int(v.Day)
		e.str(v.Notes)
	}
	if q := w.Question; e.bool(q != nil) {
		e.str(q.Text)
	}
	if r := w.Reg; e.bool(r != nil) {
		e.str(r.Name)
		e.str(r.Facility)
		e.bool(r.Known)
		e.int(r.Consent)
	}
	e.str(w.Won)
}

func (e *encoder) learning(l *Learning) {
	if !e.bool(l != nil) {
		return
	}
	e.uint(uint64(l.Pack))
	e.uint(uint64(len(l.Lessons)))
	for _, m := range l.Lessons {
		e.int(int64(m.Lesson))
		e.int(int64(m.Page))
		e.bool(m.Done)
	}
	e.uint(uint64(len(l.Quizzes)))
	for _, q := range l.Quizzes {
		e.int(int64(q.Topic))
		e.int(int64(q.Attempts))
		e.result(q.Best)
		e.result(q.All)
	}
	e.uint(uint64(len(l.Completed)))
	for _, t := range l.Completed {
		e.int(int64(t))
	}
	e.uint(uint64(len(l.Assessed)))
	for _, f := range l.Assessed {
		e.int(int64(f.Form))
		e.result(f.Score)
	}
	e.int(l.NextVisit)
}

// decoder reads the fields of an encoded session in order. A value cut
// short or too long for its buffer sets bad; later reads return zero values.
type decoder struct {
	s   string
	i   int
	bad bool
}

func (d *decoder) uint() uint64 {
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

func (d *decoder) int() int64 {
	u := d.uint()
	return int64(u>>1) ^ -int64(u&1)
}

// count reads a length and checks that at least min bytes per element
// remain, so a corrupt length cannot make a huge allocation.
func (d *decoder) count(min int) int {
	n := d.uint()
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

func (d *decoder) bool() bool {
	if d.bad || d.i >= len(d.s) || d.s[d.i] > 1 {
		d.bad = true
		return false
	}
	d.i++
	return d.s[d.i-1] == 1
}

func (d *decoder) float() float64 {
	if d.bad || d.i+8 > len(d.s) {
		d.bad = true
		return 0
	}
	var x uint64
	for k := 7; k >= 0; k-- {
		x = x<<8 | uint64(d.s[d.i+k])
	}
	d.i += 8
	return math.Float64frombits(x)
}

// frames reads what encoder.frames wrote: seven fields a frame, each at
// least a byte.
func (d *decoder) frames() []Frame {
	n := d.count(7)
	if n == 0 {
		return nil
	}
	fs := make([]Frame, n)
	for i := range fs {
		fs[i] = Frame{State: State(d.str()), Key: d.str(), N: int(d.int()), ID: d.int(), Page: int(d.int()),
			Notice: d.str(), NoticeAt: int(d.int())}
	}
	return fs
}

func (d *decoder) forms() []lessons.Form {
	n := d.count(1)
	if n == 0 {
		return nil
	}
	fs := make([]lessons.Form, n)
	for i := range fs {
		fs[i] = lessons.Form(d.str())
	}
	return fs
}

func (d *decoder) result() lessons.Result {
	return lessons.Result{Right: int(d.int()), Total: int(d.int())}
}

func (d *decoder) work() Work {
	var w Work
	if d.bool() {
		q := &Quiz{Attempt: d.int(), Seed: d.int(), Form: lessons.Form(d.str()), Topic: d.str()}
		if n := d.count(1); n > 0 {
			q.Questions = make([]string, n)
			for i := range q.Questions {
				q.Questions[i] = d.str()
			}
		}
		if n := d.count(1); n > 0 {
			q.Chosen = make([]int, n)
			for i := range q.Chosen {
				q.Chosen[i] = int(d.int())
			}
		}
		w.Quiz = q
	}
	if d.bool() {
		c := &Calc{Name: d.str(), Vaccine: d.str()}
		if n := d.count(8); n > 0 {
			c.Values = make([]float64, n)
			for i := range c.Values {
				c.Values[i] = d.float()
			}
		}
		w.Calc = c
	}
	if d.bool() {
		w.Visit = &VisitDraft{Mentee: d.int(), Day: d.int(), Notes: d.str()}
	}
	if d.bool() {
		w.Question = &QuestionDraft{Text: d.str()}
	}
	if d.bool() {
		w.Reg = &RegDraft{Name: d.str(), Facility: d.str(), Known: d.bool(), Consent: d.int()}
	}
	w.Won = d.str()
	return w
}

func (d *decoder) learning() *Learning {
	if !d.bool() {
		return nil
	}
	l := &Learning{Pack: uint32(d.uint())}
	if n := d.count(3); n > 0 {
		l.Lessons = make([]LessonMark, n)
		for i := range l.Lessons {
			l.Lessons[i] = LessonMark{Lesson: int(d.int()), Page: int(d.int()), Done: d.bool()}
		}
	}
	if n := d.count(6); n > 0 {
		l.Quizzes = make([]QuizMark, n)
		for i := range l.Quizzes {
			l.Quizzes[i] = QuizMark{Topic: int(d.int()), Attempts: int(d.int()), Best: d.result(), All: d.result()}
		}
	}
	if n := d.count(1); n > 0 {
		l.Completed = make([]int, n)
		for i := range l.Completed {
			l.Completed[i] = int(d.int())
		}
	}
	if n := d.count(3); n > 0 {
		l.Assessed = make([]FormMark, n)
		for i := range l.Assessed {
			l.Assessed[i] = FormMark{Form: int(d.int()), Score: d.result()}
		}
	}
	l.NextVisit = d.int()
	return l
}
