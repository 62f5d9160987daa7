// Package stock holds the vaccine stock calculators: pure functions with the
// standard EPI formulas of docs/domain.md, sections 1 and 2.
//
// All quantities are doses; a month counts 30 days. Figures keep full
// precision through a chain and only the final need or order quantity is
// rounded up (the one exception, consumption adjusted for stock-out days, is
// rounded up where it is computed, as OpenLMIS does). Rates are fractions in
// Go and shown as percentages with one decimal. A ratio whose denominator is
// zero is N/A (see Ratio), never a division by zero.
//
// Every calculator returns a result with its figures, a Status and the
// Formula it used, both in English and Kiswahili and short enough for a USSD
// screen; invalid input gives an *InputError naming the field (in the
// snake_case spelling of the JSON API) and the reason.
package stock
