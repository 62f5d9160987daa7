package admin

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/store"
)

// adminsWorker loads the worker of the path for an administrator. The
// scope comes first, so a worker outside it is a 404 as on every object
// route; a supervisor who sees her gets 403.
func (h *Console) adminsWorker(c *gin.Context) (store.WorkerRow, bool) {
	w, ok := h.workerParam(c)
	if !ok {
		return w, false
	}
	if userOf(c).Role != store.RoleAdmin {
		h.errorPage(c, http.StatusForbidden, "Only an administrator may do this.")
		return w, false
	}
	return w, true
}

// exportPerson downloads everything Chanjo holds about the worker: one JSON
// document, or a zip of one CSV file per table. The store audits it.
func (h *Console) exportPerson(c *gin.Context) {
	w, ok := h.adminsWorker(c)
	if !ok {
		return
	}
	data, err := h.db.ExportPerson(c.Request.Context(), userOf(c).ID, w.Phone)
	if err != nil {
		h.fail(c, err)
		return
	}
	name := fmt.Sprintf("worker-%d", w.ID)
	write, ctype := data.WriteJSON, "application/json"
	if c.FullPath() == "/admin/nurses/:id/export.zip" {
		write, ctype, name = data.WriteCSVZip, "application/zip", name+".zip"
	} else {
		name += ".json"
	}
	c.Header("Content-Type", ctype)
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Header("Cache-Control", "no-store")
	c.Status(http.StatusOK)
	if err := write(c.Writer); err != nil {
		h.log.Error("export person", "worker", w.ID, "err", err)
	}
}

// erasePerson erases the worker's name and number everywhere, keeping her
// anonymous counts, once the form's confirmation box is ticked.
func (h *Console) erasePerson(c *gin.Context) {
	w, ok := h.adminsWorker(c)
	if !ok {
		return
	}
	next := fmt.Sprintf("/admin/nurses/%d", w.ID)
	if c.PostForm("confirm") != "1" {
		h.redirect(c, next, "Nothing erased: tick the box to confirm the erasure.")
		return
	}
	anon, err := h.db.ErasePerson(c.Request.Context(), userOf(c).ID, w.Phone)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.redirect(c, next, "Erased: her name and number are now "+anon+" everywhere; her anonymous counts stay.")
}
