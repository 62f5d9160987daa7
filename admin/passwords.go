package admin

import (
	_ "embed"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
)

// Password rules of the console accounts (README "The console").
const (
	// MinPasswordLen is the fewest characters a console password may have.
	MinPasswordLen = 10
	// MaxPasswordBytes is bcrypt's limit: it ignores (and x/crypto refuses)
	// anything longer.
	MaxPasswordBytes = 72
)

// Why a password is refused; each message is shown as it is.
var (
	ErrShortPassword    = fmt.Errorf("the password must have at least %d characters", MinPasswordLen)
	ErrLongPassword     = fmt.Errorf("the password must have at most %d bytes (bcrypt's limit): %d plain letters or digits, fewer with accents or other alphabets", MaxPasswordBytes, MaxPasswordBytes)
	ErrRepeatedPassword = errors.New("the password must not be one character repeated")
	ErrCommonPassword   = errors.New("the password is one of the most common ones, which guessers try first; choose another")
)

//go:embed common_passwords.txt
var commonPasswordList string

// commonPasswords holds the embedded list, in lower case.
var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(commonPasswordList, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			m[strings.ToLower(line)] = true
		}
	}
	return m
}()

// CheckPassword applies the password rules, returning one of the Err…Password errors.
func CheckPassword(pw string) error {
	switch {
	case len(pw) > MaxPasswordBytes:
		return ErrLongPassword
	case utf8.RuneCountInString(pw) < MinPasswordLen:
		return ErrShortPassword
	case strings.TrimSpace(pw) == "" || repeated(pw):
		return ErrRepeatedPassword
	case commonPasswords[strings.ToLower(pw)]:
		return ErrCommonPassword
	}
	return nil
}

// repeated reports whether pw is one character, many times.
func repeated(pw string) bool {
	r, _ := utf8.DecodeRuneInString(pw)
	return strings.Trim(pw, string(r)) == ""
}

// HashPassword checks a new console password against the rules and returns
// its bcrypt hash.
func HashPassword(pw string) (string, error) {
	if err := CheckPassword(pw); err != nil {
		return "", err
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), PasswordCost)
	if err != nil {
		return "", fmt.Errorf("admin: hash password: %w", err)
	}
	return string(h), nil
}
