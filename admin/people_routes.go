package admin

import "github.com/gin-gonic/gin"

// registerPeople adds the console's pages of groups, mentor pairs, visits
// and the roster import to g, the session group.
func (h *Console) registerPeople(g *gin.RouterGroup) {
	g.GET("/groups", h.groups)
	g.GET("/groups.csv", h.groupsCSV)
	g.POST("/groups", h.createGroup)
	g.GET("/groups/:id", h.group)
	g.POST("/groups/:id/members", h.addMember)
	g.POST("/groups/:id/members/:worker/remove", h.removeMember)
	g.GET("/pairs.csv", h.pairsCSV)
	g.POST("/pairs", h.pair)
	g.POST("/pairs/remove", h.unpair)
	g.GET("/visits", h.visits)
	g.GET("/visits.csv", h.visitsCSV)
	g.POST("/visits", h.scheduleVisit)
	g.GET("/visits/:id", h.visit)
	g.POST("/visits/:id/reschedule", h.rescheduleVisit)
	g.POST("/visits/:id/cancel", h.cancelVisit)
	g.POST("/nurses/:id/facility", h.setFacility)
	g.GET("/nurses/import", h.importForm)
	h.postUpload(g, "/nurses/import", h.importRoster)
	h.registerPerson(g)
}

// registerPeople adds the API's groups and visits to r.
func (a *API) registerPeople(r gin.IRouter) {
	r.GET("/groups", a.groups)
	r.GET("/groups/:id", a.group)
	r.GET("/visits", a.visits)
	r.POST("/visits", a.createVisit)
	r.GET("/visits/:id", a.visit)
	r.PATCH("/visits/:id", a.patchVisit)
}
