package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"time"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/phone"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/whatsapp/cloudapi"
)

// GroupClient is what mentor circles need of the Cloud API; *cloudapi.Client is one.
type GroupClient interface {
	Sender
	CreateGroup(ctx context.Context, subject, description string) (string, error)
	RemoveParticipants(ctx context.Context, groupID string, users ...string) error
}

// InviteTemplate is the pack's template kind of the Template Library's group invite
// (whatsapp-api.md §5.3): its one parameter is the group's id, which Meta turns into the link.
const InviteTemplate = "group_invite"

// circlePostBatch is how many SMS members' posts one round sends to their groups.
const circlePostBatch = 20

// circleSendTimeout bounds one request to post in a group (a post makes at most two).
const circleSendTimeout = 20 * time.Second

// circlePostLease is how long a round's posts stay its process's: longer than the round's requests
// can take, so that a live process's posts are never claimed by another; a dead process's come back
// sooner, when its heartbeat stops (store.ReapDead).
const circlePostLease = circlePostBatch*2*circleSendTimeout + time.Minute

// The waits before a failed post is tried again: circleBackoff after the first failure, twice as
// long after each further one, at most circleBackoffMax.
const (
	circleBackoff    = time.Minute
	circleBackoffMax = time.Hour
)

// Circles runs the real WhatsApp groups of mentor circles (GROUPS_ENABLED=1): it creates a circle's
// group and invites its members, follows their joins and leaves from the group webhooks, and bridges
// the group and the circle's SMS-only members both ways (docs/whatsapp.md, "Mentor circles").
type Circles struct {
	// Pack words every message (messages-circles keys) and names the templates; nil is the embedded pack.
	Pack *lessons.Pack
	// Now is the clock of the group's window; tests replace it.
	Now func() time.Time
	Log *slog.Logger
	// Owner is the process identity the posts' leases name (store.NewProcessID, the heartbeat's).
	Owner string
	// RetryFor is how long after her SMS a post that failed for a reason that may pass is tried
	// again (SMS_RETRY_REPLY, as her SMS replies): past it the post ends failed.
	RetryFor time.Duration

	db     *store.DB
	client GroupClient
}

// NewCircles returns the mentor circles' groups on db through client.
func NewCircles(db *store.DB, client GroupClient, log *slog.Logger) *Circles {
	return &Circles{db: db, client: client, Now: time.Now, Log: log.With("component", "whatsapp"),
		Owner: store.NewProcessID(), RetryFor: 24 * time.Hour}
}

func (c *Circles) pack() (*lessons.Pack, error) {
	if c.Pack != nil {
		return c.Pack, nil
	}
	return lessons.Default()
}

// Create asks the Graph API for the mentor's circle group and keeps the request's id: Meta
// creates the group asynchronously, and its group_create webhook (answered) records the group with
// its invite link and queues the invites; a webhook that came before the answer is applied here.
// The mentor must be inside the scope; a circle that has its group (or is being given one) gets no
// second one. It returns the circle as it now is.
func (c *Circles) Create(ctx context.Context, sc store.Scope, userID, mentorID int64) (store.Circle, error) {
	id, fresh, err := c.db.BeginCircleGroup(ctx, sc, userID, mentorID)
	if err != nil || !fresh {
		if err != nil {
			return store.Circle{}, err
		}
		return c.db.CircleOfMentor(ctx, mentorID)
	}
	circle, err := c.db.CircleOfMentor(ctx, mentorID)
	if err != nil {
		return store.Circle{}, err
	}
	p, err := c.pack()
	if err != nil {
		return store.Circle{}, err
	}
	mentor := circle.Members[0]
	req, err := c.client.CreateGroup(ctx, p.Say(mentor.Language, "circles.subject", "mentor", mentor.Name),
		p.Say(mentor.Language, "circles.description", "mentor", mentor.Name))
	if err != nil {
		if ferr := c.db.FailCircleGroup(context.WithoutCancel(ctx), c.db, id, err.Error()); ferr != nil {
			return store.Circle{}, ferr
		}
		return store.Circle{}, fmt.Errorf("whatsapp: create the circle group of worker %d: %w", mentorID, err)
	}
	c.Log.Info("circle group asked for", "mentor_id", mentorID, "request", req)
	// Meta has the request: what it answers must find the circle even if the console went away.
	bg := context.WithoutCancel(ctx)
	err = c.db.Tx(bg, func(tx *store.Tx) error {
		answer, answered, err := c.db.RecordCircleRequest(bg, tx, id, req)
		if err != nil || !answered {
			return err
		}
		return c.created(bg, tx, p, circle, answer)
	})
	if err != nil {
		return store.Circle{}, err
	}
	return c.db.CircleOfMentor(ctx, mentorID)
}

// answered applies a group_create webhook to the circle whose request it names. A second webhook
// for the request changes nothing; one for a request no circle made (yet) is logged, and kept for
// a create whose answer it overtook (RecordCircleRequest).
func (c *Circles) answered(ctx context.Context, tx *store.Tx, p *lessons.Pack, e cloudapi.GroupEvent) error {
	a := store.CircleAnswer{RequestID: e.RequestID, GroupID: e.GroupID, InviteLink: e.InviteLink}
	switch {
	case len(e.Errors) > 0:
		a.Failure = fmt.Sprintf("code %d %s", e.Errors[0].Code, e.Errors[0].Message)
	case e.GroupID == "":
		a.Failure = "no group id in Meta's group_create"
	}
	if a.RequestID == "" {
		c.Log.Warn("group_create without a request id ignored", "group", e.GroupID)
		return nil
	}
	circle, ok, err := c.db.AnswerCircleRequest(ctx, tx, a)
	if err != nil || !ok {
		if err == nil {
			c.Log.Info("group_create of no circle's request, or answered before, ignored", "request", e.RequestID, "group", e.GroupID)
		}
		return err
	}
	return c.created(ctx, tx, p, circle, a)
}

// created applies Meta's answer to the request for circle's group, in tx: a refusal fails the
// creation (a click tries again); the group is recorded with its invite link, every member marked
// invited and the invites queued: the group-invite template to those on WhatsApp, the link by SMS
// to the others. A circle no longer being created is left as it is.
func (c *Circles) created(ctx context.Context, tx *store.Tx, p *lessons.Pack, circle store.Circle, a store.CircleAnswer) error {
	if circle.State != store.CircleCreating {
		return nil
	}
	if a.Failure != "" {
		c.Log.Warn("circle group not created", "circle", circle.ID, "reason", a.Failure)
		return c.db.FailCircleGroup(ctx, tx, circle.ID, a.Failure)
	}
	mentor := circle.Members[0]
	ids := make([]int64, len(circle.Members))
	invites := make([]store.Outgoing, len(circle.Members))
	_, hasInvite := p.Settings.WhatsAppTemplates[InviteTemplate]
	for i, m := range circle.Members {
		ids[i] = m.WorkerID
		invites[i] = store.Outgoing{DedupeKey: "circle-invite:" + a.GroupID + ":" + strconv.FormatInt(m.WorkerID, 10),
			Kind: store.KindNudge, Phone: m.Phone, WorkerID: m.WorkerID, Channel: store.ChannelSMS,
			Body: p.Say(m.Language, "circles.invite", "mentor", mentor.Name, "link", a.InviteLink)}
		if m.Channel == store.ChannelWhatsApp && hasInvite {
			invites[i].Channel, invites[i].Body, invites[i].WAContent = store.ChannelWhatsApp, a.GroupID, store.WAGroupInvite
		}
	}
	done, err := c.db.ActivateCircleGroup(ctx, tx, circle.ID, a.GroupID, a.InviteLink, ids, invites)
	if done {
		c.Log.Info("circle group created", "mentor_id", circle.MentorID, "group", a.GroupID, "members", len(ids))
	}
	return err
}

// apply acts, in the transaction that applies a webhook, on its group events and the messages
// posted in groups: each exactly once, as the webhook is (a duplicate delivery is another inbox
// row, whose copies the outbox's dedupe keys and the join states' guards drop).
func (c *Circles) apply(ctx context.Context, tx *store.Tx, events []cloudapi.GroupEvent, msgs []cloudapi.Inbound) error {
	p, err := c.pack()
	if err != nil {
		return err
	}
	for _, e := range events {
		if err := c.event(ctx, tx, p, e); err != nil {
			return err
		}
	}
	for _, m := range msgs {
		if err := c.bridge(ctx, tx, p, m); err != nil {
			return err
		}
	}
	return nil
}

// member returns the circle member whose WhatsApp number is digits, and false for anyone else
// (a stranger the link was passed to).
func member(circle store.Circle, digits string) (store.CircleMember, bool) {
	p, err := phone.Normalize("+" + digits)
	if err != nil {
		return store.CircleMember{}, false
	}
	for _, m := range circle.Members {
		if m.Phone == p {
			return m, true
		}
	}
	return store.CircleMember{}, false
}

// event applies a group webhook: a group_create (answered), or the join states a participants
// webhook reports; a join refused (the group is full) is told to the mentor, on her channel.
func (c *Circles) event(ctx context.Context, tx *store.Tx, p *lessons.Pack, e cloudapi.GroupEvent) error {
	if e.Type == "group_create" {
		return c.answered(ctx, tx, p, e)
	}
	circle, err := c.db.CircleByGroup(ctx, tx, e.GroupID)
	if errors.Is(err, store.ErrNotFound) {
		c.Log.Info("group event of no circle skipped", "type", e.Type)
		return nil
	}
	if err != nil {
		return err
	}
	mentor := circle.Members[0]
	// set records the state of each participant of list: a member's join state, and for a stranger
	// (none: not tracked) her state; a member's refused join and a stranger's first join are told
	// to the mentor, on her channel.
	set := func(list []cloudapi.Participant, state store.JoinState, stranger store.StrangerState, reason func(cloudapi.Participant) string) error {
		for _, x := range list {
			m, ok := member(circle, x.Digits())
			if !ok {
				if err := c.stranger(ctx, tx, p, circle, x.Digits(), stranger); err != nil {
					return err
				}
				continue
			}
			changed, err := c.db.SetCircleMemberState(ctx, tx, circle.ID, m.WorkerID, state, reason(x))
			if err != nil || !changed || state != store.JoinRefused {
				if err != nil {
					return err
				}
				continue
			}
			_, err = c.db.Enqueue(ctx, tx, store.Outgoing{Kind: store.KindNudge, Phone: mentor.Phone, WorkerID: mentor.WorkerID,
				DedupeKey: fmt.Sprintf("circle-refused:%d:%d:%d", circle.ID, m.WorkerID, c.Now().UnixNano()),
				Body:      p.Say(mentor.Language, "circles.refused", "name", m.Name, "limit", 8)})
			if err != nil {
				return err
			}
		}
		return nil
	}
	switch e.Type {
	case "group_participants_add":
		if err := set(e.Added, store.JoinJoined, store.StrangerJoined, func(cloudapi.Participant) string { return e.Reason }); err != nil {
			return err
		}
		return set(e.Failed, store.JoinRefused, "", func(x cloudapi.Participant) string { return "code " + strconv.Itoa(x.ErrorCode()) })
	case "group_participants_remove":
		gone := store.StrangerLeft
		if e.InitiatedBy == "business" {
			gone = store.StrangerRemoved
		}
		return set(e.Removed, store.JoinLeft, gone, func(cloudapi.Participant) string { return e.InitiatedBy })
	}
	return nil
}

// stranger records the state of waID, a participant of the circle's group who is neither the
// mentor nor a mentee (the link was passed on); "" tracks nothing (a stranger's join the full group
// refused). The first time she joins, the mentor is told, once, on her channel.
func (c *Circles) stranger(ctx context.Context, tx *store.Tx, p *lessons.Pack, circle store.Circle, waID string, state store.StrangerState) error {
	if state == "" || waID == "" {
		return nil
	}
	first, err := c.db.SetStranger(ctx, tx, circle.ID, waID, state)
	if err != nil || !first {
		return err
	}
	mentor := circle.Members[0]
	c.Log.Info("a stranger joined a circle group", "circle", circle.ID, phone.LogKey, phone.Mask("+"+waID))
	_, err = c.db.Enqueue(ctx, tx, store.Outgoing{Kind: store.KindNudge, Phone: mentor.Phone, WorkerID: mentor.WorkerID,
		DedupeKey: fmt.Sprintf("circle-stranger:%d:%s", circle.ID, waID),
		Body:      p.Say(mentor.Language, "circles.stranger", "number", "+"+waID)})
	return err
}

// RemoveStranger removes from the mentor's circle group, through the Graph API, a stranger who
// joined it by the link; she can never join again by it. The mentor must be inside the scope and
// the number a stranger seen in her group (else store.ErrNotFound); false when she is no longer in
// the group (left, or removed already: a second click asks Meta nothing).
func (c *Circles) RemoveStranger(ctx context.Context, sc store.Scope, userID, mentorID int64, waID string) (bool, error) {
	circle, group, state, err := c.db.StrangerInCircle(ctx, sc, mentorID, waID)
	if err != nil || state != store.StrangerJoined {
		return false, err
	}
	if err := c.client.RemoveParticipants(ctx, group, "+"+waID); err != nil {
		return false, fmt.Errorf("whatsapp: remove a stranger from circle %d: %w", circle, err)
	}
	if err := c.db.RemovedStranger(context.WithoutCancel(ctx), userID, circle, waID); err != nil {
		return false, err
	}
	c.Log.Info("a stranger removed from a circle group", "circle", circle, phone.LogKey, phone.Mask("+"+waID))
	return true, nil
}

// bridge sends a message posted in a circle's group to the circle's SMS-only members who are not in
// the group, prefixed with the sender's name: a text as it is, a photo or document as a short
// description. Each copy is keyed by the message's wamid, so a webhook delivered twice sends none
// twice; quiet hours and opt-outs hold at the outbox's claim as for any SMS.
func (c *Circles) bridge(ctx context.Context, tx *store.Tx, p *lessons.Pack, m cloudapi.Inbound) error {
	circle, err := c.db.CircleByGroup(ctx, tx, m.GroupID)
	if errors.Is(err, store.ErrNotFound) {
		c.Log.Info("group message of no circle skipped", "type", m.Type)
		return nil
	}
	if err != nil {
		return err
	}
	if at, err := cloudapi.ParseTime(m.Timestamp); err == nil {
		if err := c.db.TouchCircleWindow(ctx, tx, circle.ID, at); err != nil {
			return err
		}
	}
	sender, known := member(circle, m.From)
	var out []store.Outgoing
	for _, r := range circle.Members {
		if r.Channel != store.ChannelSMS || r.State == store.JoinJoined || (known && r.WorkerID == sender.WorkerID) {
			continue
		}
		name := sender.Name
		if !known {
			name = p.Say(r.Language, "circles.someone")
		}
		var body string
		switch {
		case m.Text != nil:
			body = p.Say(r.Language, "circles.relay", "name", name, "text", m.Text.Body)
		case m.Image != nil:
			body = p.Say(r.Language, "circles.photo", "name", name, "caption", m.Image.Caption)
		case m.Document != nil:
			body = p.Say(r.Language, "circles.document", "name", name, "caption", m.Document.Caption)
		default:
			c.Log.Info("group message not bridged: its type has no SMS form", "type", m.Type)
			return nil
		}
		out = append(out, store.Outgoing{DedupeKey: "circle:" + m.ID + ":" + strconv.FormatInt(r.WorkerID, 10),
			Kind: store.KindNudge, Phone: r.Phone, WorkerID: r.WorkerID, Channel: store.ChannelSMS, Body: body})
	}
	_, err = c.db.Enqueue(ctx, tx, out...)
	return err
}

// PostOnce posts in their groups the SMS members' messages queued so far: free-form text while the
// group's window is open, else the pack's group template. A failure that may pass (no answer, a
// throttle, a group no one has joined yet) is tried again with backoff until RetryFor after her
// SMS (or its repost from the console); any other ends the post failed with its reason. It returns how many posts it tried.
func (c *Circles) PostOnce(ctx context.Context) (int, error) {
	posts, err := c.db.ClaimCirclePosts(ctx, store.RowClaim{Owner: c.Owner, Limit: circlePostBatch, Lease: circlePostLease})
	if err != nil {
		return 0, err
	}
	p, err := c.pack()
	if err != nil {
		return 0, err
	}
	for _, post := range posts {
		sent, err := c.post(ctx, p, post)
		bg := context.WithoutCancel(ctx)
		switch {
		case err == nil:
			err = c.db.FinishCirclePost(bg, c.Owner, post.ID, sent.MessageID, "")
		case retryable(err) && c.Now().Before(post.Since().Add(c.RetryFor)):
			c.Log.Warn("circle post not sent, retried", "circle", post.CircleID, "attempts", post.Attempts+1, "err", err)
			err = c.db.RetryCirclePost(bg, c.Owner, post.ID, err.Error(), c.Now().Add(backoff(post.Attempts)))
		default:
			c.Log.Warn("circle post not sent", "circle", post.CircleID, "attempts", post.Attempts+1, "err", err)
			err = c.db.FinishCirclePost(bg, c.Owner, post.ID, "", err.Error())
		}
		if err != nil {
			return 0, err
		}
	}
	return len(posts), nil
}

// post sends one post to its group: text in the window, the group template outside it (or when
// Meta says the window closed meanwhile).
func (c *Circles) post(ctx context.Context, p *lessons.Pack, post store.CirclePost) (cloudapi.Sent, error) {
	msg := cloudapi.Text("", post.Body)
	free := post.LastIn.Valid && c.Now().Sub(post.LastIn.Time) < Window
	t, hasTemplate := p.Settings.WhatsAppTemplates["group"]
	if !free && hasTemplate {
		msg = cloudapi.Template("", t.Name, t.Language.In(post.Language), post.Body)
	}
	sent, err := c.send(ctx, msg.ToGroup(post.GroupID))
	var ce *cloudapi.Error
	if free && hasTemplate && errors.As(err, &ce) && ce.Code == cloudapi.CodeOutsideWindow {
		sent, err = c.send(ctx, cloudapi.Template("", t.Name, t.Language.In(post.Language), post.Body).ToGroup(post.GroupID))
	}
	return sent, err
}

// send makes one request that runs to its end (or circleSendTimeout) even when ctx is cancelled: an
// abandoned request may still have been posted, and the lease must outlast it.
func (c *Circles) send(ctx context.Context, msg cloudapi.Message) (cloudapi.Sent, error) {
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), circleSendTimeout)
	defer cancel()
	return c.client.Send(sctx, msg)
}

// retryable reports whether a failed post may succeed later and was surely not posted: the Graph
// API's retryable errors, an account fault (to be fixed), and a group no one has joined yet (the
// invites are on their way). A request that may have reached Meta (no answer after it was sent, or
// an answer that could not be read) is not tried again: Meta has no idempotency key, and the group
// would read it twice.
func retryable(err error) bool {
	var ce *cloudapi.Error
	if !errors.As(err, &ce) {
		return false
	}
	var op *net.OpError
	switch {
	case ce.Unconfirmed():
		return errors.As(ce.Err, &op) && op.Op == "dial" // the connection never opened
	case ce.Retryable(), ce.AccountFault():
		return true
	}
	return ce.Code == cloudapi.CodeGroupEmpty
}

// backoff is the wait after a post's (attempts+1)-th failure.
func backoff(attempts int) time.Duration {
	wait := circleBackoff << min(attempts, 10)
	return min(wait, circleBackoffMax)
}

// Run posts the SMS members' messages in their groups every poll until ctx ends.
func (c *Circles) Run(ctx context.Context, poll time.Duration) {
	tick := time.NewTicker(poll)
	defer tick.Stop()
	for {
		if _, err := c.PostOnce(ctx); err != nil && ctx.Err() == nil {
			c.Log.Error("circle posts", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
