package sms

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/peer"
	"github.com/chanjo-health/chanjo/store"
)

// digest folds the copies of group messages that one number has waiting in
// msgs, two or more, into digests (peer.Digest): they pile up only while
// held (quiet hours, her USSD session, a paused account, a retry), since
// otherwise the dispatcher takes each within a poll of its queueing, and
// then one SMS serves her better and costs less than a burst of them. The
// first copy of each digest carries its text; the others ride along
// (riders: carrier id → theirs) and are recorded with the carrier's result,
// so a copy is sent once, in one digest, and one failed is retried whole.
func (d *Dispatcher) digest(ctx context.Context, msgs []store.Claimed) ([]store.Claimed, map[int64][]int64, error) {
	byPhone := map[string][]int{}
	for i, m := range msgs {
		if m.GroupMessageID != 0 {
			byPhone[m.Phone] = append(byPhone[m.Phone], i)
		}
	}
	var phones []string
	for p, is := range byPhone {
		if len(is) > 1 {
			phones = append(phones, p)
		}
	}
	if len(phones) == 0 {
		return msgs, nil, nil
	}
	pack := d.Pack
	if pack == nil {
		var err error
		if pack, err = lessons.Default(); err != nil {
			return nil, nil, fmt.Errorf("sms: digest: %w", err)
		}
	}
	langs, err := d.db.LanguagesByPhone(ctx, phones)
	if err != nil {
		return nil, nil, fmt.Errorf("sms: digest: %w", err)
	}
	riders := map[int64][]int64{}
	drop := map[int]bool{}
	for _, p := range phones {
		is := byPhone[p]
		slices.SortFunc(is, func(a, b int) int { return cmp.Compare(msgs[a].ID, msgs[b].ID) }) // the order they were posted
		bodies := make([]string, len(is))
		for k, i := range is {
			bodies[k] = msgs[i].Body
		}
		at := 0
		for _, f := range peer.Digest(pack, langs[p], bodies) {
			carrier := is[at]
			msgs[carrier].Body = f.Text
			for _, i := range is[at+1 : at+f.Copies] {
				riders[msgs[carrier].ID] = append(riders[msgs[carrier].ID], msgs[i].ID)
				drop[i] = true
			}
			at += f.Copies
		}
	}
	out := make([]store.Claimed, 0, len(msgs)-len(drop))
	for i, m := range msgs {
		if !drop[i] {
			out = append(out, m)
		}
	}
	return out, riders, nil
}

// ridersResults returns, for each result of a digest's carrier, the same
// result for the copies that rode in it: sent (or to be retried, or failed)
// together, its cost and segments counted once, on the carrier.
func ridersResults(rs []store.Result, riders map[int64][]int64) []store.Result {
	var out []store.Result
	for _, r := range rs {
		for _, id := range riders[r.ID] {
			out = append(out, store.Result{ID: id, Status: r.Status, GatewayID: r.GatewayID, Currency: r.Currency,
				Reason: r.Reason, NotBefore: r.NotBefore})
		}
	}
	return out
}
