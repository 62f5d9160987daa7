package admin

import (
	"database/sql"
	"encoding/csv"
	"strings"

	"github.com/gin-gonic/gin"
)

// csvTimeLayout is how the exports write times: UTC, RFC 3339.
const csvTimeLayout = "2006-01-02T15:04:05Z"

// startCSV answers with a CSV attachment named name and returns its writer.
func startCSV(c *gin.Context, name string) *csv.Writer {
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Header("Cache-Control", "no-store")
	return csv.NewWriter(c.Writer)
}

// endCSV flushes w, logging a failed write (the client went away).
func (h *Console) endCSV(w *csv.Writer, name string) {
	w.Flush()
	if err := w.Error(); err != nil {
		h.log.Warn("write "+name, "err", err)
	}
}

// cell keeps a spreadsheet from reading typed text (a name, a facility) as
// a formula.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// utcCell writes a time of a CSV file in UTC, RFC 3339; "" for none.
func utcCell(t sql.NullTime) string {
	if !t.Valid {
		return ""
	}
	return t.Time.UTC().Format(csvTimeLayout)
}
