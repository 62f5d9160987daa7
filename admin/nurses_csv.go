package admin

import (
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/store"
)

// nursesCSV is /admin/nurses.csv: the nurses page's filter, every row.
func (h *Console) nursesCSV(c *gin.Context) {
	f := workerFilter(c)
	f.Limit, f.Offset = store.AllWorkers, 0
	rows, _, err := h.db.Workers(c.Request.Context(), scopeOf(c), f)
	if err != nil {
		h.fail(c, err)
		return
	}
	w := startCSV(c, "nurses.csv")
	w.Write([]string{"id", "name", "phone", "role", "language", "status", "opted_out", "facility_code", "facility_name", "sub_county", "last_dial_at", "created_at"})
	for _, r := range rows {
		last := ""
		if r.LastDialAt.Valid {
			last = r.LastDialAt.Time.UTC().Format(csvTimeLayout)
		}
		w.Write([]string{strconv.FormatInt(r.ID, 10), cell(r.Name), r.Phone, r.Role, r.Language, r.Status, strconv.FormatBool(r.OptedOut),
			cell(r.FacilityCode), cell(r.FacilityName), cell(r.SubCounty), last, r.CreatedAt.UTC().Format(csvTimeLayout)})
	}
	h.endCSV(w, "nurses.csv")
}
