package admin

import "github.com/gin-gonic/gin"

// Register adds the resources to r, the /api/v1 group guarded by Auth,
// and the query check to every route added to r from here on. Every API
// route is here.
func (a *API) Register(r gin.IRouter) {
	r.Use(checkQuery)
	r.GET("/workers", a.workers)
	r.GET("/workers/:id", a.worker)
	r.PATCH("/workers/:id", a.patchWorker)
	r.POST("/workers/:id/facility", a.setWorkerFacility)
	r.POST("/broadcasts", a.createBroadcast)
	r.GET("/broadcasts", a.listBroadcasts)
	r.GET("/broadcasts/:id", a.getBroadcast)
	r.POST("/broadcasts/:id/cancel", a.cancelBroadcast)
	r.GET("/broadcasts/:id/failed", a.failedBroadcast)
	r.POST("/broadcasts/:id/resend", a.resendBroadcast)
	r.GET("/groups", a.groups)
	r.GET("/groups/:id", a.group)
	r.GET("/visits", a.visits)
	r.POST("/visits", a.createVisit)
	r.GET("/visits/:id", a.visit)
	r.PATCH("/visits/:id", a.patchVisit)
	r.GET("/reports/assessments", a.report(assessmentsReport))
	r.GET("/reports/completion", a.report(completionReport))
	r.GET("/reports/checklist", a.report(checklistReport))
	r.GET("/reports/stock", a.report(stockReport))
	r.GET("/reports/nurses", a.report(nursesReport))
	r.GET("/reports/evaluation", a.report(evaluationReport))
	r.GET("/questions", a.listQuestions)
	r.GET("/questions/:id", a.getQuestion)
	r.POST("/questions/:id/answer", a.answerQuestion)
	r.POST("/questions/:id/reassign", a.reassignQuestion)
	r.POST("/questions/:id/close", a.closeQuestion)
}
