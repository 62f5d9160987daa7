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

// replies holds the answer to each action in English and Kiswahili; %[1]s
// is the USSD code. Every text is GSM-7 and fits one segment.
var replies = map[action]map[string]string{
	actStop: {
		"en": "Chanjo: you will get no more reminders or broadcasts. Send START to get them again. Dial %[1]s any time.",
		"sw": "Chanjo: hutapokea tena vikumbusho wala matangazo. Tuma ANZA kuyapata tena. Piga %[1]s wakati wowote.",
	},
	actStart: {
		"en": "Chanjo: reminders and broadcasts are on again. Send STOP to turn them off.",
		"sw": "Chanjo: vikumbusho na matangazo vimewashwa tena. Tuma ACHA kuvizima.",
	},
	actHelp: {
		"en": "Chanjo: dial %[1]s for lessons, quizzes and stock calculators. SMS STOP to stop reminders, START to restart, or send a question for your mentor.",
		"sw": "Chanjo: piga %[1]s kwa masomo, mazoezi na vikokotoo. Tuma ACHA kusimamisha vikumbusho, ANZA kuanza tena, au tuma swali kwa mshauri wako.",
	},
	actQuestion: {
		"en": "Chanjo: thank you, we got your question. Your mentor will answer by SMS.",
		"sw": "Chanjo: asante, swali lako limepokelewa. Mshauri wako atakujibu kwa SMS.",
	},
	actUnknown: {
		"en": "Chanjo: this number is not registered. Dial %[1]s to join.",
		"sw": "Chanjo: nambari hii haijasajiliwa. Piga %[1]s kujiunga.",
	},
}

// reply returns the answer to a in lang, or in both languages (English
// first) when the sender's language is unknown ("").
func reply(a action, lang, ussdCode string) string {
	t := replies[a]
	if lang == "en" || lang == "sw" {
		return strings.ReplaceAll(t[lang], "%[1]s", ussdCode)
	}
	return strings.ReplaceAll(t["en"]+"\n"+strings.TrimPrefix(t["sw"], "Chanjo: "), "%[1]s", ussdCode)
}
