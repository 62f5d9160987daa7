package admin

import (
	"strings"

	"github.com/gin-gonic/gin"
)

// Register adds the console's routes to r: /admin/login and /admin/static
// for everyone, every other page behind a session. Every console route is
// here.
func (h *Console) Register(r gin.IRouter) {
	pub, g := h.routeGroups(r)
	pub.GET("/static/*file", h.serveStatic)
	pub.GET("/login", h.loginForm)
	pub.POST("/login", h.login)
	g.POST("/logout", h.logout)
	g.GET("", h.dashboard)
	g.GET("/dashboard.csv", h.dashboardCSV)

	g.GET("/nurses", h.nurses)
	g.GET("/nurses.csv", h.nursesCSV)
	g.GET("/nurses/import", h.importForm)
	h.postUpload(g, "/nurses/import", h.importRoster)
	g.GET("/nurses/:id", h.nurse)
	g.POST("/nurses/:id", h.editNurse)
	g.POST("/nurses/:id/approve", h.approveNurse)
	g.POST("/nurses/:id/reject", h.rejectNurse)
	// An administrator's export and erasure of one health worker's data.
	g.GET("/nurses/:id/export.json", h.exportPerson)
	g.GET("/nurses/:id/export.zip", h.exportPerson)
	g.POST("/nurses/:id/erase", h.erasePerson)

	g.GET("/broadcasts", h.broadcasts)
	g.GET("/broadcasts.csv", h.broadcastsCSV)
	g.GET("/broadcasts/new", h.newBroadcastForm)
	g.POST("/broadcasts/new", h.composeBroadcast)
	g.GET("/broadcasts/:id", h.broadcast)
	g.POST("/broadcasts/:id/cancel", h.cancelBroadcast)
	g.POST("/broadcasts/:id/resend", h.resendBroadcast)

	g.GET("/groups", h.groups)
	g.GET("/groups.csv", h.groupsCSV)
	g.POST("/groups", h.createGroup)
	g.GET("/groups/:id", h.group)
	g.POST("/groups/:id/members", h.addMember)
	g.POST("/groups/:id/members/:worker/remove", h.removeMember)
	g.POST("/groups/:id/members/:worker/mute", h.muteMember)
	g.POST("/groups/:id/messages/:msg/withdraw", h.withdrawMessage)
	g.POST("/groups/:id/relay", h.setRelay)
	g.GET("/pairs.csv", h.pairsCSV)
	g.POST("/pairs", h.pair)
	g.POST("/pairs/remove", h.unpair)
	g.GET("/circles/:mentor", h.circle)
	g.POST("/circles/:mentor/group", h.createCircleGroup)
	g.POST("/circles/:mentor/posts/:post/repost", h.repostCirclePost)
	g.POST("/circles/:mentor/strangers/:wa/remove", h.removeStranger)
	g.GET("/visits", h.visits)
	g.GET("/visits.csv", h.visitsCSV)
	g.POST("/visits", h.scheduleVisit)
	g.GET("/visits/:id", h.visit)
	g.POST("/visits/:id/reschedule", h.rescheduleVisit)
	g.POST("/visits/:id/cancel", h.cancelVisit)
	g.POST("/nurses/:id/facility", h.setFacility)

	g.GET("/questions", h.questions)
	g.GET("/questions.csv", h.questionsCSV)
	g.GET("/questions/:id", h.question)
	g.POST("/questions/:id/answer", h.answerQuestion)
	g.POST("/questions/:id/reassign", h.reassignQuestion)
	g.POST("/questions/:id/close", h.closeQuestion)
	g.GET("/reports", h.reports)
	g.GET("/reports/assessments.csv", h.reportCSV("assessments.csv", assessmentsTable))
	g.GET("/reports/completion.csv", h.reportCSV("completion.csv", completionTable))
	g.GET("/reports/checklist.csv", h.reportCSV("checklist.csv", checklistTable))
	g.GET("/reports/stock.csv", h.reportCSV("stock.csv", stockTable))
	g.GET("/reports/nurses.csv", h.reportCSV("nurses.csv", nursesTable))
	g.GET("/evaluation", h.evaluationPage)
	g.GET("/reports/evaluation.csv", h.reportCSV("evaluation.csv", evaluationTable))
	g.GET("/reports/evaluation-items.csv", h.reportCSV("evaluation-items.csv", evaluationItemsTable))
	g.GET("/reports/evaluation-stock.csv", h.reportCSV("evaluation-stock.csv", evaluationStockTable))

	// Administrators only.
	g.GET("/audit", h.adminOnly, h.audit)
	g.GET("/audit.csv", h.adminOnly, h.auditCSV)
	g.POST("/unlock", h.adminOnly, h.unlock)
	g.GET("/users", h.adminOnly, h.users)
	g.POST("/users/:id/disable", h.adminOnly, h.disableUser)
	g.POST("/users/:id/enable", h.adminOnly, h.enableUser)
	g.POST("/users/:id/reset", h.adminOnly, h.resetPassword)
	g.POST("/users/:id/set", h.adminOnly, h.setUserAccess)
	g.GET("/tokens", h.adminOnly, h.tokens)
	g.GET("/whatsapp/templates", h.adminOnly, h.whatsAppTemplates)
	g.POST("/tokens/:id/revoke", h.adminOnly, h.revokeToken)
}

// routeGroups returns the console's public group and, inside it, the group of
// pages behind a session (with CSRF checks on every POST).
func (h *Console) routeGroups(r gin.IRouter) (pub, g *gin.RouterGroup) {
	pub = r.Group("/admin", securityHeaders, h.limitBody, auditSource)
	return pub, pub.Group("", h.requireSession)
}

// postUpload registers a POST route that accepts UploadLimit bytes instead
// of FormLimit (a CSV upload).
func (h *Console) postUpload(g gin.IRoutes, rel string, fn gin.HandlerFunc) {
	h.uploads[strings.TrimSuffix(joinPath("/admin", rel), "/")] = true
	g.POST(rel, fn)
}

func joinPath(base, rel string) string {
	return base + "/" + strings.TrimPrefix(rel, "/")
}
