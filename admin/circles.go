package admin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/store"
)

// CircleGroups creates mentor circles' WhatsApp groups (whatsapp.Circles, GROUPS_ENABLED).
type CircleGroups interface {
	Create(ctx context.Context, sc store.Scope, userID, mentorID int64) (store.Circle, error)
	RemoveStranger(ctx context.Context, sc store.Scope, userID, mentorID int64, waID string) (bool, error)
}

// circleData is a mentor circle page's data.
type circleData struct {
	Mentor store.WorkerRow
	C      store.Circle
	// Failed are the SMS members' posts the group never got, and why.
	Failed []store.FailedCirclePost
	// Strangers are the numbers that joined the group by its link and are not in the circle.
	Strangers []store.Stranger
	// Max is the most mentees a circle's group takes.
	Max int
	// Enabled: groups can be created (GROUPS_ENABLED).
	Enabled bool
}

// circle is /admin/circles/:mentor: the mentor circle, its WhatsApp group and each member's channel
// and join state, with the action that creates the group.
func (h *Console) circle(c *gin.Context) {
	id, ok := h.idParam(c, "mentor")
	if !ok {
		return
	}
	ctx := c.Request.Context()
	m, err := h.db.WorkerInScope(ctx, scopeOf(c), id)
	var circle store.Circle
	if err == nil && m.Role != store.RoleMentor {
		err = store.ErrNotFound
	}
	if err == nil {
		circle, err = h.db.CircleOfMentor(ctx, id)
	}
	var failed []store.FailedCirclePost
	var strangers []store.Stranger
	if err == nil && circle.ID != 0 {
		failed, err = h.db.FailedCirclePosts(ctx, circle.ID)
	}
	if err == nil && circle.ID != 0 {
		strangers, err = h.db.CircleStrangers(ctx, circle.ID)
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, http.StatusOK, "circle", circleData{Mentor: m, C: circle, Failed: failed, Strangers: strangers, Max: store.MaxCircleMentees, Enabled: h.Circles != nil})
}

// createCircleGroup is POST /admin/circles/:mentor/group: the circle's WhatsApp group is created
// and the invites queued; a second click (or a second console) finds it and creates none.
func (h *Console) createCircleGroup(c *gin.Context) {
	id, ok := h.idParam(c, "mentor")
	if !ok {
		return
	}
	if h.Circles == nil {
		h.fail(c, store.ErrNotFound)
		return
	}
	path := fmt.Sprintf("/admin/circles/%d", id)
	_, err := h.Circles.Create(c.Request.Context(), scopeOf(c), userOf(c).ID, id)
	switch {
	case errors.Is(err, store.ErrCircleTooLarge):
		h.redirect(c, path, fmt.Sprintf("A WhatsApp group takes the mentor and at most %d mentees: unpair some first.", store.MaxCircleMentees))
	case errors.Is(err, store.ErrNotFound):
		h.fail(c, err)
	case err != nil:
		h.log.Error("circle group not created", "mentor_id", id, "err", err)
		h.redirect(c, path, "WhatsApp did not create the group; it has been logged. Please try again later.")
	default:
		h.redirect(c, path, "WhatsApp is creating the group; the invites go once Meta confirms it.")
	}
}

// repostCirclePost is POST /admin/circles/:mentor/posts/:post/repost: an SMS member's message the
// group never got is queued to be posted again, once however often it is clicked.
func (h *Console) repostCirclePost(c *gin.Context) {
	id, ok := h.idParam(c, "mentor")
	if !ok {
		return
	}
	post, ok := h.idParam(c, "post")
	if !ok {
		return
	}
	if h.Circles == nil {
		h.fail(c, store.ErrNotFound)
		return
	}
	done, err := h.db.RepostCirclePost(c.Request.Context(), scopeOf(c), userOf(c).ID, id, post)
	switch {
	case err != nil:
		h.fail(c, err)
	case done:
		h.redirect(c, fmt.Sprintf("/admin/circles/%d", id), "The message will be posted in the group again.")
	default:
		h.redirect(c, fmt.Sprintf("/admin/circles/%d", id), "That message is already queued again, or was posted.")
	}
}

// removeStranger is POST /admin/circles/:mentor/strangers/:wa/remove: a number that joined the
// circle's group by its link, and is not in the circle, is removed from the group through the Graph
// API (for good: she cannot join again by the link).
func (h *Console) removeStranger(c *gin.Context) {
	id, ok := h.idParam(c, "mentor")
	if !ok {
		return
	}
	wa := c.Param("wa")
	if h.Circles == nil || wa == "" || strings.Trim(wa, "0123456789") != "" {
		h.fail(c, store.ErrNotFound)
		return
	}
	path := fmt.Sprintf("/admin/circles/%d", id)
	done, err := h.Circles.RemoveStranger(c.Request.Context(), scopeOf(c), userOf(c).ID, id, wa)
	switch {
	case errors.Is(err, store.ErrNotFound):
		h.fail(c, err)
	case err != nil:
		h.log.Error("stranger not removed from a circle group", "mentor_id", id, "err", err)
		h.redirect(c, path, "WhatsApp did not remove the number; it has been logged. Please try again later.")
	case done:
		h.redirect(c, path, "The number was removed from the WhatsApp group.")
	default:
		h.redirect(c, path, "That number is no longer in the WhatsApp group.")
	}
}
