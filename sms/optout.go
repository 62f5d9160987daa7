package sms

import (
	"context"

	"github.com/gin-gonic/gin"
	"github.com/jmoiron/sqlx"

	"github.com/chanjo-health/chanjo/phone"
	"github.com/chanjo-health/chanjo/sms/africastalking"
	"github.com/chanjo-health/chanjo/store"
)

// keyword applies STOP or START sent by SMS through q, with the SMS that
// asked for it.
func (h *Handler) keyword(ctx context.Context, q sqlx.ExtContext, p string, act action) error {
	if act == actStart {
		return h.db.OptIn(ctx, q, p)
	}
	return h.db.RecordOptOut(ctx, q, store.OptOut{Phone: p, Channel: store.ChannelSMS, Reason: store.OptOutKeyword, Detail: "STOP by SMS"})
}

// optOut answers the gateway's opt-out and subscription callbacks. Only a
// removal from this service's sender opts the number out (docs/gateway.md, "Callbacks to Chanjo"):
// another sender's opt-out, or a subscription added, answers 200 and
// changes nothing, since the number still takes our messages.
func (h *Handler) optOut(c *gin.Context) {
	o, err := africastalking.ParseOptOut(c.Request.PostForm)
	var p string
	if err == nil {
		p, err = normalize(o.PhoneNumber)
	}
	if err == nil && o.Removal() && (h.SenderID == "" || o.Sender() == h.SenderID) {
		c.Set(phone.LogKey, p)
		err = h.db.RecordOptOut(c.Request.Context(), h.db, store.OptOut{Phone: p, Channel: store.ChannelSMS,
			Reason: store.OptOutGatewayCallback, Detail: "opted out of " + o.Sender()})
	}
	h.answer(c, err)
}

// blacklisted opts out the number of a delivery report that failed with
// UserInBlackList: the operator blocks it, so every later send would fail.
// A report without a readable number changes nothing more than its message.
func (h *Handler) blacklisted(ctx context.Context, dr africastalking.DeliveryReport) error {
	p, err := normalize(dr.PhoneNumber)
	if err != nil {
		return nil
	}
	return h.db.RecordOptOut(ctx, h.db, store.OptOut{Phone: p, Channel: store.ChannelSMS,
		Reason: store.OptOutGatewayBlacklist, Detail: "delivery report: " + dr.FailureReason})
}
