// Package gsm counts how many SMS segments a text needs, the way handsets and gateways split it:
// GSM-7 (the GSM 03.38 default alphabet and its extension table) when every character fits, UCS-2
// otherwise. The SMS dispatcher uses it for the rate limit and cost estimates, the console to warn when a
// text falls back to UCS-2 and costs more than twice as much.
package gsm

import "unicode/utf16"

// Encoding is the character encoding a text is sent in.
type Encoding int

const (
	// GSM7 is the 7-bit default alphabet: 160 characters in one segment, 153 per concatenated segment.
	GSM7 Encoding = iota
	// UCS2 is used when any character is outside GSM-7: 70 UTF-16 units in one segment, 67 per
	// concatenated segment.
	UCS2
)

// String returns "GSM-7" or "UCS-2".
func (e Encoding) String() string {
	if e == UCS2 {
		return "UCS-2"
	}
	return "GSM-7"
}

// Segment sizes. A concatenated segment loses room to the user data header that links the parts.
const (
	gsm7Single  = 160
	gsm7Multi   = 153
	ucs2Single  = 70
	ucs2Multi   = 67
	escapeWidth = 2
)

// basicChars is the GSM 03.38 default alphabet without the escape code itself.
const basicChars = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
	"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"

// extensionChars need the escape code first, so each one takes two septets.
const extensionChars = "\f^{}\\[~]|€"

var (
	basic     = runeSet(basicChars)
	extension = runeSet(extensionChars)
)

func runeSet(s string) map[rune]bool {
	set := make(map[rune]bool, len(s))
	for _, r := range s {
		set[r] = true
	}
	return set
}

// Count is the size of a text on the air.
type Count struct {
	// Segments is how many SMS parts the text is billed as; 0 for an empty text.
	Segments int
	// Encoding is GSM7 unless a character outside GSM-7 forced UCS2.
	Encoding Encoding
	// Units is the length in septets (GSM7, extension characters count 2) or UTF-16 code units (UCS2,
	// characters outside the Basic Multilingual Plane such as emoji count 2).
	Units int
}

// Segments counts the segments, encoding and units of text. A character is never split across two
// segments (an extension character's escape stays with it, a surrogate pair stays whole), so a text
// near a boundary can need one segment more than Units divided by the segment size suggests.
func Segments(text string) Count {
	enc, single, multi := GSM7, gsm7Single, gsm7Multi
	if !IsGSM7(text) {
		enc, single, multi = UCS2, ucs2Single, ucs2Multi
	}
	c := Count{Encoding: enc}
	for _, r := range text {
		c.Units += width(r, enc)
	}
	switch {
	case c.Units == 0:
		c.Segments = 0
	case c.Units <= single:
		c.Segments = 1
	default:
		c.Segments = pack(text, enc, multi)
	}
	return c
}

// pack fills concatenated segments of size units greedily without splitting a character.
func pack(text string, enc Encoding, size int) int {
	segments, used := 1, 0
	for _, r := range text {
		w := width(r, enc)
		if used+w > size {
			segments++
			used = 0
		}
		used += w
	}
	return segments
}

func width(r rune, enc Encoding) int {
	if enc == UCS2 {
		if n := utf16.RuneLen(r); n > 0 {
			return n
		}
		return 1
	}
	if extension[r] {
		return escapeWidth
	}
	return 1
}

// IsGSM7 reports whether every character of text is in the GSM-7 default alphabet or its extension table.
func IsGSM7(text string) bool {
	for _, r := range text {
		if !basic[r] && !extension[r] {
			return false
		}
	}
	return true
}

// NonGSM returns the distinct characters of text that are outside GSM-7, in order of first appearance:
// the ones that force UCS-2, for a warning such as "the curly quote ’ doubles the cost".
func NonGSM(text string) []rune {
	var out []rune
	seen := map[rune]bool{}
	for _, r := range text {
		if basic[r] || extension[r] || seen[r] {
			continue
		}
		seen[r] = true
		out = append(out, r)
	}
	return out
}
