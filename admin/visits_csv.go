package admin

import (
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/store"
)

// visitsCSV is /admin/visits.csv: the visits page's calendar and its visits
// done recently, one row each.
func (h *Console) visitsCSV(c *gin.Context) {
	sched, done, err := h.visitLists(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	w := startCSV(c, "visits.csv")
	w.Write([]string{"id", "scheduled_at", "status", "done_at", "mentor_id", "mentor", "mentee_id", "mentee", "facility_name", "sub_county"})
	for _, v := range append(sched, done...) {
		w.Write(visitRecord(v))
	}
	h.endCSV(w, "visits.csv")
}

func visitRecord(v store.VisitRow) []string {
	done := ""
	if v.DoneAt.Valid {
		done = v.DoneAt.Time.UTC().Format(csvTimeLayout)
	}
	return []string{strconv.FormatInt(v.ID, 10), v.At.UTC().Format(csvTimeLayout), v.Status, done,
		strconv.FormatInt(v.MentorID, 10), cell(v.MentorName), strconv.FormatInt(v.MenteeID, 10), cell(v.MenteeName),
		cell(v.FacilityName), cell(v.SubCounty)}
}
