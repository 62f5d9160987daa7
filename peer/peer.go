// Package peer relays the messages of peer groups between their members, whatever channel each
// chose: `G <message>` (`G<n> <message>` with several groups) by SMS or on WhatsApp reaches every
// other member, prefixed with the sender's name and facility; `G` alone lists her groups; a
// group's mentors withdraw a message (`G DEL <n>`), mute a member for a day (`G MUTE <number>`)
// or remove her (`G REMOVE <number>`). The sms and whatsapp packages hand it the commands they
// receive; the store keeps each message once and queues its copies (design.md "Channels").
package peer

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

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
}

// Handle carries out r in tx and returns the answer to the sender, in her
// language.
func Handle(ctx context.Context, db *store.DB, tx *store.Tx, r Received) (string, error) {
	lang := r.From.Language
	groups, err := db.MemberGroups(ctx, tx, r.From.ID)
	if err != nil {
		return "", err
	}
	if len(groups) == 0 {
		return pick(lang, "Chanjo: you are in no group.", "Chanjo: hauko katika kikundi chochote."), nil
	}
	if r.Command.Kind == Withdraw {
		n, err := db.WithdrawGroupMessage(ctx, tx, r.From.ID, r.Command.Message)
		if errors.Is(err, store.ErrNotMentor) {
			return notMentor(lang), nil
		}
		return fmt.Sprintf(pick(lang, "Chanjo: message %d withdrawn: %d members will not get it.",
			"Chanjo: ujumbe %d umeondolewa: wanachama %d hawataupata."), r.Command.Message, n), err
	}
	g, ok := choose(groups, r.Command.Group)
	if !ok || r.Command.Kind == List {
		return list(lang, groups), nil
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
	lang := r.From.Language
	id, n, err := db.PostGroupMessage(ctx, tx, store.GroupPost{Group: g, Sender: r.From, Text: r.Command.Text,
		Source: r.Source, Key: r.Key, Compose: func(id int64, text string) string { return prefix(r.From, id) + text }})
	switch {
	case errors.Is(err, store.ErrMuted):
		return fmt.Sprintf(pick(lang, "Chanjo: a mentor paused your messages to %s until %s.",
			"Chanjo: mshauri amesimamisha ujumbe wako kwa %s hadi %s."), g.Name, g.MutedUntil.Time.Format("02/01 15:04")), nil
	case errors.Is(err, store.ErrRelayOff):
		return fmt.Sprintf(pick(lang, "Chanjo: messages to %s are not relayed. Ask your supervisor.",
			"Chanjo: ujumbe kwa %s haupelekwi. Muulize msimamizi wako."), g.Name), nil
	case err != nil:
		return "", err
	case id == 0:
		return "", nil // received before: answered then
	}
	return fmt.Sprintf(pick(lang, "Chanjo: sent to %d members of %s (message %d).",
		"Chanjo: imetumwa kwa wanachama %d wa %s (ujumbe %d)."), n, g.Name, id), nil
}

// prefix names the sender of a relayed message and its number, which a
// mentor withdraws it by.
func prefix(w store.Worker, id int64) string {
	if w.FacilityName != "" {
		return fmt.Sprintf("%s (%s) #%d: ", w.Name, w.FacilityName, id)
	}
	return fmt.Sprintf("%s #%d: ", w.Name, id)
}

func moderate(ctx context.Context, db *store.DB, tx *store.Tx, r Received, g store.MemberGroup) (string, error) {
	lang := r.From.Language
	p, err := phone.Normalize(r.Command.Text)
	if err != nil {
		return pick(lang, "Chanjo: write the member's number, e.g. G MUTE 0712345678.",
			"Chanjo: andika namba ya mwanachama, k.m. G MUTE 0712345678."), nil
	}
	var member bool
	if r.Command.Kind == Mute {
		member, err = db.MuteGroupMember(ctx, tx, r.From.ID, g.ID, p, MuteFor)
	} else {
		member, err = db.RemoveGroupMemberByMentor(ctx, tx, r.From.ID, g.ID, p)
	}
	switch {
	case errors.Is(err, store.ErrNotMentor):
		return notMentor(lang), nil
	case err != nil:
		return "", err
	case !member:
		return fmt.Sprintf(pick(lang, "Chanjo: %s is not in %s.", "Chanjo: %s hayuko katika %s."), r.Command.Text, g.Name), nil
	case r.Command.Kind == Mute:
		return fmt.Sprintf(pick(lang, "Chanjo: %s is muted in %s for a day.", "Chanjo: %s amenyamazishwa katika %s kwa siku moja."),
			r.Command.Text, g.Name), nil
	}
	return fmt.Sprintf(pick(lang, "Chanjo: %s was removed from %s.", "Chanjo: %s ameondolewa katika %s."), r.Command.Text, g.Name), nil
}

func notMentor(lang string) string {
	return pick(lang, "Chanjo: only a mentor of the group can do that.", "Chanjo: ni mshauri wa kikundi pekee anayeweza kufanya hivyo.")
}

// list names her groups as G1, G2, … and says how to write to one.
func list(lang string, groups []store.MemberGroup) string {
	names := make([]string, len(groups))
	for i, g := range groups {
		names[i] = fmt.Sprintf("G%d %s (%d)", i+1, g.Name, g.Members)
	}
	return fmt.Sprintf(pick(lang, "Chanjo: your groups: %s. Send G1 and your message to write to a group.",
		"Chanjo: vikundi vyako: %s. Tuma G1 na ujumbe wako kuandikia kikundi."), strings.Join(names, ", "))
}

func pick(lang, en, sw string) string {
	if lang == "sw" {
		return sw
	}
	return en
}
