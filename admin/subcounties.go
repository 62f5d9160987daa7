package admin

import (
	"errors"
	"fmt"
	"strings"
)

// ErrUnknownSubCounty is a sub-county the roster does not know.
var ErrUnknownSubCounty = errors.New("not a sub-county of the roster")

// PickSubCounties returns the roster's spelling of each sub-county asked
// for, matched without regard to case, so that a supervisor given "kibra"
// sees the nurses of "Kibra". A sub-county the roster (known) lacks is
// refused, naming the closest one it has: a supervisor given an unknown
// sub-county would see no nurse, and nothing would tell anyone why.
func PickSubCounties(known, asked []string) ([]string, error) {
	byKey := make(map[string]string, len(known))
	for _, k := range known {
		byKey[strings.ToLower(strings.TrimSpace(k))] = k
	}
	var out []string
	seen := map[string]bool{}
	for _, a := range asked {
		k, ok := byKey[strings.ToLower(strings.TrimSpace(a))]
		if !ok {
			return nil, unknownSubCounty(a, known)
		}
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out, nil
}

func unknownSubCounty(asked string, known []string) error {
	if len(known) == 0 {
		return fmt.Errorf("%q: %w (it has none yet: import the roster first)", asked, ErrUnknownSubCounty)
	}
	best, bestDist := "", -1
	for _, k := range known {
		if d := editDistance(strings.ToLower(asked), strings.ToLower(k)); bestDist < 0 || d < bestDist {
			best, bestDist = k, d
		}
	}
	return fmt.Errorf("%q: %w; %s?", asked, ErrUnknownSubCounty, best)
}

// editDistance is the Levenshtein distance of a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
