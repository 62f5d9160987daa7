package ussd

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/chanjo-health/chanjo/kv"
	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/phone"
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
	// Mentoring changes visits and relays questions for the mentor visit
	// and ask-a-mentor menus (a mentoring.Service).
	Mentoring Mentoring
}

// Service answers the gateway's hops: it loads the session from Redis, lets
// the Machine advance it, and saves it back, in one round trip each way.
type Service struct {
	m   *Machine
	kv  *kv.Client
	log *slog.Logger
}

// New returns the USSD service over every tree listed in trees.go. Store
// and KV are required; the other fields have defaults. It fails when the
// embedded pack, the default, does not load, or two trees define a state.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil || cfg.KV == nil {
		return nil, errors.New("ussd: new: a store and a Redis client are required")
	}
	nodes, err := tableOf(trees...)
	if err != nil {
		return nil, err
	}
	m := &Machine{store: cfg.Store, open: cfg.OpenEnrolment, now: cfg.Now, nodes: nodes, pack: cfg.Pack,
		pages: cfg.Progress, tz: cfg.TZ, mentoring: cfg.Mentoring}
	if m.now == nil {
		m.now = time.Now
	}
	if m.pack == nil {
		pack, err := lessons.Default()
		if err != nil {
			return nil, fmt.Errorf("ussd: new: %w", err)
		}
		m.pack = pack
	}
	m.print = fingerprint(m.pack)
	if m.pages == nil {
		m.pages = NewProgress(cfg.Store, nil)
	}
	if m.tz == nil {
		m.tz = nairobi
	}
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{m: m, kv: cfg.KV, log: log.With("component", "ussd")}, nil
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
		return "END " + s.notForNumber()
	}
	lang := ""
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("hop panicked", phone.LogKey, phone.Mask(p), "panic", fmt.Sprint(v))
			reply = "END " + s.apology(lang)
		}
	}()
	k := keysOf(s.kv.Prefix, r.SessionID, p)
	cur, last, err := s.load(ctx, k, r.Text == "")
	if err != nil {
		s.log.Error("load session", phone.LogKey, phone.Mask(p), "err", err)
		return "END " + s.apology("")
	}
	lang = languageOf(cur, last)
	next, reply, changed, err := s.m.Advance(ctx, p, cur, last, r.Text)
	if err == nil && changed {
		err = s.save(ctx, k, &next)
	}
	if err != nil {
		s.log.Error("hop failed", phone.LogKey, phone.Mask(p), "err", err)
		return "END " + s.apology(lang)
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

// hopKeys are the keys of a hop's session and of the phone's last
// position, and the gateway's sessionId of the hop.
type hopKeys struct{ session, phone, id string }

// keysOf returns the keys of a hop of the gateway's sessionID from the number
// p: the session, prefix+"ussd:s:{"+p+"}", and the last position,
// prefix+"ussd:p:{"+p+"}". The network gives a phone one USSD session
// at a time, so the session's key is the phone's, and the session it holds
// is the hop's only when its GatewayID is sessionID: keys grow with phones,
// not with dials (a key a dial would leave behind until its TTL was most of
// the embedded Redis's memory under load). The number in braces is a Redis
// Cluster hash tag: both keys live on one node, so one command can write
// both (kv.Client.SetPair) and one MGET read both.
func keysOf(prefix, sessionID, p string) hopKeys {
	tag := "{" + p + "}"
	return hopKeys{prefix + "ussd:s:" + tag, prefix + "ussd:p:" + tag, sessionID}
}

// load reads the session and, for a dial, the phone's last position, with
// one command through the shared pipeline (kv.Client.Send), which gives up
// at the hop's deadline. A value that does not decode, or is another
// session's, is treated as absent; last is nil when the session exists.
func (s *Service) load(ctx context.Context, k hopKeys, dial bool) (cur, last *Session, err error) {
	// The last position matters only to a new session. Only a dial
	// (text "") starts one, but for a session Redis lost, whose replay
	// then reads the nurse from the store: so it is fetched for dials only,
	// and most hops read one key.
	if !dial {
		get := redis.NewStringCmd(ctx, "get", k.session)
		if err := s.kv.Send(ctx, get); err != nil && !errors.Is(err, redis.Nil) {
			return nil, nil, fmt.Errorf("ussd: load session: %w", err)
		}
		return k.current(get.Val()), nil, nil
	}
	mget := redis.NewSliceCmd(ctx, "mget", k.session, k.phone)
	if err := s.kv.Send(ctx, mget); err != nil {
		return nil, nil, fmt.Errorf("ussd: load session: %w", err)
	}
	vs := mget.Val()
	v0, _ := vs[0].(string)
	prev, _ := decodeSession(v0)
	if prev != nil && prev.GatewayID == k.id {
		return prev, nil, nil
	}
	if v1, ok := vs[1].(string); ok {
		// save writes both keys with one value: the phone's last position
		// is then the session already decoded, another dial's.
		if last = prev; v1 != v0 {
			last, _ = decodeSession(v1)
		}
	}
	return nil, last, nil
}

// current decodes v, the value of the session key, when it holds the hop's
// session, and returns nil when not.
func (k hopKeys) current(v string) *Session {
	cur, err := decodeSession(v)
	if err != nil || cur.GatewayID != k.id {
		return nil
	}
	return cur
}

// save writes the session, marked as the hop's, and, as the phone's last
// position, the same value, in one round trip.
func (s *Service) save(ctx context.Context, k hopKeys, next *Session) error {
	next.GatewayID = k.id
	if err := s.kv.SetPair(ctx, k.session, k.phone, encodeSession(next), SessionTTL, LastTTL); err != nil {
		return fmt.Errorf("ussd: save session: %w", err)
	}
	return nil
}

// notForNumber answers a phoneNumber that is not a Kenyan mobile number,
// in every language of the pack.
func (s *Service) notForNumber() string { return s.inEvery("common.not_for_number", " / ") }

// apology is the answer to a failure inside the service, in lang, or in
// every language of the pack, one a line, when the nurse's is not known.
func (s *Service) apology(lang string) string {
	if s.m.pack.Speaks(lang) {
		return s.m.pack.Say(lang, "common.apology")
	}
	return s.inEvery("common.apology", "\n")
}

// inEvery is the catalogue's text key in every language of the pack,
// joined by sep.
func (s *Service) inEvery(key, sep string) string {
	var texts []string
	for _, l := range s.m.pack.Languages() {
		texts = append(texts, s.m.pack.Say(l.Code, key))
	}
	return strings.Join(texts, sep)
}
