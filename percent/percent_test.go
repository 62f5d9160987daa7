package percent

import "testing"

func TestOfAndWhole(t *testing.T) {
	tests := []struct {
		n, total int
		of       float64
		whole    int
	}{
		{0, 0, 0, 0},
		{3, 4, 75, 75},
		{799, 1000, 79.9, 79}, // not yet 80: rounded down
		{2, 3, 200.0 / 3, 66},
		{5, 5, 100, 100},
	}
	for _, tt := range tests {
		if got := Of(tt.n, tt.total); got != tt.of {
			t.Errorf("Of(%d, %d) = %v, want %v", tt.n, tt.total, got, tt.of)
		}
		if got := Whole(tt.n, tt.total); got != tt.whole {
			t.Errorf("Whole(%d, %d) = %d, want %d", tt.n, tt.total, got, tt.whole)
		}
	}
}
