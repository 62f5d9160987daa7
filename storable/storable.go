// Package storable makes text from outside (the gateway's callbacks) safe to
// store on both databases: PostgreSQL refuses a NUL byte or invalid UTF-8 in
// a text column (SQLSTATE 22021) and SQLite cuts a text at its first NUL.
// Rather than drop what a phone sent, the offending bytes are kept, written
// as escapes, so the original can still be read from the stored text.
package storable

import (
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"
)

// Text returns s with every NUL byte and every byte that is not part of valid
// UTF-8 written as \xNN (lower-case hex). Any other text is returned as it
// is, without a copy.
func Text(s string) string {
	if utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == 0 || (r == utf8.RuneError && size == 1) {
			fmt.Fprintf(&b, `\x%02x`, s[i])
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// Form cleans every key and value of v in place (see Text).
func Form(v url.Values) {
	for k, vs := range v {
		for i := range vs {
			vs[i] = Text(vs[i])
		}
		if ck := Text(k); ck != k {
			delete(v, k)
			v[ck] = append(v[ck], vs...)
		}
	}
}
