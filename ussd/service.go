package ussd

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"

	"chanjo/kv"
	"chanjo/lessons"
	"chanjo/phone"
)

// Session lifetimes in Redis.
const (
	// SessionTTL is a little over the operator's 180-second session.
	SessionTTL = 200 * time.Second
	// LastTTL is how long a dropped session can be resumed by a redial.
	LastTTL = 30 * time.Minute
	// hopTimeout keeps every answer well inside the gateway's 10 seconds.
	hopTimeout = 5 * time.Second
)

// Config is what the USSD service needs.
type Config struct {
	Store Store
	KV    *kv.Client
	Log   *slog.Logger
	// OpenEnrolment makes unknown numbers that register active at once.
	OpenEnrolment bool
	// Now is the clock; nil is time.Now.
	Now func() time.Time
	// Pack is the content pack, whose settings give the stock calculators
	// their vaccines and stock policy, and the menus their lessons and
	// questions; nil: the embedded pack.
	Pack *lessons.Pack
	// Progress writes lesson pages behind the hops while its Run goes;
	// nil: each page is written in its hop.
	Progress *Progress
	// TZ is CHANJO_TZ, the zone of the dates a nurse reads; nil: Africa/Nairobi.
	TZ *time.Location
	// Mentoring holds the visit rules and the wording of a question's SMS
	// for the mentor visit and ask-a-mentor menus.
	Mentoring Mentoring
}

// Service answers the gateway's hops: it loads the session from Redis, lets
// the Machine advance it, and saves it back, in one round trip each way.
type Service struct {
	m   *Machine
	kv  *kv.Client
	log *slog.Logger
}

// New returns the USSD service.
func New(cfg Config) *Service {
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m := NewMachine(cfg.Store, cfg.OpenEnrolment, cfg.Now)
	if cfg.Pack != nil {
		m.pack = cfg.Pack
	}
	if cfg.Progress != nil {
		m.pages = cfg.Progress
	}
	if cfg.TZ != nil {
		m.tz = cfg.TZ
	}
	m.mentoring = cfg.Mentoring
	return &Service{m: m, kv: cfg.KV, log: log.With("component", "ussd")}
}

// Request is one hop of the gateway.
type Request struct {
	SessionID, Phone, Text string
}

// Hop answers one hop with "CON ..." or "END ...". It never fails: any
// problem (Redis or the database down, a bug) is logged once and answered
// with an apology in the nurse's language, and the session in Redis keeps
// its last good state, so a redial can resume there.
func (s *Service) Hop(ctx context.Context, r Request) (reply string) {
	ctx, cancel := context.WithTimeout(ctx, hopTimeout)
	defer cancel()
	p, err := phone.Normalize(r.Phone)
	if err != nil {
		return "END " + notForNumber
	}
	lang := ""
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("hop panicked", "phone", phone.Mask(p), "panic", fmt.Sprint(v))
			reply = "END " + apology(lang)
		}
	}()
	k := s.keys(r.SessionID, p)
	cur, last, err := s.load(ctx, k, r.Text == "")
	if err != nil {
		s.log.Error("load session", "phone", phone.Mask(p), "err", err)
		return "END " + apology("")
	}
	lang = languageOf(cur, last)
	next, reply, changed, err := s.m.Advance(ctx, p, cur, last, r.Text)
	if err == nil && changed {
		err = s.save(ctx, k, &next)
	}
	if err != nil {
		s.log.Error("hop failed", "phone", phone.Mask(p), "err", err)
		return "END " + apology(lang)
	}
	return reply
}

func languageOf(sessions ...*Session) string {
	for _, s := range sessions {
		if s != nil && s.Nurse.Lang != "" {
			return s.Nurse.Lang
		}
	}
	return ""
}

// hopKeys are the keys of a hop's session and of the phone's last position.
type hopKeys struct{ session, phone string }

// keys returns the keys of a hop: kv.Key("ussd", "s", sessionID) and
// kv.Key("ussd", "p", p), built once a hop without the variadic join.
func (s *Service) keys(sessionID, p string) hopKeys {
	return hopKeys{s.kv.Prefix + "ussd:s:" + sessionID, s.kv.Prefix + "ussd:p:" + p}
}

// load reads the session and, for a dial, the phone's last position, in one
// round trip through the shared pipeline (kv.Client.Batched). A value that
// does not decode is treated as absent; last is nil when the session exists.
func (s *Service) load(ctx context.Context, k hopKeys, dial bool) (cur, last *Session, err error) {
	ap := s.kv.Batched
	// The last position matters only to a new session. Only a dial
	// (text "") starts one, but for a session Redis lost, whose replay
	// then reads the nurse from the store: so it is fetched for dials only,
	// and most hops read one key.
	get := ap.Get(ctx, k.session)
	var getLast *redis.StringCmd
	if dial {
		getLast = ap.Get(ctx, k.phone)
	}
	v, err := get.Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, nil, fmt.Errorf("ussd: load session: %w", err)
	}
	cur, _ = decodeSession(v)
	if getLast == nil || cur != nil {
		return cur, nil, nil
	}
	if v, err := getLast.Result(); err == nil {
		last, _ = decodeSession(v)
	}
	return cur, last, nil
}

// save writes the session and, as the phone's last position, the same
// value: both commands go together, in one round trip.
func (s *Service) save(ctx context.Context, k hopKeys, next *Session) error {
	v := encodeSession(next)
	ap := s.kv.Batched
	a, b := ap.Set(ctx, k.session, v, SessionTTL), ap.Set(ctx, k.phone, v, LastTTL)
	if err := errors.Join(a.Err(), b.Err()); err != nil {
		return fmt.Errorf("ussd: save session: %w", err)
	}
	return nil
}

// notForNumber answers a phoneNumber that is not a Kenyan mobile number.
const notForNumber = "Chanjo is for Kenyan mobile numbers. / Chanjo ni kwa namba za simu za Kenya."

// apology is the answer to a failure inside the service, in lang, or in
// both languages when the nurse's is not known.
func apology(lang string) string {
	const en = "Sorry, Chanjo has a problem. Please dial again in a few minutes."
	const sw = "Samahani, Chanjo ina tatizo. Tafadhali piga tena baada ya dakika chache."
	switch lang {
	case "en":
		return en
	case "sw":
		return sw
	}
	return en + "\n" + sw
}
