package stock

import (
	"math"

	"github.com/chanjo-health/chanjo/lessons/i18n"
)

// InputError reports an input a calculator cannot use: the field, spelt as
// in the JSON API (snake_case), and why, in English and Kiswahili so that a
// USSD menu can ask again.
type InputError struct {
	Field  string
	Reason i18n.Text
}

// Error returns the field and the English reason.
func (e *InputError) Error() string {
	return "stock: " + e.Field + ": " + e.Reason["en"]
}

// MaxQuantity is the largest number of doses (or people) a calculator takes:
// far above any facility or county, low enough to keep every result exact
// and its text on one screen.
const MaxQuantity = 1e7

// checker validates inputs in order and keeps the first failure, so a USSD
// menu re-asks one number at a time.
type checker struct {
	err *InputError
}

func (c *checker) fail(field, en, sw string) {
	if c.err == nil {
		c.err = &InputError{Field: field, Reason: i18n.Text{"en": en, "sw": sw}}
	}
}

// that fails field unless ok.
func (c *checker) that(ok bool, field, en, sw string) {
	if !ok {
		c.fail(field, en, sw)
	}
}

// amount accepts a finite number from 0 to MaxQuantity.
func (c *checker) amount(field string, v float64) {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		c.fail(field, "must be a number", "lazima iwe namba")
	case v < 0:
		c.fail(field, "must not be negative", "isiwe chini ya sifuri")
	case v > MaxQuantity:
		c.fail(field, "must be at most 10,000,000", "isizidi 10,000,000")
	}
}

// count accepts a whole number from 0 to MaxQuantity: doses counted on a
// shelf or a tally sheet are never fractions.
func (c *checker) count(field string, v float64) {
	c.amount(field, v)
	c.that(v == math.Trunc(v), field, "must be a whole number", "lazima iwe namba kamili")
}

// positiveInt accepts a whole number from 1 to max.
func (c *checker) positiveInt(field string, v, max float64) {
	c.count(field, v)
	c.that(v >= 1, field, "must be at least 1", "lazima iwe 1 au zaidi")
	c.that(v <= max, field, "must be at most "+num(max), "isizidi "+num(max))
}

// fraction accepts a fraction from 0 up to, and if inclusive including, 1.
// Its refusals speak in percent, the unit a nurse types a rate in.
func (c *checker) fraction(field string, v float64, inclusive bool) {
	c.amount(field, v)
	if inclusive {
		c.that(v <= 1, field, "must be at most 100%", "isizidi 100%")
		return
	}
	c.that(v < 1, field, "must be below 100%", "lazima iwe chini ya 100%")
}

// Wastage rates: one of ConfirmWastage or more is possible (BCG at a small
// clinic) but rare, so a nurse confirms it and the API warns; above
// MaxWastage (usage under 1%) the wastage factor explodes (0.999999 asks
// for a million doses per dose given), so it is refused as a typing error.
const (
	ConfirmWastage = 0.80
	MaxWastage     = 0.99
)

// wastage accepts a measured wastage rate from 0 to MaxWastage.
func (c *checker) wastage(field string, v float64) {
	c.amount(field, v)
	c.that(v <= MaxWastage, field, "must be at most 99%", "isizidi 99%")
}

// WastageWarning is the warning for a rate of ConfirmWastage or more.
func WastageWarning(rate float64) (i18n.Text, bool) {
	if rate < ConfirmWastage {
		return i18n.Text{}, false
	}
	p := pct(rate)
	return i18n.Text{
		"en": "wastage " + p + " is very high: check the count; usage is only " + pct(1-rate),
		"sw": "upotevu " + p + " ni mkubwa sana: kagua hesabu; matumizi ni " + pct(1-rate) + " tu",
	}, true
}

// result returns the first failure, or nil.
func (c *checker) result() error {
	if c.err == nil {
		return nil
	}
	return c.err
}
