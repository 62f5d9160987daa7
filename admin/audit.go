package admin

import (
	"net/http"

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
