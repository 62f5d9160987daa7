package admin

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/peer"
	"github.com/chanjo-health/chanjo/store"
)

// groupsData is the groups page's data: the groups and the mentor pairs by
// mentor. Its forms name people through pickers (picker.go).
type groupsData struct {
	Groups  []store.Group
	Mentors []mentorPairs
}

// mentorPairs is one mentor and her mentees.
type mentorPairs struct {
	ID          int64
	Name, Phone string
	Mentees     []store.Pair
}

// byMentor groups pairs, already ordered by mentor, under their mentor.
func byMentor(ps []store.Pair) []mentorPairs {
	var out []mentorPairs
	for _, p := range ps {
		if len(out) == 0 || out[len(out)-1].ID != p.MentorID {
			out = append(out, mentorPairs{ID: p.MentorID, Name: p.MentorName, Phone: p.MentorPhone})
		}
		out[len(out)-1].Mentees = append(out[len(out)-1].Mentees, p)
	}
	return out
}

// groups is /admin/groups: groups and mentor pairs inside the scope.
func (h *Console) groups(c *gin.Context) {
	ctx, sc := c.Request.Context(), scopeOf(c)
	gs, err := h.db.Groups(ctx, sc)
	var ps []store.Pair
	if err == nil {
		ps, err = h.db.MentorPairs(ctx, sc)
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, http.StatusOK, "groups", groupsData{Groups: gs, Mentors: byMentor(ps)})
}

// groupData is a group page's data.
type groupData struct {
	G       store.Group
	Members []store.WorkerRow // one page of them, by name
	Prev    string
	Next    string
	// Messages are the group's newest, with their copies by channel.
	Messages []store.GroupMessageRow
	Traffic  trafficView
}

// trafficView is a group's traffic with the estimated cost of its SMS
// parts (SMS_SEGMENT_COST).
type trafficView struct {
	store.GroupTraffic
	SMSCost string
	// WhatsAppCost is the estimated cost of its WhatsApp templates.
	WhatsAppCost string
}

func (h *Console) trafficView(t store.GroupTraffic) trafficView {
	wa := 0.0
	for _, c := range t.Channels {
		wa += c.Cost
	}
	return trafficView{GroupTraffic: t, SMSCost: h.Price.Format(h.Price.Of(1, smsParts(t))), WhatsAppCost: h.Price.Format(wa)}
}

// smsParts returns the SMS parts of t.
func smsParts(t store.GroupTraffic) int {
	for _, c := range t.Channels {
		if c.Channel == store.ChannelSMS {
			return c.Parts
		}
	}
	return 0
}

// group is /admin/groups/:id: the members inside the scope, a page of
// DefaultWorkerPage at a time (?offset=), since a group may hold a whole
// sub-county; add and remove.
func (h *Console) group(c *gin.Context) {
	id, ok := h.idParam(c, "id")
	if !ok {
		return
	}
	ctx, sc := c.Request.Context(), scopeOf(c)
	g, err := h.db.Group(ctx, sc, id)
	offset, _ := strconv.Atoi(c.Query("offset"))
	offset = max(offset, 0)
	var members []store.WorkerRow
	total := 0
	if err == nil {
		members, total, err = h.db.Workers(ctx, sc, store.WorkerFilter{Group: id, Offset: offset})
	}
	var messages []store.GroupMessageRow
	if err == nil {
		messages, err = h.db.GroupMessages(ctx, sc, id)
	}
	var traffic store.GroupTraffic
	if err == nil {
		traffic, err = h.db.GroupTraffic(ctx, sc, id)
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	d := groupData{G: g, Members: members, Messages: messages, Traffic: h.trafficView(traffic)}
	page := fmt.Sprintf("/admin/groups/%d?offset=", id)
	if offset > 0 {
		d.Prev = page + strconv.Itoa(max(offset-store.DefaultWorkerPage, 0))
	}
	if offset+len(members) < total {
		d.Next = page + strconv.Itoa(offset+len(members))
	}
	h.render(c, http.StatusOK, "group", d)
}

// idParam reads the path parameter name as an id; a bad one is answered
// with 404, as an id that does not exist.
func (h *Console) idParam(c *gin.Context, name string) (int64, bool) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil {
		h.fail(c, store.ErrNotFound)
		return 0, false
	}
	return id, true
}

// formID reads the form field name as a worker id, answering 422 with
// msg when it is not one.
func (h *Console) formID(c *gin.Context, name, msg string) (int64, bool) {
	id, err := strconv.ParseInt(c.PostForm(name), 10, 64)
	if err != nil {
		h.errorPage(c, http.StatusUnprocessableEntity, msg)
		return 0, false
	}
	return id, true
}

// createGroup is POST /admin/groups: a new group with its first member.
func (h *Console) createGroup(c *gin.Context) {
	wid, ok := h.pick(c, memberPicker)
	if !ok {
		return
	}
	g, err := h.db.CreateGroup(c.Request.Context(), scopeOf(c), userOf(c).ID, c.PostForm("name"), wid)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.redirect(c, fmt.Sprintf("/admin/groups/%d", g.ID), "Created the group "+g.Name+".")
}

// addMember is POST /admin/groups/:id/members.
func (h *Console) addMember(c *gin.Context) {
	gid, ok := h.idParam(c, "id")
	if !ok {
		return
	}
	wid, ok := h.pick(c, memberPicker)
	if !ok {
		return
	}
	if err := h.db.AddGroupMember(c.Request.Context(), scopeOf(c), userOf(c).ID, gid, wid); err != nil {
		h.fail(c, err)
		return
	}
	h.redirect(c, fmt.Sprintf("/admin/groups/%d", gid), "Added to the group.")
}

// removeMember is POST /admin/groups/:id/members/:worker/remove.
func (h *Console) removeMember(c *gin.Context) {
	h.groupAction(c, "worker", func(ctx context.Context, gid, wid int64) (string, error) {
		return "Removed from the group.", h.db.RemoveGroupMember(ctx, scopeOf(c), userOf(c).ID, gid, wid)
	})
}

// withdrawMessage is POST /admin/groups/:id/messages/:msg/withdraw: the
// message's copies not yet sent are stopped.
func (h *Console) withdrawMessage(c *gin.Context) {
	h.groupAction(c, "msg", func(ctx context.Context, gid, mid int64) (string, error) {
		n, err := h.db.WithdrawGroupMessageInScope(ctx, scopeOf(c), userOf(c).ID, gid, mid)
		return fmt.Sprintf("Message %d withdrawn: %d members will not get it.", mid, n), err
	})
}

// muteMember is POST /admin/groups/:id/members/:worker/mute: her messages
// to the group are refused for peer.MuteFor, as a mentor's G MUTE.
func (h *Console) muteMember(c *gin.Context) {
	h.groupAction(c, "worker", func(ctx context.Context, gid, wid int64) (string, error) {
		return "Muted in the group for a day.", h.db.MuteGroupMemberInScope(ctx, scopeOf(c), userOf(c).ID, gid, wid, peer.MuteFor)
	})
}

// groupAction reads the group's id and the path id named param (a member, a
// message), runs act on them and returns to the group page with act's
// notice, or shows act's error.
func (h *Console) groupAction(c *gin.Context, param string, act func(ctx context.Context, gid, id int64) (string, error)) {
	gid, ok := h.idParam(c, "id")
	if !ok {
		return
	}
	id, ok := h.idParam(c, param)
	if !ok {
		return
	}
	notice, err := act(c.Request.Context(), gid, id)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.redirect(c, fmt.Sprintf("/admin/groups/%d", gid), notice)
}

// setRelay is POST /admin/groups/:id/relay: relaying of members' G
// messages on, off, or by size (on up to store.RelayLimit members).
func (h *Console) setRelay(c *gin.Context) {
	gid, ok := h.idParam(c, "id")
	if !ok {
		return
	}
	if err := h.db.SetGroupRelay(c.Request.Context(), scopeOf(c), userOf(c).ID, gid, c.PostForm("relay")); err != nil {
		h.fail(c, err)
		return
	}
	h.redirect(c, fmt.Sprintf("/admin/groups/%d", gid), "Relaying set.")
}

// pair is POST /admin/pairs: the mentee's mentor becomes this one.
func (h *Console) pair(c *gin.Context) {
	mentor, ok := h.pick(c, mentorPicker)
	if !ok {
		return
	}
	mentee, ok := h.pick(c, menteePicker)
	if !ok {
		return
	}
	if err := h.db.PairMentor(c.Request.Context(), scopeOf(c), userOf(c).ID, mentor, mentee); err != nil {
		h.fail(c, err)
		return
	}
	h.redirect(c, "/admin/groups", "Paired.")
}

// unpair is POST /admin/pairs/remove.
func (h *Console) unpair(c *gin.Context) {
	mentor, ok := h.formID(c, "mentor_id", "Choose a mentor.")
	if !ok {
		return
	}
	mentee, ok := h.formID(c, "mentee_id", "Choose a nurse.")
	if !ok {
		return
	}
	if err := h.db.UnpairMentor(c.Request.Context(), scopeOf(c), userOf(c).ID, mentor, mentee); err != nil {
		h.fail(c, err)
		return
	}
	h.redirect(c, "/admin/groups", "Pair removed.")
}
