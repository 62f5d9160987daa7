package peer

import (
	"context"
	"errors"

	"github.com/chanjo-health/chanjo/store"
)

// toCircle keeps a message an SMS member posts (`G <message>`) to be posted, prefixed with her name,
// in her mentor circle's WhatsApp group, when the circle has one (GROUPS_ENABLED; whatsapp.Circles
// posts it). It reports whether she is in such a circle. Keyed by the SMS it came in: a message
// received twice is posted once. A member a mentor muted in any of her groups (groups, MuteFor) posts
// nothing to the circle either until the mute ends: the moderation holds for the circle's group,
// which a mentor cannot mute her in, and the peer relay answers her as muted.
func toCircle(ctx context.Context, db *store.DB, tx *store.Tx, r Received, groups []store.MemberGroup) (bool, error) {
	if r.Source != store.ChannelSMS || r.Command.Kind != Post {
		return false, nil
	}
	now := db.Now().UTC()
	for _, g := range groups {
		if g.MutedUntil.Valid && g.MutedUntil.Time.After(now) {
			return false, nil
		}
	}
	c, err := db.CircleOfWorker(ctx, tx, r.From.ID)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	// The group reads the words of the circle's mentor.
	body := r.Pack.Say(c.Members[0].Language, "circles.post", "name", r.From.Name, "text", r.Command.Text)
	_, err = db.QueueCirclePost(ctx, tx, c.ID, r.From.ID, body, "circle:"+r.Key)
	return err == nil, err
}
