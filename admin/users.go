package admin

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/store"
)

// usersData is the users page's data.
type usersData struct {
	Users []store.UserSummary
	// Known are the roster's sub-counties, the only ones a supervisor may get.
	Known []string
	Me    int64
}

// adminNav lists the header's tabs that only administrators see.
var adminNav = []navItem{
	{"users", "Users", "/admin/users"},
	{"whatsapp_templates", "WhatsApp templates", "/admin/whatsapp/templates"},
}

// users is /admin/users: every console user with what she may see, and
// the forms to disable, enable, reset and change her.
func (h *Console) users(c *gin.Context) {
	ctx := c.Request.Context()
	users, err := h.db.Users(ctx)
	if err != nil {
		h.fail(c, err)
		return
	}
	known, err := h.db.RosterSubCounties(ctx)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, http.StatusOK, "users", usersData{Users: users, Known: known, Me: userOf(c).ID})
}

// targetUser returns the user of the :id in the path, answering 404 itself.
func (h *Console) targetUser(c *gin.Context) (store.User, bool) {
	id, err := pathID(c)
	if err != nil {
		h.fail(c, err)
		return store.User{}, false
	}
	u, err := h.db.UserByID(c.Request.Context(), id)
	if err != nil {
		h.fail(c, err)
		return store.User{}, false
	}
	return u, true
}

func (h *Console) disableUser(c *gin.Context) {
	u, ok := h.targetUser(c)
	if !ok {
		return
	}
	if u.ID == userOf(c).ID {
		h.errorPage(c, http.StatusUnprocessableEntity, "You cannot disable your own account: another administrator must.")
		return
	}
	if err := h.db.SetUserDisabled(c.Request.Context(), userOf(c).ID, u.ID, true); err != nil {
		h.fail(c, err)
		return
	}
	h.redirect(c, "/admin/users", u.Name+" is disabled: she is logged out and cannot log in; her API tokens are refused.")
}

func (h *Console) enableUser(c *gin.Context) {
	u, ok := h.targetUser(c)
	if !ok {
		return
	}
	if err := h.db.SetUserDisabled(c.Request.Context(), userOf(c).ID, u.ID, false); err != nil {
		h.fail(c, err)
		return
	}
	h.redirect(c, "/admin/users", u.Name+" can log in again.")
}

// resetPassword gives the user the password of the form, under the
// password rules; her sessions end.
func (h *Console) resetPassword(c *gin.Context) {
	u, ok := h.targetUser(c)
	if !ok {
		return
	}
	pw := c.PostForm("password")
	if pw != c.PostForm("again") {
		h.errorPage(c, http.StatusUnprocessableEntity, "The two passwords differ. Go back and type them again.")
		return
	}
	hash, err := HashPassword(pw)
	if err != nil {
		h.errorPage(c, http.StatusUnprocessableEntity, "Not changed: "+passwordProblem(err)+".")
		return
	}
	if err := h.db.SetPassword(c.Request.Context(), userOf(c).ID, u.ID, hash); err != nil {
		h.fail(c, err)
		return
	}
	h.redirect(c, "/admin/users", "New password set for "+u.Name+"; she is logged out everywhere.")
}

// passwordProblem is the rule a refused password broke, for people.
func passwordProblem(err error) string {
	for _, rule := range []error{ErrShortPassword, ErrLongPassword, ErrRepeatedPassword, ErrCommonPassword} {
		if errors.Is(err, rule) {
			return rule.Error()
		}
	}
	return "the password could not be used"
}

// setUserAccess gives the user the role and sub-counties of the form, the
// sub-counties picked from the roster's.
func (h *Console) setUserAccess(c *gin.Context) {
	u, ok := h.targetUser(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	role := c.PostForm("role")
	asked := c.PostFormArray("sub_county")
	known, err := h.db.RosterSubCounties(ctx)
	if err != nil {
		h.fail(c, err)
		return
	}
	scs, msg := AccessProblem(role, asked, known)
	if msg == "" && u.ID == userOf(c).ID && role != store.RoleAdmin {
		msg = "you cannot take away your own administrator role: another administrator must"
	}
	if msg != "" {
		h.errorPage(c, http.StatusUnprocessableEntity, "Not changed: "+msg+".")
		return
	}
	if err := h.db.SetUserAccess(ctx, userOf(c).ID, u.ID, role, scs); err != nil {
		h.fail(c, err)
		return
	}
	h.redirect(c, "/admin/users", fmt.Sprintf("%s is now %s.", u.Name, describeAccess(role, scs)))
}

// AccessProblem checks a role and the sub-counties asked for it against the
// roster's (known). It returns them in the roster's spelling, or why they
// are refused.
func AccessProblem(role string, asked, known []string) ([]string, string) {
	switch {
	case role != store.RoleAdmin && role != store.RoleSupervisor:
		return nil, "the role must be admin or supervisor"
	case role == store.RoleSupervisor && len(asked) == 0:
		return nil, "a supervisor needs at least one sub-county"
	case role == store.RoleAdmin && len(asked) > 0:
		return nil, "an admin sees every sub-county; sub-counties are for supervisors"
	}
	scs, err := PickSubCounties(known, asked)
	if err != nil {
		return nil, err.Error()
	}
	return scs, ""
}

func describeAccess(role string, scs []string) string {
	if role == store.RoleAdmin {
		return "an administrator"
	}
	return "a supervisor of " + strings.Join(scs, ", ")
}

// tokens is /admin/tokens: every API token (never the token itself), live,
// expired or revoked, with a button to revoke a live one.
func (h *Console) tokens(c *gin.Context) {
	tokens, err := h.db.Tokens(c.Request.Context(), "")
	if err != nil {
		h.fail(c, err)
		return
	}
	now := h.db.Now()
	rows := make([]tokenRow, len(tokens))
	for i, t := range tokens {
		rows[i] = tokenRow{Token: t, State: t.State(now)}
	}
	h.render(c, http.StatusOK, "tokens", rows)
}

// tokenRow is a token with its state, for the tokens page.
type tokenRow struct {
	store.Token
	State string
}

func (h *Console) revokeToken(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	t, err := h.db.RevokeToken(c.Request.Context(), userOf(c).ID, id)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.redirect(c, "/admin/tokens", fmt.Sprintf("Token %q of %s is revoked: the API refuses it from now on.", t.Name, t.UserName))
}
