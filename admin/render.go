package admin

import (
	"bytes"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// pageTemplate is the layout with one page's "title" and "content" blocks.
type pageTemplate = *template.Template

// parsePages parses templates/layout.html once per page: every other file
// of templates/ is a page named after its file, defining "title" and "content".
func parsePages(tz *time.Location) map[string]pageTemplate {
	layout := template.Must(template.New("layout.html").Funcs(funcs(tz)).ParseFS(templateFS, "templates/layout.html"))
	files, _ := fs.Glob(templateFS, "templates/*.html") // the pattern is valid
	pages := map[string]pageTemplate{}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		if name != "layout" {
			pages[name] = template.Must(template.Must(layout.Clone()).ParseFS(templateFS, f))
		}
	}
	return pages
}

// funcs are the helpers every template may call.
func funcs(tz *time.Location) template.FuncMap {
	return template.FuncMap{
		// when shows a time in the programme's zone; "" for none.
		"when": func(t any) string {
			switch v := t.(type) {
			case time.Time:
				return v.In(tz).Format("2 Jan 2006 15:04")
			case sql.NullTime:
				if v.Valid {
					return v.Time.In(tz).Format("2 Jan 2006 15:04")
				}
			}
			return ""
		},
		"pct":   func(f float64) string { return fmt.Sprintf("%.0f%%", f) },
		"money": func(f float64) string { return fmt.Sprintf("%.2f", f) },
		"nav":   func() []navItem { return nav },
		// adminNav are the tabs only administrators see.
		"adminNav": func() []navItem { return adminNav },
		// optOutReason says why a number opted out, for people.
		"optOutReason": func(r store.OptOutReason) string { return optOutReasons[r] },
	}
}

// view is what the layout is executed with: the page's own data is Data.
type view struct {
	Nav   string // the page name, to mark the current tab
	User  store.User
	CSRF  string // for {{template "csrf" $}} in every POST form
	Flash string
	Data  any
	CSS   string
	// Paused is the SMS pause shown as a banner on every page; nil when
	// sending is not paused.
	Paused *store.Pause
}

// render answers with the named page (templates/NAME.html) and data, inside
// the layout with the user's nav, CSRF token and the flash message.
func (h *Console) render(c *gin.Context, status int, name string, data any) {
	t, ok := h.pages[name]
	if !ok {
		h.log.Error("no template", "page", name)
		c.String(http.StatusInternalServerError, "internal error\n")
		return
	}
	v := view{Nav: name, User: userOf(c), CSRF: sessionOf(c).CSRF, Data: data, CSS: "/admin/static/console.css?v=" + h.version}
	if v.User.ID != 0 {
		v.Paused = h.smsPause(c.Request.Context())
	}
	if s := sessionOf(c); s.Flash != "" {
		v.Flash = s.Flash
		if err := h.db.SetFlash(c.Request.Context(), s.IDHash, ""); err != nil {
			h.log.Error("clear flash", "err", err)
		}
	}
	if s, ok := c.Get(keyLoginCSRF); ok {
		v.CSRF = s.(string)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		h.log.Error("render", "page", name, "err", err)
		c.String(http.StatusInternalServerError, "internal error\n")
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// errorPage answers status with a short message for people.
func (h *Console) errorPage(c *gin.Context, status int, msg string) {
	h.render(c, status, "error", msg)
}

// staticFiles serves admin/static and returns a version of its content,
// so that the layout's link changes whenever a file changes and browsers
// may cache each version for a year.
func staticFiles() (http.Handler, string) {
	sub, _ := fs.Sub(staticFS, "static") // "static" is a valid path

	sum := sha256.New()
	fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(sub, p)
			sum.Write(b)
		}
		return nil
	})
	return http.StripPrefix("/admin/static/", http.FileServerFS(sub)), hex.EncodeToString(sum.Sum(nil))[:12]
}

func (h *Console) serveStatic(c *gin.Context) {
	if c.Query("v") == h.version {
		c.Header("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		c.Header("Cache-Control", "public, max-age=3600")
	}
	h.static.ServeHTTP(c.Writer, c.Request)
}
