package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/admin"
	"github.com/chanjo-health/chanjo/sms"
	"github.com/chanjo-health/chanjo/store"
)

// calculationSaver stores the API's calculations in the store, for the
// admin package, which declares what it needs.
type calculationSaver struct {
	db *store.DB
}

// SaveCalculation stores c for the worker with c.Phone; an unknown number is
// admin.ErrUnknownWorker.
func (s calculationSaver) SaveCalculation(ctx context.Context, c admin.Calculation) error {
	err := s.db.SaveCalculation(ctx, c.Phone, c.Calculator, c.Vaccine, c.Inputs, c.Result, string(c.Status))
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("save calculation: %w", admin.ErrUnknownWorker)
	}
	return err
}

// registerAPI adds the JSON API under /api/v1, every route behind a bearer
// token. The stock policy of the content pack gives the calculators' defaults.
func (a *app) registerAPI(r gin.IRouter) {
	api := admin.NewAPI(a.db, a.log)
	api.Price = segmentPrice(a.cfg)
	api.Quiet = quietHours(a.cfg)
	api.Mentoring, api.Checklist = a.mentoring, a.pack.Checklist
	api.Pack, api.TZ = a.pack, a.cfg.TZ
	api.RegistrationNotice = sms.RegistrationNotice(a.pack, a.cfg.USSDCode)
	v1 := r.Group("/api/v1", api.Auth)
	api.Register(v1)
	admin.NewCalculatorHandler(calculationSaver{a.db}, a.pack.Settings.Stock(), a.log).Register(v1)
}
