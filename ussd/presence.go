package ussd

import (
	"context"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"
)

// InSession reports whether the number p (+254...) is in a USSD session
// now: its last hop was less than SessionTTL ago and did not end the
// session. The reminder scheduler asks it so that no nudge arrives while the
// nurse is on a menu. It reads what every hop writes already, the phone's
// last position: one GET, with its remaining lifetime (LastTTL from the last
// hop) in the same round trip, and adds nothing to a hop.
func (s *Service) InSession(ctx context.Context, p string) (bool, error) {
	pk := s.keys("", p).phone
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
