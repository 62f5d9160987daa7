// Package i18n holds the one type for words a nurse reads in several
// languages. A language is data - a code such as "sw" or "kam" that the
// content pack declares - never a struct field, so adding a language is
// adding its texts and one line in the pack.
//
// It is a leaf package so that the content pack (package lessons) and the
// stock calculators (package lessons/stock, which lessons imports) share the
// type.
package i18n

// Source is the language every text is written in first: the pack's texts
// and the calculators' words always have it, so it is what a text shows in a
// language it lacks.
const Source = "en"

// Text is one piece of text a nurse reads: language code -> words.
type Text map[string]string

// In returns the text in lang, or in Source when the text lacks lang. A
// loaded pack has every declared language in every text (the lint sees to
// it), so the fallback serves codes the pack does not declare; callers turn
// those into the pack's first language with (*lessons.Pack).Lang first.
func (t Text) In(lang string) string {
	if s, ok := t[lang]; ok {
		return s
	}
	return t[Source]
}
