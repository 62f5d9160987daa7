package lessons

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Language is a language the pack speaks: its code ("sw") and its name in
// itself ("Kiswahili"), as the language menu shows it.
type Language struct {
	Code, Name string
}

// Languages returns the languages the pack declares (settings.yaml
// languages), in menu order; the first is the pack's default.
func (p *Pack) Languages() []Language { return p.Settings.Languages }

// LanguageCodes returns the codes of the pack's languages, in menu order.
func (p *Pack) LanguageCodes() []string { return codes(p.Settings.Languages) }

// Speaks reports whether the pack declares language code.
func (p *Pack) Speaks(code string) bool {
	return slices.ContainsFunc(p.Settings.Languages, func(l Language) bool { return l.Code == code })
}

// Lang returns code when the pack declares it, else the pack's first
// language: a worker whose stored language the pack no longer speaks reads
// the default rather than an empty screen.
func (p *Pack) Lang(code string) string {
	if p.Speaks(code) || len(p.Settings.Languages) == 0 {
		return code
	}
	return p.Settings.Languages[0].Code
}

// message is one text of the catalogue, split once at load into literal
// runs and parameters so that Say only copies.
type message struct {
	text  Text
	parts map[string][]part // by language
	size  map[string]int    // by language: the text with every value at its longest
}

// part is a literal run of a message, or a parameter when param is set.
type part struct {
	lit, param string
}

// Say returns the catalogue's text key in lang with its <name> parameters
// filled from args, given as name, value pairs: Say("sw", "quiz.score",
// "right", 3, "total", 5). A parameter is a <name> that settings.yaml
// declares under placeholders; a typed word ("A12 <answer>") is text, and
// the lint refuses any other <word>.
// A value longer than its declared longest is cut at a word, so the screens
// the lint measured never overflow; a parameter declared 0 long is a free
// text the code fits itself (an SMS cut to two segments). A key the catalogue lacks is returned as it
// stands: the catalogue test keeps every key the code uses in the pack.
func (p *Pack) Say(lang, key string, args ...any) string {
	m, ok := p.messages[key]
	if !ok {
		return key
	}
	parts, ok := m.parts[lang]
	if !ok {
		parts = m.parts[p.Lang(lang)]
	}
	if len(parts) == 1 && parts[0].param == "" {
		return parts[0].lit
	}
	var b strings.Builder
	b.Grow(m.size[lang]) // one allocation for values within their declared longest
	for _, pt := range parts {
		if pt.param == "" {
			b.WriteString(pt.lit)
			continue
		}
		v := arg(pt.param, args)
		if n := p.Settings.Placeholders[pt.param]; n > 0 {
			v = cut(v, n)
		}
		b.WriteString(v)
	}
	return b.String()
}

// arg returns the value of parameter name in args (name, value pairs).
func arg(name string, args []any) string {
	for i := 0; i+1 < len(args); i += 2 {
		if n, _ := args[i].(string); n == name {
			switch v := args[i+1].(type) {
			case string:
				return v
			case int:
				return strconv.Itoa(v)
			default:
				return fmt.Sprint(v)
			}
		}
	}
	return ""
}

// Message returns the text of catalogue key in every language, its
// parameters unfilled, and whether the catalogue has it.
func (p *Pack) Message(key string) (Text, bool) {
	m, ok := p.messages[key]
	return m.text, ok
}

// MessageKeys returns the catalogue's keys, sorted.
func (p *Pack) MessageKeys() []string {
	keys := make([]string, 0, len(p.messages))
	for k := range p.messages {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// MessageParams returns the parameters catalogue key uses in any language,
// sorted, each once.
func (p *Pack) MessageParams(key string) []string {
	var names []string
	for _, s := range p.messages[key].text {
		for _, m := range placeholderPattern.FindAllStringSubmatch(s, -1) {
			if _, ok := p.Settings.Placeholders[m[1]]; ok && !slices.Contains(names, m[1]) {
				names = append(names, m[1])
			}
		}
	}
	slices.Sort(names)
	return names
}

// messagesPrefix starts the name of every catalogue file:
// messages-<area>.yaml holds the keys "<area>.…".
const messagesPrefix = "messages-"

var keyPattern = regexp.MustCompile(`^[a-z0-9_]+(\.[a-z0-9_]+)+$`)

// messages reads one catalogue file, messages-<area>.yaml: a mapping from
// key to text. Every key starts with "<area>." so a writer knows where a key
// lives, and no key is in two files.
func (l *loader) messages(d decoder, n *yaml.Node, area string) {
	if n.Kind != yaml.MappingNode {
		d.problem(n, "want a mapping of keys to texts, found %s", kindName(n))
		return
	}
	if l.pack.messages == nil {
		l.pack.messages = map[string]message{}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		key := k.Value
		switch {
		case !keyPattern.MatchString(key):
			d.problem(k, "key %q: use lowercase words joined by dots, such as %s.title", key, area)
			continue
		case !strings.HasPrefix(key, area+"."):
			d.problem(k, "key %q: a key of %s%s.yaml starts with %q", key, messagesPrefix, area, area+".")
			continue
		}
		if at, dup := l.keys[key]; dup {
			d.problem(k, "key %q is already defined at %s:%d", key, at.file, at.line)
			continue
		}
		l.keys[key] = d.at(k)
		max := messageMax(d, v)
		t := d.text(v)
		l.undeclared(d, v, key, t)
		long := longestText(t, l.pack.Settings.Placeholders)
		d.limitText(v, key+" with the longest values filled in", long, max)
		size := make(map[string]int, len(long))
		for lang, s := range long {
			size[lang] = len(s)
		}
		l.pack.messages[key] = message{text: t, parts: split(t, l.pack.Settings.Placeholders), size: size}
	}
}

// undeclared reports each <word> of text t, in any language, that is
// neither a placeholder nor a typed word: most likely a misspelt parameter
// ("<cdoe>"), which Say would leave in the nurse's text as it stands.
func (l *loader) undeclared(d decoder, n *yaml.Node, key string, t Text) {
	for _, lang := range codes(l.pack.Settings.Languages) {
		for _, m := range placeholderPattern.FindAllStringSubmatch(t.In(lang), -1) {
			if _, ok := l.pack.Settings.Placeholders[m[1]]; !ok && !slices.Contains(l.typed, m[1]) {
				d.problem(n, "%s %s: <%s> is neither a placeholder nor a typed word (settings.yaml placeholders, typed_words)", key, lang, m[1])
			}
		}
	}
}

// maxMessage is the most characters a message may declare: three SMS.
const maxMessage = 3 * 153

// messageMax takes the optional "max" field out of a message's mapping: the
// characters it may have when it is longer than one screen or SMS (a
// certificate SMS in two parts). Without it the limit is one SMS, 160.
func messageMax(d decoder, n *yaml.Node) int {
	if n.Kind != yaml.MappingNode {
		return smsLen
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value != "max" {
			continue
		}
		max := d.int(n.Content[i+1])
		if max < 1 || max > maxMessage {
			d.problem(n.Content[i+1], "max %d: want 1 to %d characters", max, maxMessage)
		}
		n.Content = slices.Delete(n.Content, i, i+2)
		return max
	}
	return smsLen
}

// longestText is t with every parameter at its longest (limits).
func longestText(t Text, limits map[string]int) Text {
	out := make(Text, len(t))
	for lang, s := range t {
		out[lang] = longest(s, limits)
	}
	return out
}

// split cuts each language of t into literal runs and the parameters
// limits declares.
func split(t Text, limits map[string]int) map[string][]part {
	out := make(map[string][]part, len(t))
	for lang, s := range t {
		var parts []part
		last := 0
		for _, m := range placeholderPattern.FindAllStringSubmatchIndex(s, -1) {
			if _, ok := limits[s[m[2]:m[3]]]; !ok {
				continue // a <word> that is text
			}
			if m[0] > last {
				parts = append(parts, part{lit: s[last:m[0]]})
			}
			parts = append(parts, part{param: s[m[2]:m[3]]})
			last = m[1]
		}
		if last < len(s) || len(parts) == 0 {
			parts = append(parts, part{lit: s[last:]})
		}
		out[lang] = parts
	}
	return out
}
