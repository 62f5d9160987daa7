// Package percent is how Chanjo turns a count out of a total into a
// percentage, in one place, so a score reads the same on the phone, in SMS,
// on the console and in the API: 0 when there is nothing to count, and
// whole percents rounded down (a nurse at 79.9 % has not reached 80 %).
// It is a leaf: any package may use it.
package percent

// Of returns n out of total in percent, 0 for a total of 0.
func Of(n, total int) float64 {
	if total == 0 {
		return 0
	}
	return float64(n) * 100 / float64(total)
}

// Whole returns n out of total in whole percent, rounded down, 0 for a
// total of 0.
func Whole(n, total int) int {
	if total == 0 {
		return 0
	}
	return n * 100 / total
}
