package lessons

import (
	"hash/fnv"
	"math/rand/v2"

	"github.com/chanjo-health/chanjo/percent"
)

// PassPercent is the quiz score, in percent, that completes a topic once
// all its lessons are done.
const PassPercent = 80

// Shuffle returns the order in which q's options are shown in one attempt:
// order[i] is the index in q.Options of the option numbered i+1. The same
// seed and question always give the same order, so a nurse who redials
// mid-quiz sees the same numbers, while each question of an attempt is
// shuffled differently. The shuffle is written out (not rand.Shuffle) so that
// it stays the same across Go releases.
func Shuffle(q Question, seed uint64) []int {
	h := fnv.New64a()
	h.Write([]byte(q.ID))
	rng := rand.NewPCG(seed, h.Sum64())
	order := make([]int, len(q.Options))
	for i := range order {
		order[i] = i
	}
	for i := len(order) - 1; i > 0; i-- {
		j := int(rng.Uint64() % uint64(i+1)) // bias is negligible for 4 options
		order[i], order[j] = order[j], order[i]
	}
	return order
}

// Pick returns the index in q.Options of the option a nurse chose by typing
// input on a question screen numbered by order, and false for anything but
// one of the numbers on screen.
func Pick(order []int, input string) (int, bool) {
	if len(input) != 1 || input[0] < '1' || int(input[0]-'0') > len(order) {
		return -1, false
	}
	return order[input[0]-'1'], true
}

// Result is a quiz score: right answers out of questions asked.
type Result struct {
	Right, Total int
}

// Percent returns the score in percent, 0 for no questions.
func (r Result) Percent() float64 { return percent.Of(r.Right, r.Total) }

// Passed reports whether the score reaches PassPercent. Integers keep
// exactly 80 % a pass.
func (r Result) Passed() bool {
	return r.Total > 0 && r.Right*100 >= PassPercent*r.Total
}

// Add returns the sum of two results, such as two attempts on one topic.
func (r Result) Add(o Result) Result {
	return Result{Right: r.Right + o.Right, Total: r.Total + o.Total}
}

// less reports whether r is a lower score than o; no questions count as 0 %.
func (r Result) less(o Result) bool {
	return r.Right*max(o.Total, 1) < o.Right*max(r.Total, 1)
}

// Score scores a quiz: chosen[i] is the index in qs[i].Options of the option
// picked for question i, or -1 when it was not answered. Every question
// counts, answered or not.
func Score(qs []Question, chosen []int) Result {
	r := Result{Total: len(qs)}
	for i, q := range qs {
		if i < len(chosen) && chosen[i] >= 0 && chosen[i] == q.Answer() {
			r.Right++
		}
	}
	return r
}
