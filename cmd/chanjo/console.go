package main

import (
	"github.com/gin-gonic/gin"

	"chanjo/admin"
)

// registerConsole adds the supervisors' console under /admin.
func (a *app) registerConsole(r gin.IRouter) {
	admin.NewConsole(a.db, a.log, a.cfg.TZ).Register(r)
}
