package admin

import (
	"context"
	"fmt"
	"net/http"
	"sort"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/roster"
	"github.com/chanjo-health/chanjo/store"
)

// importData is the roster import page's data: the form, and after an
// upload what it changed and every row refused.
type importData struct {
	Done     bool
	File     string
	Result   store.RosterResult
	Problems []store.RowProblem
	Error    string
}

// importForm is GET /admin/nurses/import.
func (h *Console) importForm(c *gin.Context) {
	h.render(c, http.StatusOK, "import", importData{})
}

// importRoster is POST /admin/nurses/import: the CSV of the "file" field is
// parsed, the rows of a supervisor's sub-counties are applied in one
// transaction and every other row is reported with its line and reason.
func (h *Console) importRoster(c *gin.Context) {
	fh, err := c.FormFile("file")
	if err != nil {
		h.render(c, http.StatusUnprocessableEntity, "import", importData{Error: "Choose a roster CSV file to upload."})
		return
	}
	f, err := fh.Open()
	if err != nil {
		h.fail(c, fmt.Errorf("admin: open upload: %w", err))
		return
	}
	pack, err := packOr(h.Pack)
	if err != nil {
		f.Close()
		h.fail(c, fmt.Errorf("admin: import: %w", err))
		return
	}
	rows, parsed := roster.Parse(f, pack.LanguageCodes())
	f.Close()
	ctx, sc := c.Request.Context(), scopeOf(c)
	entries, problems, err := h.db.RosterInScope(ctx, sc, rows)
	d := importData{Done: true, File: fh.Filename}
	if err == nil && len(entries) > 0 {
		var more []store.RowProblem
		d.Result, more, err = h.db.ApplyRoster(ctx, entries, nil)
		problems = append(problems, more...)
		if err == nil {
			err = h.queuePrivacyNotices(ctx)
		}
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	for _, p := range parsed {
		problems = append(problems, store.RowProblem(p))
	}
	sort.SliceStable(problems, func(i, j int) bool { return problems[i].Line < problems[j].Line })
	d.Problems = problems
	detail := fmt.Sprintf("%s: %d rows applied (%d created, %d updated), %d rejected", fh.Filename, d.Result.Applied(), d.Result.Created, d.Result.Updated, len(problems))
	if err := h.db.Audit(ctx, h.db, userOf(c).ID, "roster.import", "roster", detail); err != nil {
		h.fail(c, err)
		return
	}
	status := http.StatusOK
	if len(problems) > 0 && d.Result.Applied() == 0 {
		status = http.StatusUnprocessableEntity
	}
	h.render(c, status, "import", d)
}

// queuePrivacyNotices sends the privacy notice of the content pack to the
// workers the import enrolled, each in her language. A pack without one
// leaves them due, so a pack that adds it sends them at the next import.
func (h *Console) queuePrivacyNotices(ctx context.Context) error {
	pack, err := packOr(h.Pack)
	if err != nil {
		return fmt.Errorf("admin: privacy notices: %w", err)
	}
	if len(pack.Settings.PrivacyNotice) == 0 {
		return nil
	}
	_, err = h.db.QueuePrivacyNotices(ctx, pack.Settings.PrivacyNotice)
	return err
}

// packOr returns p, or the embedded pack when p is nil.
func packOr(p *lessons.Pack) (*lessons.Pack, error) {
	if p != nil {
		return p, nil
	}
	return lessons.Default()
}
