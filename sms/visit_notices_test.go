package sms_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// Scheduling, moving and cancelling a visit each queue one SMS to the
// mentee (Kiswahili) and one to the mentor (English), with the date and
// time; a repeated request sends nothing more.
func TestVisitChangesAreNoticed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newRemWorld(t, db)
		ctx := context.Background()
		v := w.visit(t, mar(7, 14, 30))
		steps := []struct {
			name string
			do   func() error
			want []string
		}{
			{"scheduled", func() error { return nil }, []string{
				"mentor nudge: Chanjo: your mentorship visit with Amina is on 07/03/2025 at 14:30.",
				"mentee nudge: Chanjo: ziara yako ya ushauri na Grace ni tarehe 07/03/2025 saa 14:30.",
			}},
			{"moved", func() error {
				_, err := w.m.RescheduleVisit(ctx, v.ID, mar(10, 9, 0))
				return err
			}, []string{
				"mentor nudge: Chanjo: your mentorship visit with Amina on 07/03/2025 has moved to 10/03/2025 at 09:00.",
				"mentee nudge: Chanjo: ziara yako ya ushauri na Grace ya tarehe 07/03/2025 imehamishwa hadi tarehe 10/03/2025 saa 09:00.",
			}},
			{"moved again to the same time", func() error {
				_, err := w.m.RescheduleVisit(ctx, v.ID, mar(10, 9, 0))
				return err
			}, nil},
			{"moved back", func() error {
				w.clock.Set(mar(3, 11, 0))
				_, err := w.m.RescheduleVisit(ctx, v.ID, mar(7, 14, 30))
				return err
			}, []string{
				"mentor nudge: Chanjo: your mentorship visit with Amina on 10/03/2025 has moved to 07/03/2025 at 14:30.",
				"mentee nudge: Chanjo: ziara yako ya ushauri na Grace ya tarehe 10/03/2025 imehamishwa hadi tarehe 07/03/2025 saa 14:30.",
			}},
			{"moved there again", func() error {
				w.clock.Set(mar(3, 12, 0))
				_, err := w.m.RescheduleVisit(ctx, v.ID, mar(10, 9, 0))
				return err
			}, []string{
				"mentor nudge: Chanjo: your mentorship visit with Amina on 07/03/2025 has moved to 10/03/2025 at 09:00.",
				"mentee nudge: Chanjo: ziara yako ya ushauri na Grace ya tarehe 07/03/2025 imehamishwa hadi tarehe 10/03/2025 saa 09:00.",
			}},
			{"cancelled", func() error { return w.m.CancelVisit(ctx, v.ID) }, []string{
				"mentor nudge: Chanjo: your mentorship visit with Amina on 10/03/2025 at 09:00 is cancelled.",
				"mentee nudge: Chanjo: ziara yako ya ushauri na Grace tarehe 10/03/2025 saa 09:00 imeghairiwa.",
			}},
			{"cancelled again", func() error { return w.m.CancelVisit(ctx, v.ID) }, nil},
		}
		seen := 0
		for _, s := range steps {
			if err := s.do(); err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
			all := w.notices(t)
			got := all[seen:]
			seen = len(all)
			if len(got) == 0 {
				got = nil
			}
			if diff := cmp.Diff(s.want, got); diff != "" {
				t.Errorf("notices after %s (-want +got):\n%s", s.name, diff)
			}
		}
	})
}
