package lessons

import (
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// glossaryFile holds the pack's English-Kiswahili glossary (docs/domain.md
// section 9). It is optional, so that a small pack made for a test needs
// none, but the shipped pack carries one and its lint checks every
// Kiswahili text against it.
const glossaryFile = "glossary.yaml"

// Term is one entry of the glossary: the words nurses read for a concept,
// in every language.
type Term = Text

// Avoided is a word or phrase that must not appear in Kiswahili text, with
// what to say instead. Allow lists the phrases in which the word is right
// ("(AMC)" after the Kiswahili term, "maswali yangu" for My questions).
type Avoided struct {
	Word  string
	Say   string
	Allow []string
}

// VaccineName is a vaccine's name in each language, by its id in
// settings.yaml; abbreviations (BCG, Penta) need no entry.
type VaccineName struct {
	ID   string
	Name Text
}

// Glossary is the pack's one list of terms: lessons, quizzes, calculators
// and menus use its words, and the lint flags the variants it lists as ones
// to avoid in texts of language Lang.
type Glossary struct {
	Lang     string // the language the Avoid list checks (glossary.yaml language)
	Terms    []Term
	Avoid    []Avoided
	Vaccines []VaccineName
	patterns []*regexp.Regexp // one per Avoid entry, matching the word whole
}

// Avoided returns the entries of g.Avoid that s, a text in g.Lang, uses
// outside their allowed phrases, in glossary order.
func (g *Glossary) Avoided(s string) []Avoided {
	var found []Avoided
	lower := strings.ToLower(s)
	for i, a := range g.Avoid {
		text := lower
		for _, ok := range a.Allow {
			text = strings.ReplaceAll(text, strings.ToLower(ok), " ")
		}
		if g.patterns[i].MatchString(text) {
			found = append(found, a)
		}
	}
	return found
}

// VaccineName returns the name of vaccine id in lang: the glossary's, else
// the name in settings.yaml, else the id.
func (p *Pack) VaccineName(id, lang string) string {
	for _, v := range p.Glossary.Vaccines {
		if v.ID == id {
			return v.Name.In(lang)
		}
	}
	for _, v := range p.Settings.Vaccines {
		if v.ID == id {
			return v.Name
		}
	}
	return id
}

// glossary reads glossary.yaml.
func (l *loader) glossary(d decoder, n *yaml.Node) {
	g := &l.pack.Glossary
	d.fields(n, map[string]func(*yaml.Node){
		"language": func(v *yaml.Node) {
			if g.Lang = d.str(v); !slices.ContainsFunc(*d.langs, func(l Language) bool { return l.Code == g.Lang }) {
				d.problem(v, "language %q is not one of the pack's (%s)", g.Lang, strings.Join(codes(*d.langs), ", "))
			}
		},
		"terms": func(v *yaml.Node) {
			d.list(v, func(item *yaml.Node) { g.Terms = append(g.Terms, d.text(item)) })
		},
		"vaccines": func(v *yaml.Node) { d.list(v, func(item *yaml.Node) { l.vaccineName(d, item) }) },
		"avoid":    func(v *yaml.Node) { d.list(v, func(item *yaml.Node) { l.avoided(d, item) }) },
	})
}

func (l *loader) vaccineName(d decoder, n *yaml.Node) {
	var v VaccineName
	d.fields(n, map[string]func(*yaml.Node){
		"id":   func(x *yaml.Node) { v.ID = d.id(x) },
		"name": func(x *yaml.Node) { v.Name = d.text(x); d.limitText(x, "vaccine name", v.Name, maxTitle) },
	})
	l.pack.Glossary.Vaccines = append(l.pack.Glossary.Vaccines, v)
}

func (l *loader) avoided(d decoder, n *yaml.Node) {
	var a Avoided
	d.fields(n, map[string]func(*yaml.Node){
		"word":  func(x *yaml.Node) { a.Word = d.str(x) },
		"say":   func(x *yaml.Node) { a.Say = d.phrase(x, "say") },
		"allow": func(x *yaml.Node) { a.Allow = d.strs(x) },
	}, "allow")
	if strings.TrimSpace(a.Word) == "" {
		d.problem(n, "avoid: an empty word")
		return
	}
	g := &l.pack.Glossary
	g.Avoid = append(g.Avoid, a)
	g.patterns = append(g.patterns, regexp.MustCompile(`\b`+regexp.QuoteMeta(strings.ToLower(a.Word))+`\b`))
}

// checkGlossary reports every text in the glossary's language that uses a
// word the glossary says to avoid, at the text's line.
func (l *loader) checkGlossary() {
	g := &l.pack.Glossary
	name := g.Lang
	for _, lang := range l.pack.Settings.Languages {
		if lang.Code == g.Lang {
			name = lang.Name
		}
	}
	for _, t := range l.texts {
		if t.lang != g.Lang {
			continue
		}
		for _, a := range g.Avoided(t.text) {
			l.probs = append(l.probs, Problem{File: t.file, Line: t.line,
				Message: t.lang + ": \"" + a.Word + "\" is a word to avoid in " + name + ": say \"" + a.Say + "\" (" + glossaryFile + ")"})
		}
	}
}
