package lessons_test

import (
	"fmt"
	"testing"

	"github.com/chanjo-health/chanjo/lessons"
)

// BenchmarkSay measures the catalogue on the hop: a word without
// parameters, and an SMS with four, against the fmt.Sprintf of a Go string
// that it replaced (docs/performance.md).
func BenchmarkSay(b *testing.B) {
	p, err := lessons.Default()
	if err != nil {
		b.Fatal(err)
	}
	b.Run("word", func(b *testing.B) {
		for b.Loop() {
			_ = p.Say("sw", "nav.back")
		}
	})
	b.Run("four parameters", func(b *testing.B) {
		for b.Loop() {
			_ = p.Say("sw", "sms.visit.moved", "other", "Wanjiku Kamau", "date", "07/03/2025", "time", "09:00", "old_date", "05/03/2025")
		}
	})
	b.Run("Sprintf baseline", func(b *testing.B) {
		const sw = "Chanjo: ziara yako ya ushauri na %[1]s ya tarehe %[4]s imehamishwa hadi tarehe %[2]s saa %[3]s."
		for b.Loop() {
			_ = fmt.Sprintf(sw, "Wanjiku Kamau", "07/03/2025", "09:00", "05/03/2025")
		}
	})
}
