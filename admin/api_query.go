package admin

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"
)

// checkQuery refuses, 422 naming the parameter, a query string that does
// not parse. net/url drops such a pair whole ("limit=1;": a semicolon is no
// separator since Go 1.17; "q=%zz"), so without this the handler would read
// the parameter as absent and answer with its default, unasked.
func checkQuery(c *gin.Context) {
	for _, part := range strings.Split(c.Request.URL.RawQuery, "&") {
		if _, err := url.ParseQuery(part); err == nil {
			continue
		}
		key, _, _ := strings.Cut(part, "=")
		if k, err := url.QueryUnescape(key); err == nil {
			key = k
		}
		msg := "cannot be read: remove the ';' or the bad %-escape"
		abort(c, http.StatusUnprocessableEntity, apiError{Code: "invalid", Message: key + " " + msg, Fields: map[string]string{key: msg}})
		return
	}
	c.Next()
}
