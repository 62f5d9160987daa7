package ussd

import (
	"context"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"

	"github.com/chanjo-health/chanjo/kv"
)

// Presence answers whether a number is in a USSD session, from the
// sessions the service keeps in Redis (the reminder scheduler's question).
type Presence struct{ kv *kv.Client }

// NewPresence returns the presence of the sessions in the Redis of c.
func NewPresence(c *kv.Client) *Presence { return &Presence{kv: c} }

// InSession reports whether the number p (+254...) is in a USSD session
// now: its last hop was less than SessionTTL ago and did not end the
// session. The reminder scheduler asks it so that no nudge arrives while the
// nurse is on a menu. It reads what every hop writes already, the phone's
// last position: one GET, with its remaining lifetime (LastTTL from the last
// hop) in the same round trip, and adds nothing to a hop.
func (s *Presence) InSession(ctx context.Context, p string) (bool, error) {
	pk := keysOf(s.kv.Prefix, "", p).phone
	pipe := s.kv.Pipeline()
	get, ttl := pipe.Get(ctx, pk), pipe.PTTL(ctx, pk)
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return false, fmt.Errorf("ussd: in session: %w", err)
	}
	v, err := get.Result()
	if err != nil {
		return false, nil
	}
	last, err := decodeSession(v)
	if err != nil || last.Done {
		return false, nil
	}
	return ttl.Val() > LastTTL-SessionTTL, nil
}
