package admin

import (
	"context"

	"github.com/chanjo-health/chanjo/store"
)

// smsPause returns the SMS channel's pause for the layout's banner, or nil
// when sending is not paused. A failed read shows no banner rather than
// no page: the page itself will say whether the database answers.
func (h *Console) smsPause(ctx context.Context) *store.Pause {
	p, paused, err := h.db.ChannelPause(ctx, store.ChannelSMS)
	if err != nil {
		h.log.Warn("read the SMS pause", "err", err)
		return nil
	}
	if !paused {
		return nil
	}
	return &p
}

// optOutReasons word the reasons of an opt-out for the nurse page.
var optOutReasons = map[store.OptOutReason]string{
	store.OptOutKeyword:          "she sent STOP",
	store.OptOutGatewayBlacklist: "the network blocks messages from our sender (UserInBlacklist)",
	store.OptOutGatewayCallback:  "she opted out at the network",
	store.OptOutWhatsApp:         "she left the WhatsApp channel",
}
