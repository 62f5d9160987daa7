package admin

import (
	"encoding/csv"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"chanjo/store"
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
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", `attachment; filename="nurses.csv"`)
	c.Header("Cache-Control", "no-store")
	w := csv.NewWriter(c.Writer)
	w.Write([]string{"id", "name", "phone", "role", "language", "status", "opted_out", "facility_code", "facility_name", "sub_county", "last_dial_at", "created_at"})
	for _, r := range rows {
		last := ""
		if r.LastDialAt.Valid {
			last = r.LastDialAt.Time.UTC().Format("2006-01-02T15:04:05Z")
		}
		w.Write([]string{strconv.FormatInt(r.ID, 10), cell(r.Name), r.Phone, r.Role, r.Language, r.Status, strconv.FormatBool(r.OptedOut),
			cell(r.FacilityCode), cell(r.FacilityName), cell(r.SubCounty), last, r.CreatedAt.UTC().Format("2006-01-02T15:04:05Z")})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		h.log.Warn("write nurses.csv", "err", err)
	}
}

// cell keeps a spreadsheet from reading typed text (a name, a facility) as
// a formula.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
