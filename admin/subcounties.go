package admin

import (
	"errors"
	"fmt"
	"strings"
)

// ErrUnknownSubCounty is a sub-county the roster does not know.
var ErrUnknownSubCounty = errors.New("not a sub-county of the roster")

// PickSubCounties returns each sub-county asked for, once, when the roster
// (known) spells it so (spaces around it aside). Any other is refused,
// naming the closest the roster has, found without regard to case: "kibra"
// is refused with "Kibra?" (issue 16), since a supervisor given a
// sub-county no row carries would see no nurse and nothing would say why,
// and an operator who sees the roster's spelling once types it from then on.
func PickSubCounties(known, asked []string) ([]string, error) {
	byName := make(map[string]string, len(known))
	for _, k := range known {
		byName[strings.TrimSpace(k)] = k
	}
	var out []string
	seen := map[string]bool{}
	for _, a := range asked {
		k, ok := byName[strings.TrimSpace(a)]
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
