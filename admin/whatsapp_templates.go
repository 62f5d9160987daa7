package admin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/whatsapp/cloudapi"
)

// Template cache lifetimes: Meta's review takes minutes to days, so a few minutes' old status is
// news enough, and a failed read is tried again sooner than a good one.
const (
	templatesFresh   = 5 * time.Minute
	templatesRetry   = time.Minute
	templatesTimeout = 20 * time.Second
)

// TemplateLister reads a business account's templates: the cloudapi client.
type TemplateLister interface {
	Templates(ctx context.Context, wabaID string) ([]cloudapi.TemplateInfo, error)
}

// TemplateStatus reads the WhatsApp Business Account's templates from Meta for the console and keeps
// them a few minutes; one read runs at a time, the others wait for it. It is safe for concurrent use.
type TemplateStatus struct {
	lister TemplateLister
	wabaID string
	now    func() time.Time

	mu      sync.Mutex // held across a read: one refresh at a time
	good    []cloudapi.TemplateInfo
	goodAt  time.Time // zero: never read
	failed  error     // the last read's error, nil when it succeeded
	failAt  time.Time
	readAt  time.Time // the last read, good or not
	hasRead bool
}

// NewTemplateStatus reads the templates of the business account wabaID (WA_WABA_ID) with lister.
func NewTemplateStatus(lister TemplateLister, wabaID string) *TemplateStatus {
	return &TemplateStatus{lister: lister, wabaID: wabaID, now: time.Now}
}

// templateRead is what the page shows: the last good list (GoodAt zero: none) and, when the last
// read failed, when and why.
type templateRead struct {
	Good   []cloudapi.TemplateInfo
	GoodAt time.Time
	Failed error
	FailAt time.Time
}

// read returns the cached list, reading Meta first when it is stale.
func (s *TemplateStatus) read(ctx context.Context) templateRead {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	stale := !s.hasRead || now.Sub(s.readAt) >= templatesFresh || (s.failed != nil && now.Sub(s.readAt) >= templatesRetry)
	if stale {
		// A browser that gives up does not cancel the read the others wait for.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), templatesTimeout)
		list, err := s.lister.Templates(ctx, s.wabaID)
		cancel()
		s.hasRead, s.readAt = true, now
		if err != nil {
			s.failed, s.failAt = err, now
		} else {
			s.good, s.goodAt, s.failed = list, now, nil
		}
	}
	return templateRead{Good: s.good, GoodAt: s.goodAt, Failed: s.failed, FailAt: s.failAt}
}

// templateRow is one template the pack names, in one language, with what Meta says of it.
type templateRow struct {
	Kind, Name, Language, Code string
	Status, Category           string // Status "missing": Meta has no template by that name and language
}

// templatesData is the page's data.
type templatesData struct {
	Configured bool // WA_WABA_ID is set
	Rows       []templateRow
	Read       templateRead
	FailClass  string
}

// whatsAppTemplates is /admin/whatsapp/templates: each template the content pack names, per
// language, with Meta's status and category.
func (h *Console) whatsAppTemplates(c *gin.Context) {
	pack, err := packOr(h.Pack)
	if err != nil {
		h.fail(c, err)
		return
	}
	data := templatesData{Configured: h.Templates != nil}
	if data.Configured {
		data.Read = h.Templates.read(c.Request.Context())
		if data.Read.Failed != nil {
			data.FailClass = failureClass(data.Read.Failed)
		}
	}
	data.Rows = templateRows(pack, data.Read.Good, data.Read.GoodAt.IsZero())
	h.render(c, http.StatusOK, "whatsapp_templates", data)
}

// templateRows lists the pack's templates by kind and language; unknown leaves the status empty
// (nothing was ever read) rather than calling every template missing.
func templateRows(pack *lessons.Pack, meta []cloudapi.TemplateInfo, unknown bool) []templateRow {
	var rows []templateRow
	for _, kind := range lessons.TemplateKinds {
		t, ok := pack.Settings.WhatsAppTemplates[kind]
		if !ok {
			continue
		}
		for _, lang := range pack.Languages() {
			r := templateRow{Kind: kind, Name: t.Name, Language: lang.Name, Code: t.Language[lang.Code]}
			if !unknown {
				r.Status = "missing"
				if i := slices.IndexFunc(meta, func(m cloudapi.TemplateInfo) bool {
					return m.Name == r.Name && m.Language == r.Code
				}); i >= 0 {
					r.Status, r.Category = meta[i].Status, meta[i].Category
				}
			}
			rows = append(rows, r)
		}
	}
	return rows
}

// failureClass names what kind of failure a read met, for the person who must act on it.
func failureClass(err error) string {
	var e *cloudapi.Error
	switch {
	case !errors.As(err, &e):
		return "error"
	case e.HTTPStatus == 0:
		return "no answer from Meta (network or timeout)"
	case e.AccountFault():
		return fmt.Sprintf("the account or its token was refused (code %d: %s)", e.Code, e.Details)
	case e.Retryable():
		return fmt.Sprintf("Meta failed for now (HTTP %d)", e.HTTPStatus)
	case e.Code >= 0:
		return fmt.Sprintf("Meta refused the request (code %d: %s)", e.Code, e.Details)
	}
	return fmt.Sprintf("unreadable answer (HTTP %d)", e.HTTPStatus)
}
