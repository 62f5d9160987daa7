package admin

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
)

// audit is /admin/audit, for administrators: the newest changes.
func (h *Console) audit(c *gin.Context) {
	rows, err := h.db.AuditLog(c.Request.Context(), 200)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, http.StatusOK, "audit", rows)
}

// auditCSV is /admin/audit.csv: the audit page as a table.
func (h *Console) auditCSV(c *gin.Context) {
	rows, err := h.db.AuditLog(c.Request.Context(), auditExport)
	if err != nil {
		h.fail(c, err)
		return
	}
	w := startCSV(c, "audit.csv")
	w.Write([]string{"id", "at", "user", "action", "subject", "detail"})
	for _, a := range rows {
		w.Write([]string{strconv.FormatInt(a.ID, 10), a.CreatedAt.UTC().Format(csvTimeLayout), cell(a.UserName),
			a.Action, cell(a.Subject), cell(a.Detail)})
	}
	h.endCSV(w, "audit.csv")
}

// auditExport bounds the audit CSV: the page shows the newest 200 changes.
const auditExport = 100000
