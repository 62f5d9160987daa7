// Package phone normalises Kenyan phone numbers and masks them for logs.
// It is a leaf package: the USSD, SMS and console sides share it.
package phone

import (
	"errors"
	"strings"
)

// ErrInvalid is returned for a string that is not a Kenyan mobile number in
// any common form.
var ErrInvalid = errors.New("not a Kenyan phone number (use 07..., 01..., 2547... or +2547...)")

// Normalize returns s as +254XXXXXXXXX. It accepts the common written forms:
// 0712345678, 712345678, 254712345678, +254 712 345 678, with spaces, dashes
// or dots. It checks the shape only; the gateway is the judge of whether the
// number exists, so new prefixes are never refused here.
func Normalize(s string) (string, error) {
	if normal(s) {
		return s, nil // the gateway's own form, on every hop
	}
	var b strings.Builder
	for i, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')':
		default:
			return "", ErrInvalid
		}
	}
	d := b.String()
	switch {
	case len(d) == 12 && strings.HasPrefix(d, "254"):
		d = d[3:]
	case len(d) == 10 && d[0] == '0':
		d = d[1:]
	}
	if len(d) != 9 || (d[0] != '7' && d[0] != '1') {
		return "", ErrInvalid
	}
	return "+254" + d, nil
}

// normal reports whether s is already +254 and nine digits starting 7 or 1.
func normal(s string) bool {
	if len(s) != 13 || s[:4] != "+254" || (s[4] != '7' && s[4] != '1') {
		return false
	}
	for i := 5; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// LogKey is the one key a phone number goes under: in every log line (its
// value always passed through Mask), and in the gin context, where an HTTP
// handler leaves the raw number of a request for the request log to mask.
const LogKey = "phone"

// Mask hides the middle of a number for logs: +254712345678 → +2547******78.
// Anything that is not a phone number is masked whole but for its length.
func Mask(s string) string {
	if len(s) < 8 {
		return strings.Repeat("*", len(s))
	}
	return s[:5] + strings.Repeat("*", len(s)-7) + s[len(s)-2:]
}
