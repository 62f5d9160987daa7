package admin

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/store"
)

// auditData is the audit page's data.
type auditData struct {
	Held []store.HeldLogin // accounts whose logins wait now
	Rows []store.AuditEntry
}

// audit is /admin/audit, for administrators: the accounts whose logins
// wait, each with an unlock button, and the newest changes.
func (h *Console) audit(c *gin.Context) {
	ctx := c.Request.Context()
	held, err := h.db.HeldLogins(ctx, 100)
	if err != nil {
		h.fail(c, err)
		return
	}
	rows, err := h.db.AuditLog(ctx, 200)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, http.StatusOK, "audit", auditData{Held: held, Rows: rows})
}

// unlock is POST /admin/unlock, for administrators: lifts every login
// throttle of the account in the form, audited with who and from where.
func (h *Console) unlock(c *gin.Context) {
	account := AccountKey(c.PostForm("name"))
	if account == "" {
		h.errorPage(c, http.StatusBadRequest, "Which account? The name is missing.")
		return
	}
	if _, err := h.db.UnlockLogin(c.Request.Context(), userOf(c).ID, account, c.ClientIP()); err != nil {
		h.fail(c, err)
		return
	}
	h.redirect(c, "/admin/audit", account+" can log in again now.")
}

// auditCSV is /admin/audit.csv: the audit page as a table.
func (h *Console) auditCSV(c *gin.Context) {
	rows, err := h.db.AuditLog(c.Request.Context(), auditExport)
	if err != nil {
		h.fail(c, err)
		return
	}
	w := startCSV(c, "audit.csv")
	w.Write([]string{"id", "at", "user", "action", "subject", "detail", "source"})
	for _, a := range rows {
		w.Write([]string{strconv.FormatInt(a.ID, 10), a.CreatedAt.UTC().Format(csvTimeLayout), cell(a.UserName),
			a.Action, cell(a.Subject), cell(a.Detail), cell(a.Source)})
	}
	h.endCSV(w, "audit.csv")
}

// auditExport bounds the audit CSV: the page shows the newest 200 changes.
const auditExport = 100000
