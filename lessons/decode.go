package lessons

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/chanjo-health/chanjo/lessons/screen"
)

// Problem is one mistake in a content pack, with where it is.
type Problem struct {
	File    string
	Line    int // 0 when the problem concerns the whole file
	Message string
}

// String returns "file:line: message", or "file: message" without a line.
func (p Problem) String() string {
	if p.Line == 0 {
		return p.File + ": " + p.Message
	}
	return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Message)
}

// pos is where an item is defined.
type pos struct {
	file string
	line int
}

// decoder turns the YAML nodes of one file into values, noting every
// problem with the file and line of the node at fault. It never stops at
// the first problem: a writer fixes a whole file in one pass.
type decoder struct {
	file  string
	probs *[]Problem
	texts *[]langText // every text read, for the glossary check
	langs *[]Language // the pack's languages, once settings.yaml declared them
}

// langText is one language of a text and where it is.
type langText struct {
	file, lang string
	line       int
	text       string
}

func (d decoder) problem(n *yaml.Node, format string, args ...any) {
	*d.probs = append(*d.probs, Problem{File: d.file, Line: n.Line, Message: fmt.Sprintf(format, args...)})
}

func (d decoder) at(n *yaml.Node) pos { return pos{file: d.file, line: n.Line} }

// fields walks mapping n, handing each value to the function of its key.
// A key not in spec is a problem (typos must not pass silently), as is a
// repeated key or a missing key not listed in optional.
func (d decoder) fields(n *yaml.Node, spec map[string]func(*yaml.Node), optional ...string) {
	if n.Kind != yaml.MappingNode {
		d.problem(n, "want a mapping of fields, found %s", kindName(n))
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		f, ok := spec[k.Value]
		switch {
		case !ok:
			d.problem(k, "unknown field %q (known: %s)", k.Value, keys(spec))
		case seen[k.Value]:
			d.problem(k, "field %q given twice", k.Value)
		default:
			seen[k.Value] = true
			if v.Kind != yaml.ScalarNode && v.Line > k.Line {
				v.Line = k.Line // a block list or mapping: point at its key, not its first item
			}
			f(v)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(spec)) {
		if !seen[k] && !slices.Contains(optional, k) {
			d.problem(n, "missing field %q", k)
		}
	}
}

// list hands each item of sequence n to f.
func (d decoder) list(n *yaml.Node, f func(*yaml.Node)) {
	if n.Kind != yaml.SequenceNode {
		d.problem(n, "want a list, found %s", kindName(n))
		return
	}
	for _, item := range n.Content {
		f(item)
	}
}

func (d decoder) str(n *yaml.Node) string {
	if n.Kind != yaml.ScalarNode {
		d.problem(n, "want a single value, found %s", kindName(n))
		return ""
	}
	return n.Value
}

var idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// id reads an identifier: lowercase letters and digits joined by single dashes.
func (d decoder) id(n *yaml.Node) string {
	s := d.str(n)
	if n.Kind == yaml.ScalarNode && !idPattern.MatchString(s) {
		d.problem(n, "id %q: use lowercase letters, digits and single dashes", s)
	}
	return s
}

func (d decoder) strs(n *yaml.Node) []string {
	var ss []string
	d.list(n, func(item *yaml.Node) { ss = append(ss, d.str(item)) })
	return ss
}

// number decodes scalar n into v (an *int, *float64 or *bool).
func (d decoder) number(n *yaml.Node, v any, want string) {
	if n.Kind != yaml.ScalarNode || n.Decode(v) != nil {
		d.problem(n, "want %s, found %q", want, n.Value)
	}
}

func (d decoder) int(n *yaml.Node) (v int) {
	d.number(n, &v, "a whole number")
	return v
}

func (d decoder) float(n *yaml.Node) (v float64) {
	d.number(n, &v, "a number")
	return v
}

func (d decoder) bool(n *yaml.Node) (v bool) {
	d.number(n, &v, "true or false")
	return v
}

// text reads a text in every language the pack declares, {en: "...",
// sw: "..."}, checking that each is there and uses only the USSD character
// set, on one line.
func (d decoder) text(n *yaml.Node) Text {
	langs := *d.langs
	t := make(Text, len(langs))
	if len(langs) == 0 {
		return t // settings.yaml declares none: one problem there, not one per text
	}
	if n.Kind != yaml.MappingNode {
		d.problem(n, "want a text in every language, {%s: \"...\"}, found %s", strings.Join(codes(langs), ": \"...\", "), kindName(n))
		return t
	}
	spec := make(map[string]func(*yaml.Node), len(langs))
	for _, l := range langs {
		spec[l.Code] = func(v *yaml.Node) { t[l.Code] = d.phrase(v, l.Code) }
	}
	d.fields(n, spec, codes(langs)...)
	for _, l := range langs {
		if strings.TrimSpace(t[l.Code]) == "" {
			d.problem(n, "missing translation: %s is empty", l.Code)
		}
		*d.texts = append(*d.texts, langText{file: d.file, line: n.Line, lang: l.Code, text: t[l.Code]})
	}
	return t
}

// codes returns the codes of langs.
func codes(langs []Language) []string {
	cs := make([]string, len(langs))
	for i, l := range langs {
		cs[i] = l.Code
	}
	return cs
}

// phrase reads one language of a text.
func (d decoder) phrase(n *yaml.Node, lang string) string {
	s := d.str(n)
	for i, r := range s {
		if r == '\n' || !screen.Allowed(r) {
			d.problem(n, "%s: character %q at position %d is outside the USSD character set%s",
				lang, r, len([]rune(s[:i]))+1, hint(r))
		}
	}
	return s
}

// hint suggests the allowed character a writer probably meant.
func hint(r rune) string {
	switch r {
	case '\u2018', '\u2019':
		return " (use ')"
	case '\u201c', '\u201d':
		return " (use ')"
	case '\u2013', '\u2014':
		return " (use -)"
	case '\n':
		return " (a text stays on one line)"
	}
	return ""
}

// limit notes a problem when text s of node n is longer than max.
func (d decoder) limit(n *yaml.Node, what, lang, s string, max int) {
	if len(s) > max {
		d.problem(n, "%s (%s) is %d characters, over %d: shorten it by %d", what, lang, len(s), max, len(s)-max)
	}
}

// limitText applies limit to every language of t.
func (d decoder) limitText(n *yaml.Node, what string, t Text, max int) {
	for _, l := range *d.langs {
		d.limit(n, what, l.Code, t.In(l.Code), max)
	}
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	return fmt.Sprintf("%q", n.Value)
}

func keys(spec map[string]func(*yaml.Node)) string {
	return strings.Join(slices.Sorted(maps.Keys(spec)), ", ")
}
