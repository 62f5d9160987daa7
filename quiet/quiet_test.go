package quiet_test

import (
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/quiet"
)

func TestUntil(t *testing.T) {
	nairobi := time.FixedZone("EAT", 3*60*60)
	evening := quiet.Hours{Start: 19 * 60, End: 7 * 60}
	day := func(d, h, m int) time.Time { return time.Date(2025, 3, d, h, m, 0, 0, nairobi) }
	tests := []struct {
		name     string
		q        quiet.Hours
		t        time.Time
		want     time.Time
		wantHeld bool
	}{
		{"before midnight", evening, day(10, 23, 21), day(11, 7, 0), true},
		{"after midnight", evening, day(11, 3, 0), day(11, 7, 0), true},
		{"at the start", evening, day(10, 19, 0), day(11, 7, 0), true},
		{"at the end", evening, day(11, 7, 0), day(11, 7, 0), false},
		{"daytime", evening, day(10, 12, 0), day(10, 12, 0), false},
		{"no quiet hours", quiet.Hours{}, day(10, 23, 0), day(10, 23, 0), false},
		{"a window inside a day", quiet.Hours{Start: 13 * 60, End: 14 * 60}, day(10, 13, 30), day(10, 14, 0), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, held := tt.q.Until(tt.t)
			if !got.Equal(tt.want) || held != tt.wantHeld {
				t.Errorf("Until(%v) = %v, %v; want %v, %v", tt.t, got, held, tt.want, tt.wantHeld)
			}
		})
	}
}
