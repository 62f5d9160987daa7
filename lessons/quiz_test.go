package lessons_test

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/lessons"
)

func fourOptions(id string) lessons.Question {
	q := lessons.Question{ID: id}
	for i := range 4 {
		q.Options = append(q.Options, lessons.Option{Correct: i == 0})
	}
	return q
}

func TestShuffleIsASeededPermutation(t *testing.T) {
	q := fourOptions("stk-q1")
	orders := map[string]bool{}
	for seed := range uint64(50) {
		order := lessons.Shuffle(q, seed)
		if again := lessons.Shuffle(q, seed); !slices.Equal(order, again) {
			t.Fatalf("Shuffle(q, %d) = %v, then %v: want the same order for the same seed", seed, order, again)
		}
		if sorted := slices.Sorted(slices.Values(order)); !slices.Equal(sorted, []int{0, 1, 2, 3}) {
			t.Fatalf("Shuffle(q, %d) = %v, want a permutation of 0..3", seed, order)
		}
		orders[string(rune('0'+order[0]))+string(rune('0'+order[1]))+string(rune('0'+order[2]))] = true
	}
	if len(orders) < 12 {
		t.Errorf("Shuffle over 50 seeds gave %d distinct orders, want at least 12 of the 24", len(orders))
	}
}

func TestShuffleDiffersBetweenQuestions(t *testing.T) {
	same := 0
	for seed := range uint64(50) {
		if slices.Equal(lessons.Shuffle(fourOptions("stk-q1"), seed), lessons.Shuffle(fourOptions("stk-q2"), seed)) {
			same++
		}
	}
	if same > 10 {
		t.Errorf("Shuffle gave two questions the same order for %d of 50 seeds, want them independent", same)
	}
}

func TestPick(t *testing.T) {
	order := []int{2, 0, 1}
	cases := []struct {
		input string
		want  int
		ok    bool
	}{
		{"1", 2, true},
		{"3", 1, true},
		{"4", -1, false},
		{"0", -1, false},
		{"", -1, false},
		{"12", -1, false},
		{"a", -1, false},
	}
	for _, c := range cases {
		got, ok := lessons.Pick(order, c.input)
		if got != c.want || ok != c.ok {
			t.Errorf("Pick(%v, %q) = %d, %v, want %d, %v", order, c.input, got, ok, c.want, c.ok)
		}
	}
}

func TestScore(t *testing.T) {
	qs := []lessons.Question{fourOptions("a"), fourOptions("b"), fourOptions("c")}
	cases := []struct {
		chosen []int
		want   lessons.Result
	}{
		{[]int{0, 0, 0}, lessons.Result{Right: 3, Total: 3}},
		{[]int{0, 1, 0}, lessons.Result{Right: 2, Total: 3}},
		{[]int{0, -1}, lessons.Result{Right: 1, Total: 3}}, // unanswered counts as wrong
		{nil, lessons.Result{Right: 0, Total: 3}},
	}
	for _, c := range cases {
		if diff := cmp.Diff(c.want, lessons.Score(qs, c.chosen)); diff != "" {
			t.Errorf("Score(qs, %v) mismatch (-want +got):\n%s", c.chosen, diff)
		}
	}
}

func TestResult(t *testing.T) {
	cases := []struct {
		r       lessons.Result
		percent float64
		passed  bool
	}{
		{lessons.Result{Right: 8, Total: 10}, 80, true},
		{lessons.Result{Right: 7, Total: 10}, 70, false},
		{lessons.Result{Right: 4, Total: 5}, 80, true},
		{lessons.Result{Right: 9, Total: 12}, 75, false},
		{lessons.Result{Right: 12, Total: 12}, 100, true},
		{lessons.Result{}, 0, false},
	}
	for _, c := range cases {
		if got := c.r.Percent(); got != c.percent {
			t.Errorf("%v.Percent() = %v, want %v", c.r, got, c.percent)
		}
		if got := c.r.Passed(); got != c.passed {
			t.Errorf("%v.Passed() = %v, want %v", c.r, got, c.passed)
		}
	}
	if got, want := (lessons.Result{Right: 1, Total: 2}).Add(lessons.Result{Right: 3, Total: 4}), (lessons.Result{Right: 4, Total: 6}); got != want {
		t.Errorf("Result.Add = %v, want %v", got, want)
	}
}
