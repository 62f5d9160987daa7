package lessons

import (
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"
)

// commandsFile holds the phrases of the SMS commands everyone may send
// (docs/content.md, commands.yaml): staff add the words people really
// send, in either language, without a release.
const commandsFile = "commands.yaml"

// Command is what a person asks for with a whole SMS.
type Command string

// The commands of commands.yaml, each a field of the file.
const (
	// CommandStop opts the sender out of every channel's nudges and broadcasts.
	CommandStop Command = "stop"
	// CommandStart opts the sender back in.
	CommandStart Command = "start"
	// CommandHelp answers with the USSD code and the commands.
	CommandHelp Command = "help"
)

// commandOrder lists the commands in the order of the file's fields.
var commandOrder = []Command{CommandStop, CommandStart, CommandHelp}

// reservedWords start the other commands of the SMS grammar (broadcasts,
// their confirmation, peer groups, a mentor's own question): a phrase that
// starts with one would take their messages.
var reservedWords = map[string]bool{"bc": true, "bc!": true, "yes": true, "ndio": true, "ndiyo": true, "g": true, "q": true}

// Commands matches a whole SMS against the phrases of commands.yaml.
type Commands struct {
	phrases map[string]Command // by NormalizePhrase of the phrase
}

// Match returns the command the whole of text is a phrase of. Case,
// punctuation and spacing do not count ("Stop, please!" is "stop please");
// a command word inside a longer message is no command.
func (c Commands) Match(text string) (Command, bool) {
	cmd, ok := c.phrases[NormalizePhrase(text)]
	return cmd, ok
}

// Phrases returns the phrases of cmd, normalised, in no particular order.
func (c Commands) Phrases(cmd Command) []string {
	var out []string
	for p, k := range c.phrases {
		if k == cmd {
			out = append(out, p)
		}
	}
	return out
}

// NormalizePhrase returns s lower case with every run of characters that
// are neither letters nor digits made one space, trimmed: the form in
// which a message and a phrase are compared.
func NormalizePhrase(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}

// commands reads commands.yaml: a list of phrases for each command.
func (l *loader) commands(d decoder, n *yaml.Node) {
	l.pack.Commands.phrases = map[string]Command{}
	spec := map[string]func(*yaml.Node){}
	for _, cmd := range commandOrder {
		spec[string(cmd)] = func(v *yaml.Node) {
			d.list(v, func(item *yaml.Node) { l.commandPhrase(d, item, cmd) })
			if v.Kind == yaml.SequenceNode && len(v.Content) == 0 {
				d.problem(v, "%s: give at least one phrase", cmd)
			}
		}
	}
	d.fields(n, spec)
}

// commandPhrase adds one phrase of cmd, or says why it cannot be one.
func (l *loader) commandPhrase(d decoder, n *yaml.Node, cmd Command) {
	raw := d.str(n)
	p := NormalizePhrase(raw)
	first, _, _ := strings.Cut(p, " ")
	switch {
	case n.Kind != yaml.ScalarNode:
		return // d.str has said so
	case p == "":
		d.problem(n, "%s: phrase %q has no letters or digits", cmd, raw)
	case reservedWords[first] || isAnswerCode(first):
		d.problem(n, "%s: phrase %q starts like another SMS command (BC, YES, G, Q, A<n>)", cmd, raw)
	case l.pack.Commands.phrases[p] != "":
		d.problem(n, "%s: phrase %q is already a phrase of %s", cmd, raw, l.pack.Commands.phrases[p])
	default:
		l.pack.Commands.phrases[p] = cmd
	}
}

// isAnswerCode reports whether w is a mentor's answer code, "a12".
func isAnswerCode(w string) bool {
	if len(w) < 2 || w[0] != 'a' {
		return false
	}
	return strings.Trim(w[1:], "0123456789") == ""
}
