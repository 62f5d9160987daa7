package gsm

import "strings"

// Fit returns compose(body, false) if it fits in segments SMS segments,
// else compose(cut body, true) with body cut after as many words as fit,
// marked with "...". A relayed question or answer is cut this way.
func Fit(body string, segments int, compose func(body string, cut bool) string) string {
	return FitFunc(body, func(s string) bool { return Segments(s).Segments <= segments }, compose)
}

// FitFunc is Fit with the room given by fits, which reports whether a
// composed text fits: a channel other than SMS has its own limit (a
// WhatsApp text's characters).
func FitFunc(body string, fits func(string) bool, compose func(body string, cut bool) string) string {
	if s := compose(body, false); fits(s) {
		return s
	}
	words := strings.Fields(body)
	for n := len(words) - 1; n > 0; n-- {
		if s := compose(strings.Join(words[:n], " ")+"...", true); fits(s) {
			return s
		}
	}
	return compose("...", true)
}

// Shorten keeps the words of s that fit in n bytes (at least the first,
// cut to n): a name in an SMS that must stay short.
func Shorten(s string, n int) string {
	words := strings.Fields(s)
	if len(words) == 0 {
		return ""
	}
	out := words[0]
	if len(out) > n {
		return out[:n]
	}
	for _, w := range words[1:] {
		if len(out)+1+len(w) > n {
			break
		}
		out += " " + w
	}
	return out
}
