package admin

import (
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/store"
)

// Cookie names. The login cookie carries the CSRF token of the login form,
// which has no session yet.
const (
	sessionCookie = "chanjo_session"
	loginCookie   = "chanjo_login"
	keyLoginCSRF  = "chanjo.login_csrf"
)

// dummyHash is compared with the password of a name that has no account, so
// that a wrong name takes as long as a wrong password (cost 12, like real ones).
const dummyHash = "$2a$12$SyqZoIYWzg5fF7NR.RZTcu6e7M.P6QFDoqLM2TXWEXLEcfKGp4tp."

const msgWrongLogin = "Wrong name or password."

// loginData is the login page's data.
type loginData struct {
	Name, Error string
}

func (h *Console) setCookie(c *gin.Context, name, value, path string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{Name: name, Value: value, Path: path, MaxAge: maxAge,
		HttpOnly: true, Secure: secure(c.Request), SameSite: http.SameSiteLaxMode})
}

func (h *Console) loginForm(c *gin.Context) {
	token := rand.Text()
	h.setCookie(c, loginCookie, token, "/admin/login", 3600)
	c.Set(keyLoginCSRF, token)
	h.render(c, http.StatusOK, "login", loginData{})
}

func (h *Console) login(c *gin.Context) {
	token, _ := c.Cookie(loginCookie)
	if !h.checkCSRF(c, token) {
		return
	}
	c.Set(keyLoginCSRF, token)
	name := strings.TrimSpace(c.PostForm("name"))
	u, msg, err := h.authenticate(c.Request.Context(), name, c.PostForm("password"), c.ClientIP())
	switch {
	case errors.Is(err, errBusy):
		h.render(c, http.StatusServiceUnavailable, "login", loginData{Name: name, Error: "The console is busy; please try again in a minute."})
		return
	case err != nil:
		h.fail(c, err)
		return
	case msg != "":
		h.render(c, http.StatusUnauthorized, "login", loginData{Name: name, Error: msg})
		return
	}
	if err := h.startSession(c, u); err != nil {
		h.fail(c, err)
		return
	}
	h.setCookie(c, loginCookie, "", "/admin/login", -1)
	c.Redirect(http.StatusSeeOther, "/admin")
}

// startSession stores a new session of u and gives the browser its cookie.
func (h *Console) startSession(c *gin.Context, u store.User) error {
	id, now := rand.Text()+rand.Text(), h.db.Now()
	s := store.Session{IDHash: HashToken(id), UserID: u.ID, CSRF: rand.Text(), CreatedAt: now, ExpiresAt: now.Add(SessionTTL)}
	if err := h.db.CreateSession(c.Request.Context(), s); err != nil {
		return err
	}
	if err := h.db.Audit(c.Request.Context(), h.db, u.ID, "login", fmt.Sprintf("user:%d", u.ID), ""); err != nil {
		return err
	}
	h.setCookie(c, sessionCookie, id, "/admin", int(SessionTTL.Seconds()))
	return nil
}

func (h *Console) logout(c *gin.Context) {
	s, u := sessionOf(c), userOf(c)
	if err := h.db.DeleteSession(c.Request.Context(), s.IDHash); err != nil {
		h.fail(c, err)
		return
	}
	if err := h.db.Audit(c.Request.Context(), h.db, u.ID, "logout", fmt.Sprintf("user:%d", u.ID), ""); err != nil {
		h.log.Error("audit logout", "err", err)
	}
	h.setCookie(c, sessionCookie, "", "/admin", -1)
	c.Redirect(http.StatusSeeOther, "/admin/login")
}

// requireSession lets through a request with a live session, after checking
// the CSRF token of anything but GET and HEAD. Without a session a page
// goes to the login form and a form post is refused.
func (h *Console) requireSession(c *gin.Context) {
	ctx := c.Request.Context()
	id, _ := c.Cookie(sessionCookie)
	s, err := h.db.SessionByHash(ctx, HashToken(id))
	if errors.Is(err, store.ErrNotFound) || id == "" {
		c.Abort()
		if c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead {
			c.Redirect(http.StatusSeeOther, "/admin/login")
			return
		}
		h.errorPage(c, http.StatusForbidden, "Your session has ended. Log in again.")
		return
	}
	var u store.User
	var sc store.Scope
	if err == nil {
		u, err = h.db.UserByID(ctx, s.UserID)
	}
	if err == nil {
		sc, err = h.db.Scope(ctx, u)
	}
	if err == nil && u.DisabledAt.Valid {
		err = h.db.DeleteSession(ctx, s.IDHash)
		if err == nil {
			c.Abort()
			h.setCookie(c, sessionCookie, "", "/admin", -1)
			h.errorPage(c, http.StatusForbidden, msgDisabled)
			return
		}
	}
	if err != nil {
		c.Abort()
		h.fail(c, err)
		return
	}
	c.Set(keySession, s)
	c.Set(keyUser, u)
	c.Set(keyScope, sc)
	if c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead && !h.checkCSRF(c, s.CSRF) {
		return
	}
	c.Next()
}

// auditSource makes the client's address the source of the audit rows the
// request writes.
func auditSource(c *gin.Context) {
	c.Request = c.Request.WithContext(store.WithSource(c.Request.Context(), c.ClientIP()))
	c.Next()
}
