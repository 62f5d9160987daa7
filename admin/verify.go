package admin

import (
	"context"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/store"
)

// CertificateReader finds a certificate by its code.
type CertificateReader interface {
	CertificateByCode(ctx context.Context, code string) (store.Certificate, error)
}

// VerifyHandler answers GET /verify/CODE, the public page where anyone (an
// employer, a county office) checks a nurse's completion certificate
// without logging in. It shows the name, the topic, the date and whether it
// is valid, and nothing else: no phone, no facility, no scores.
type VerifyHandler struct {
	certs CertificateReader
	pack  *lessons.Pack
	tz    *time.Location
	log   *slog.Logger
}

// NewVerifyHandler returns the verification page: topics are titled from
// pack, dates are days in tz.
func NewVerifyHandler(certs CertificateReader, pack *lessons.Pack, tz *time.Location, log *slog.Logger) *VerifyHandler {
	return &VerifyHandler{certs: certs, pack: pack, tz: tz, log: log.With("component", "admin.verify")}
}

// Register adds the route to r.
func (h *VerifyHandler) Register(r gin.IRouter) {
	r.GET("/verify/:code", h.verify)
}

// verifyPage stands alone: the console's layout has a menu a visitor has
// no use for.
var verifyPage = template.Must(template.New("verify").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Chanjo certificate</title></head>
<body><main>
<h1>Chanjo certificate</h1>
{{if .Found}}<dl>
<dt>Name</dt><dd>{{.Name}}</dd>
<dt>Topic</dt><dd>{{.Topic}}</dd>
<dt>Completed on</dt><dd>{{.Date}}</dd>
<dt>Validity</dt><dd>Valid: issued by Chanjo for completing every lesson of the topic and its quiz.</dd>
</dl>{{else}}<p>No certificate has the code {{.Code}}. Check the code in the SMS: 8 letters and digits.</p>{{end}}
</main></body></html>
`))

type verifyData struct {
	Found                   bool
	Code, Name, Topic, Date string
}

func (h *VerifyHandler) verify(c *gin.Context) {
	code := c.Param("code")
	cert, err := h.certs.CertificateByCode(c.Request.Context(), code)
	d, status := verifyData{Code: code}, http.StatusOK
	switch {
	case errors.Is(err, store.ErrNotFound):
		status = http.StatusNotFound
	case err != nil:
		h.log.Error("verify certificate", "err", err)
		c.String(http.StatusServiceUnavailable, "The certificate cannot be checked now; try again later.\n")
		return
	default:
		title := cert.Topic
		if t, ok := h.pack.Topic(cert.Topic); ok {
			title = t.Title.In("en")
		}
		d = verifyData{Found: true, Code: cert.Code, Name: cert.Name, Topic: title, Date: cert.Issued.In(h.tz).Format("2 January 2006")}
	}
	c.Header("Cache-Control", "no-store")
	c.Header("X-Robots-Tag", "noindex")
	c.Status(status)
	c.Header("Content-Type", "text/html; charset=utf-8")
	if err := verifyPage.Execute(c.Writer, d); err != nil {
		h.log.Error("render verify page", "err", err)
	}
}
