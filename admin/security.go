package admin

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// CSRFField is the name of the hidden form field that carries the session's
// CSRF token; templates write it with {{template "csrf" $}}.
const CSRFField = "csrf"

// PasswordCost is the bcrypt cost of stored passwords.
const PasswordCost = 12

// NewToken returns a fresh random API token and the hash to store for it.
func NewToken() (token, hash string) {
	token = "chj_" + rand.Text() + rand.Text()
	return token, HashToken(token)
}

// HashToken is the SHA-256 (hex) under which a token or session id is
// stored: the database never holds a secret that would let its reader in.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// securityHeaders keeps the console out of frames, its links from leaking
// the URL, and the browser from running anything but our own files.
func securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	c.Next()
}

// limitBody caps the request body: FormLimit, or UploadLimit on an upload
// route. A body announced larger is refused at once with 413.
func (h *Console) limitBody(c *gin.Context) {
	limit := int64(FormLimit)
	if h.uploads[c.FullPath()] {
		limit = UploadLimit
	}
	if c.Request.ContentLength > limit {
		h.tooLarge(c, limit)
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
	c.Next()
}

func (h *Console) tooLarge(c *gin.Context, limit int64) {
	h.errorPage(c, http.StatusRequestEntityTooLarge, fmt.Sprintf("The form is too large: at most %d MiB.", limit>>20))
	c.Abort()
}

// checkCSRF parses the form and compares its csrf field with want in
// constant time. On failure it answers (403, or 413 for a body over the
// limit) and returns false: the handler must not run.
func (h *Console) checkCSRF(c *gin.Context, want string) bool {
	var err error
	if strings.HasPrefix(c.ContentType(), "multipart/form-data") {
		err = c.Request.ParseMultipartForm(UploadLimit)
	} else {
		err = c.Request.ParseForm()
	}
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		h.tooLarge(c, tooBig.Limit)
		return false
	case err != nil:
		h.errorPage(c, http.StatusBadRequest, "The form could not be read; please try again.")
		c.Abort()
		return false
	}
	got := c.Request.PostForm.Get(CSRFField)
	if want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		h.errorPage(c, http.StatusForbidden, "This form has expired or did not come from Chanjo. Go back, reload the page and try again.")
		c.Abort()
		return false
	}
	return true
}

// secure reports whether the browser reached us over HTTPS, directly or
// through a proxy that says so.
func secure(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}
