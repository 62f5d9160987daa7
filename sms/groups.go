package sms

import (
	"context"

	"github.com/chanjo-health/chanjo/peer"
	"github.com/chanjo-health/chanjo/sms/africastalking"
	"github.com/chanjo-health/chanjo/store"
)

// group handles a peer group command (docs/whatsapp.md, "Peer groups on both channels")
// in one transaction with the incoming SMS and the answer to it, so a
// callback the gateway retries posts nothing twice.
func (h *Handler) group(ctx context.Context, in africastalking.Incoming, w store.Worker, cmd peer.Command) error {
	return h.db.Tx(ctx, func(tx *store.Tx) error {
		fresh, err := h.db.RecordInbound(ctx, tx, store.InboundSMS{
			GatewayID: in.ID, Phone: in.From, To: in.To, Body: in.Text, LinkID: in.LinkID,
			WorkerID: w.ID, HandledAs: "group", SentAt: in.Date,
		})
		if err != nil || !fresh {
			return err
		}
		answer, err := peer.Handle(ctx, h.db, tx, peer.Received{Command: cmd, From: w, Source: store.ChannelSMS, Key: "sms:" + in.ID, Pack: h.Pack})
		if err != nil || answer == "" {
			return err
		}
		_, err = h.db.Enqueue(ctx, tx, store.Outgoing{DedupeKey: "in:" + in.ID, Kind: store.KindReply, Phone: in.From,
			Body: answer, WorkerID: w.ID})
		return err
	})
}
