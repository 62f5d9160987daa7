package peer

import (
	"strings"
	"testing"

	"github.com/chanjo-health/chanjo/gsm"
	"github.com/chanjo-health/chanjo/lessons"
)

// TestDigestKeepsEveryCopy: copies fold in order into SMS of at most
// DigestSegments parts; a copy too long to share one goes alone, as it is,
// and no copy is lost or repeated.
func TestDigestKeepsEveryCopy(t *testing.T) {
	p, err := lessons.Default()
	if err != nil {
		t.Fatal(err)
	}
	long := "Otieno #3: " + strings.Repeat("cold chain ", 45)
	bodies := []string{"Amina #1: BCG out", "Amina #2: thanks", long, "Otieno #4: ok", "Amina #5: see you"}
	folds := Digest(p, "en", bodies)
	want := []Fold{
		{Text: "2 group messages: Amina #1: BCG out; Amina #2: thanks", Copies: 2},
		{Text: long, Copies: 1},
		{Text: "2 group messages: Otieno #4: ok; Amina #5: see you", Copies: 2},
	}
	if len(folds) != len(want) {
		t.Fatalf("Digest = %+v, want %+v", folds, want)
	}
	for i := range want {
		if folds[i] != want[i] {
			t.Errorf("fold %d = %+v, want %+v", i, folds[i], want[i])
		}
		if i != 1 && gsm.Segments(folds[i].Text).Segments > DigestSegments {
			t.Errorf("fold %d takes %d parts, want at most %d", i, gsm.Segments(folds[i].Text).Segments, DigestSegments)
		}
	}
}
