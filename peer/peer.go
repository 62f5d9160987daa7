// Package peer relays the messages of peer groups between their members, whatever channel each
// chose: `G <message>` (`G<n> <message>` with several groups) by SMS or on WhatsApp reaches every
// other member, prefixed with the sender's name and facility; `G` alone lists her groups; a
// group's mentors withdraw a message (`G DEL <n>`), mute a member for a day (`G MUTE <number>`)
// or remove her (`G REMOVE <number>`). The sms and whatsapp packages hand it the commands they
// receive; the store keeps each message once and queues its copies (docs/whatsapp.md, "Peer groups on both channels").
package peer

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/phone"
	"github.com/chanjo-health/chanjo/store"
)

// MuteFor is how long a mentor's MUTE keeps a member's messages from her group.
const MuteFor = 24 * time.Hour

// Kind is what a group command asks.
type Kind int

// The group commands.
const (
	List Kind = iota + 1
	Post
	Withdraw
	Mute
	Remove
)

// Command is a parsed group command.
type Command struct {
	Kind Kind
	// Group is n of G<n>, 0 when not given.
	Group int
	// Text is the message to post, or the number to mute or remove.
	Text string
	// Message is the number of the message to withdraw.
	Message int64
}

var head = regexp.MustCompile(`(?i)^g([0-9]{0,2})$`)

// Parse reads a whole message as a group command: its first word is G or
// G<n>. Anything else is no group command.
func Parse(text string) (Command, bool) {
	fields := strings.Fields(text)
	if len(fields) == 0 {
		return Command{}, false
	}
	m := head.FindStringSubmatch(fields[0])
	if m == nil {
		return Command{}, false
	}
	cmd := Command{Kind: Post}
	if m[1] != "" {
		cmd.Group, _ = strconv.Atoi(m[1])
	}
	rest := strings.TrimSpace(strings.TrimSpace(text)[len(fields[0]):])
	if rest == "" {
		return Command{Kind: List, Group: cmd.Group}, true
	}
	if len(fields) == 3 {
		switch strings.ToUpper(fields[1]) {
		case "DEL":
			if n, err := strconv.ParseInt(fields[2], 10, 64); err == nil && n > 0 {
				return Command{Kind: Withdraw, Group: cmd.Group, Message: n}, true
			}
		case "MUTE":
			return Command{Kind: Mute, Group: cmd.Group, Text: fields[2]}, true
		case "REMOVE":
			return Command{Kind: Remove, Group: cmd.Group, Text: fields[2]}, true
		}
	}
	cmd.Text = rest
	return cmd, true
}

// Received is a group command as it arrived.
type Received struct {
	Command Command
	From    store.Worker
	// Source is the channel it came by (store.ChannelSMS, store.ChannelWhatsApp).
	Source string
	// Key names the message it came in, so a message received twice is posted once.
	Key string
	// Pack words the answer (messages-peer.yaml); nil is the embedded pack.
	Pack *lessons.Pack
}

// Handle carries out r in tx and returns the answer to the sender, in her
// language.
func Handle(ctx context.Context, db *store.DB, tx *store.Tx, r Received) (string, error) {
	if r.Pack == nil {
		p, err := lessons.Default()
		if err != nil {
			return "", err
		}
		r.Pack = p
	}
	lang, p := r.From.Language, r.Pack
	groups, err := db.MemberGroups(ctx, tx, r.From.ID)
	if err != nil {
		return "", err
	}
	circled, err := toCircle(ctx, db, tx, r, groups)
	if err != nil {
		return "", err
	}
	if len(groups) == 0 && circled {
		return p.Say(lang, "circles.posted"), nil
	}
	if len(groups) == 0 {
		return p.Say(lang, "peer.no_group"), nil
	}
	if r.Command.Kind == Withdraw {
		n, err := db.WithdrawGroupMessage(ctx, tx, r.From.ID, r.Command.Message)
		if errors.Is(err, store.ErrNotMentor) {
			return p.Say(lang, "peer.not_mentor"), nil
		}
		return p.Say(lang, "peer.withdrawn", "msg", r.Command.Message, "count", n), err
	}
	g, ok := choose(groups, r.Command.Group)
	if !ok || r.Command.Kind == List {
		return list(p, lang, groups), nil
	}
	switch r.Command.Kind {
	case Mute, Remove:
		return moderate(ctx, db, tx, r, g)
	}
	return post(ctx, db, tx, r, g)
}

// choose returns her group n (1-based), or her only group when n is 0.
func choose(groups []store.MemberGroup, n int) (store.MemberGroup, bool) {
	switch {
	case n == 0 && len(groups) == 1:
		return groups[0], true
	case n >= 1 && n <= len(groups):
		return groups[n-1], true
	}
	return store.MemberGroup{}, false
}

func post(ctx context.Context, db *store.DB, tx *store.Tx, r Received, g store.MemberGroup) (string, error) {
	lang, p := r.From.Language, r.Pack
	id, rcpts, err := db.PostGroupMessage(ctx, tx, store.GroupPost{Group: g, Sender: r.From, Text: r.Command.Text,
		Source: r.Source, Key: r.Key})
	switch {
	case errors.Is(err, store.ErrMuted):
		return p.Say(lang, "peer.paused", "group", g.Name, "until", g.MutedUntil.Time.Format("02/01 15:04")), nil
	case errors.Is(err, store.ErrRelayOff):
		return p.Say(lang, "peer.relay_off", "group", g.Name), nil
	case err != nil:
		return "", err
	case id == 0:
		return "", nil // received before: answered then
	}
	copies := make([]store.GroupCopy, len(rcpts))
	for i, to := range rcpts {
		copies[i] = store.GroupCopy{To: to, Body: Relayed(p, to.Language, r.From, id, r.Command.Text)}
	}
	n, err := db.QueueGroupCopies(ctx, tx, id, copies)
	if err != nil {
		return "", err
	}
	return p.Say(lang, "peer.sent", "count", n, "group", g.Name, "msg", id), nil
}

// Relayed is the copy of group message id from w that a member reading
// lang receives: the sender's name and facility and the message's number,
// which a mentor withdraws it by, then her text.
func Relayed(p *lessons.Pack, lang string, w store.Worker, id int64, text string) string {
	if w.FacilityName != "" {
		return p.Say(lang, "peer.relayed", "name", w.Name, "facility", w.FacilityName, "msg", id, "text", text)
	}
	return p.Say(lang, "peer.relayed_plain", "name", w.Name, "msg", id, "text", text)
}

func moderate(ctx context.Context, db *store.DB, tx *store.Tx, r Received, g store.MemberGroup) (string, error) {
	lang, p := r.From.Language, r.Pack
	number, err := phone.Normalize(r.Command.Text)
	if err != nil {
		return p.Say(lang, "peer.number"), nil
	}
	var member bool
	if r.Command.Kind == Mute {
		member, err = db.MuteGroupMember(ctx, tx, r.From.ID, g.ID, number, MuteFor)
	} else {
		member, err = db.RemoveGroupMemberByMentor(ctx, tx, r.From.ID, g.ID, number)
	}
	switch {
	case errors.Is(err, store.ErrNotMentor):
		return p.Say(lang, "peer.not_mentor"), nil
	case err != nil:
		return "", err
	case !member:
		return p.Say(lang, "peer.not_member", "member", r.Command.Text, "group", g.Name), nil
	case r.Command.Kind == Mute:
		return p.Say(lang, "peer.muted", "member", r.Command.Text, "group", g.Name), nil
	}
	return p.Say(lang, "peer.removed", "member", r.Command.Text, "group", g.Name), nil
}

// list names her groups as G1, G2, … and says how to write to one.
func list(p *lessons.Pack, lang string, groups []store.MemberGroup) string {
	names := make([]string, len(groups))
	for i, g := range groups {
		names[i] = fmt.Sprintf("G%d %s (%d)", i+1, g.Name, g.Members)
	}
	return p.Say(lang, "peer.groups", "groups", strings.Join(names, ", "))
}
