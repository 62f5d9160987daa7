package sms

import (
	"strings"

	"github.com/chanjo-health/chanjo/lessons"
)

// action is what an incoming SMS asks for.
type action string

const (
	actStop     action = "stop"
	actStart    action = "start"
	actHelp     action = "help"
	actQuestion action = "question"
	actUnknown  action = "unknown" // any other text from a number that is not a worker's
)

// commandActions maps the pack's commands to what the handler does.
var commandActions = map[lessons.Command]action{
	lessons.CommandStop: actStop, lessons.CommandStart: actStart, lessons.CommandHelp: actHelp,
}

// classify returns what text asks for: a phrase of cmds as the whole
// message (docs/content.md, commands.yaml), else a question from a
// health worker (known) or the help for anyone else.
func classify(cmds lessons.Commands, text string, known bool) action {
	if c, ok := cmds.Match(text); ok {
		return commandActions[c]
	}
	if lessons.NormalizePhrase(text) == "" && known {
		return actHelp // an empty SMS asks nothing: no question for the mentor
	}
	if known {
		return actQuestion
	}
	return actUnknown
}

// replyKeys are the catalogue keys of the answer to each action
// (messages-sms.yaml); their <code> is the USSD code. A question is
// answered by the relay (relay.go), which names the channel her answer
// comes on.
var replyKeys = map[action]string{
	actStop:    "sms.reply.stop",
	actStart:   "sms.reply.start",
	actHelp:    "sms.reply.help",
	actUnknown: "sms.reply.unknown",
}

// reply returns the answer to a in lang, or in every language of the pack
// (its first language first) when the sender's language is unknown (""),
// each after the first without the "Chanjo: " it repeats.
func reply(p *lessons.Pack, a action, lang, ussdCode string) string {
	if p.Speaks(lang) {
		return p.Say(lang, replyKeys[a], "code", ussdCode)
	}
	texts := make([]string, len(p.Languages()))
	for i, l := range p.Languages() {
		texts[i] = p.Say(l.Code, replyKeys[a], "code", ussdCode)
		if i > 0 {
			texts[i] = strings.TrimPrefix(texts[i], "Chanjo: ")
		}
	}
	return strings.Join(texts, "\n")
}
