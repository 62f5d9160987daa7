package admin

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/store"
)

// reportFilter reads the reports' filter from the query: facility (a
// code), group (an id), from and to (local days, YYYY-MM-DD, to included).
// A value that does not read is a *store.InputError naming it; nothing is
// guessed.
func reportFilter(c *gin.Context, tz *time.Location) (store.ReportFilter, error) {
	fl := store.ReportFilter{Facility: strings.TrimSpace(c.Query("facility"))}
	if g := strings.TrimSpace(c.Query("group")); g != "" {
		id, err := strconv.ParseInt(g, 10, 64)
		if err != nil || id <= 0 {
			return fl, &store.InputError{Field: "group", Message: "must be a group's number"}
		}
		fl.Group = id
	}
	for _, d := range []struct {
		name string
		dst  *time.Time
		days int
	}{{"from", &fl.From, 0}, {"to", &fl.To, 1}} {
		v := strings.TrimSpace(c.Query(d.name))
		if v == "" {
			continue
		}
		day, err := time.ParseInLocation(time.DateOnly, v, tz)
		if err != nil {
			return fl, &store.InputError{Field: d.name, Message: "must be a day written YYYY-MM-DD"}
		}
		*d.dst = day.AddDate(0, 0, d.days)
	}
	if !fl.From.IsZero() && !fl.To.IsZero() && !fl.From.Before(fl.To) {
		return fl, &store.InputError{Field: "to", Message: "must not be before from"}
	}
	return fl, nil
}

// filterValues is fl as a query string for the links that keep it (the
// CSV files); days are written in tz.
func filterValues(fl store.ReportFilter, tz *time.Location) url.Values {
	v := url.Values{}
	if fl.Facility != "" {
		v.Set("facility", fl.Facility)
	}
	if fl.Group != 0 {
		v.Set("group", strconv.FormatInt(fl.Group, 10))
	}
	if !fl.From.IsZero() {
		v.Set("from", fl.From.In(tz).Format(time.DateOnly))
	}
	if !fl.To.IsZero() {
		v.Set("to", fl.To.In(tz).AddDate(0, 0, -1).Format(time.DateOnly))
	}
	return v
}
