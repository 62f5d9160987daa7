// Package screentest checks a rendered USSD screen against the budget of
// package screen, for the tests of the renderer and the menus (production code
// never checks a whole screen: the renderer builds screens that fit).
package screentest

import (
	"fmt"

	"github.com/chanjo-health/chanjo/lessons/screen"
)

// Check returns an error naming the first problem with body: a character
// outside the set, or a length over screen.MaxLen.
func Check(body string) error {
	for i, r := range body {
		if !screen.Allowed(r) {
			return fmt.Errorf("character %q at position %d is not allowed on a USSD screen", r, i+1)
		}
	}
	if n := len(body); n > screen.MaxLen {
		return fmt.Errorf("screen is %d characters, over the limit of %d", n, screen.MaxLen)
	}
	return nil
}
