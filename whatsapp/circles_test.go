package whatsapp

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/peer"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
	"github.com/chanjo-health/chanjo/whatsapp/cloudapi"
	"github.com/chanjo-health/chanjo/whatsapp/fakegraph"
)

// countingClient counts the groups created through it: a second click must create none.
type countingClient struct {
	*cloudapi.Client
	created atomic.Int32
	// request is the id of the last create request.
	request atomic.Value
}

func (c *countingClient) CreateGroup(ctx context.Context, subject, description string) (string, error) {
	c.created.Add(1)
	req, err := c.Client.CreateGroup(ctx, subject, description)
	c.request.Store(req)
	return req, err
}

// circleRig is a mentor circle of 7 (the mentor and 6 mentees) on the fakes: the mentor and 4
// mentees on WhatsApp (chose it and wrote), 2 mentees on SMS only; the webhooks go through the real
// router, signed, to the inbox with Circles.
type circleRig struct {
	*sendRig
	client  *countingClient
	circles *Circles
	mentor  store.Worker
	wa, sms []store.Worker
}

func newCircleRig(t *testing.T, db *store.DB) *circleRig {
	ctx := context.Background()
	r := &sendRig{t: t, db: db, hooks: newWebhookHarness(t, db), now: time.Now().UTC().Truncate(time.Second)}
	app := httptest.NewServer(r.hooks.router)
	t.Cleanup(app.Close)
	r.fake = fakegraph.New(fakegraph.Config{PhoneNumberID: "PNID", Token: "T", AppSecret: testSecret, WebhookURL: app.URL + "/whatsapp",
		Templates: []string{"chanjo_nudge/en", "chanjo_group_message/en", "group_invite_link/en"}})
	t.Cleanup(r.fake.Close)
	r.fake.SetClock(r.clock)
	db.Now = r.clock
	client := &countingClient{Client: cloudapi.New(cloudapi.Config{BaseURL: r.fake.URL(), PhoneNumberID: "PNID", Token: "T"})}
	pack, err := lessons.Default()
	if err != nil {
		t.Fatal(err)
	}
	r.disp = NewDispatcher(db, client, DispatcherConfig{Templates: pack.Settings.WhatsAppTemplates, SendTimeout: time.Second})
	r.disp.Now = r.clock
	c := &circleRig{sendRig: r, client: client, circles: NewCircles(db, client, slog.New(slog.DiscardHandler))}
	c.circles.Now = r.clock
	r.hooks.inbox.Circles = c.circles
	for i := range 7 {
		w, err := db.Register(ctx, store.Registration{Phone: fmt.Sprintf("+2547110002%02d", i), Name: fmt.Sprintf("Nurse %d", i),
			Language: "en", FacilityCode: "12345", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case i == 0:
			storetest.Mentors(t, db, w.ID)
			c.mentor = w
		default:
			storetest.Pair(t, db, c.mentor.ID, w.ID, r.clock())
		}
		if i < 5 {
			if err := db.SetWorkerChannel(ctx, w.ID, store.ChannelWhatsApp); err != nil {
				t.Fatal(err)
			}
			r.fake.Inbound(digits(w.Phone), "Habari")
			c.wa = append(c.wa, w)
		} else {
			c.sms = append(c.sms, w)
		}
	}
	r.settle()
	return c
}

func digits(phone string) string { return strings.TrimPrefix(phone, "+") }

// smsTo returns the bodies of the SMS queued to phone, marked sent as the SMS dispatcher would
// (the others are released).
func (c *circleRig) smsTo(phone string) []string {
	c.t.Helper()
	ctx := context.Background()
	l, err := c.db.Claim(ctx, store.ClaimOptions{Owner: "sms", Limit: 100, Lease: time.Minute, Channel: store.ChannelSMS})
	if err != nil {
		c.t.Fatal(err)
	}
	var out []string
	var done []store.Result
	for _, m := range l.Msgs {
		if m.Phone == phone {
			out = append(out, m.Body)
			done = append(done, store.Result{ID: m.ID, Status: store.OutAccepted, GatewayID: fmt.Sprint("sms-", m.ID)})
		}
	}
	if err := c.db.Finish(ctx, "sms", done); err != nil {
		c.t.Fatal(err)
	}
	if _, err := c.db.Release(ctx, "sms", ""); err != nil {
		c.t.Fatal(err)
	}
	return out
}

// bySMS hands w's SMS text to the peer relay as the SMS handler does, and returns the answer.
func (c *circleRig) bySMS(w store.Worker, text, id string) string {
	c.t.Helper()
	cmd, ok := peer.Parse(text)
	if !ok {
		c.t.Fatalf("peer.Parse(%q) = not a group command", text)
	}
	full, err := c.db.WorkerByPhone(context.Background(), w.Phone)
	if err != nil {
		c.t.Fatal(err)
	}
	var answer string
	err = c.db.Tx(context.Background(), func(tx *store.Tx) error {
		answer, err = peer.Handle(context.Background(), c.db, tx, peer.Received{Command: cmd, From: full, Source: store.ChannelSMS, Key: "sms:" + id})
		return err
	})
	if err != nil {
		c.t.Fatal(err)
	}
	return answer
}

// create asks for the mentor's circle group and applies Meta's group_create webhook: the circle
// as it then is, active.
func (c *circleRig) create() store.Circle {
	c.t.Helper()
	ctx := context.Background()
	if _, err := c.circles.Create(ctx, store.Scope{Admin: true}, 0, c.mentor.ID); err != nil {
		c.t.Fatal(err)
	}
	c.settle()
	circle, err := c.db.CircleOfMentor(ctx, c.mentor.ID)
	if err != nil || circle.State != store.CircleActive {
		c.t.Fatalf("circle after group_create = %+v, %v; want active", circle, err)
	}
	return circle
}

// states returns the circle's members' join states by name.
func (c *circleRig) states() map[string]store.JoinState {
	c.t.Helper()
	circle, err := c.db.CircleOfMentor(context.Background(), c.mentor.ID)
	if err != nil {
		c.t.Fatal(err)
	}
	out := map[string]store.JoinState{}
	for _, m := range circle.Members {
		out[m.Name] = m.State
	}
	return out
}

// groupParam returns the group_id parameter of an invite template.
func groupParam(t *testing.T, m fakegraph.Message) string {
	t.Helper()
	var body struct {
		Template struct {
			Components []struct {
				Parameters []struct {
					Type    string `json:"type"`
					GroupID string `json:"group_id"`
				} `json:"parameters"`
			} `json:"components"`
		} `json:"template"`
	}
	if err := json.Unmarshal(m.Body, &body); err != nil || len(body.Template.Components) == 0 || len(body.Template.Components[0].Parameters) == 0 {
		t.Fatalf("invite %s: no parameter (%v)", m.Body, err)
	}
	return body.Template.Components[0].Parameters[0].GroupID
}

// Must-show 5: a WhatsApp group for a circle of 7 (mentor and 6 mentees, 5 on WhatsApp) is created
// on the fake once however often the console asks, the invites go (the group-invite template to the
// 5 on WhatsApp, the link by SMS to the 2 SMS-only), joins are tracked; a WhatsApp member's text and
// photo reach the 2 SMS-only members once each though the webhook comes twice; an SMS member's
// message appears in the group, as text while its window is open and as the group template after;
// a join the full group refuses is reported to the mentor once.
func TestCircleGroupBridge(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newCircleRig(t, db)

		circle, err := c.circles.Create(ctx, store.Scope{Admin: true}, 0, c.mentor.ID)
		if err != nil || circle.State != store.CircleCreating {
			t.Fatalf("Create = %+v, %v; want creating", circle, err)
		}
		if again, err := c.circles.Create(ctx, store.Scope{Admin: true}, 0, c.mentor.ID); err != nil || again.ID != circle.ID {
			t.Errorf("second Create = %+v, %v; want the same circle", again, err)
		}
		c.settle() // Meta's group_create webhook
		if circle, err = db.CircleOfMentor(ctx, c.mentor.ID); err != nil || circle.State != store.CircleActive || circle.GroupID == "" || circle.InviteLink == "" {
			t.Fatalf("circle after group_create = %+v, %v", circle, err)
		}
		if again, err := c.circles.Create(ctx, store.Scope{Admin: true}, 0, c.mentor.ID); err != nil || again.GroupID != circle.GroupID {
			t.Errorf("Create after group_create = %+v, %v; want the same group", again, err)
		}
		if n := c.client.created.Load(); n != 1 {
			t.Errorf("groups created on the Graph API = %d, want 1", n)
		}
		if len(circle.Members) != 7 {
			t.Fatalf("circle members = %d, want 7", len(circle.Members))
		}

		// Invites: the template to the 5 on WhatsApp, the link by SMS to the 2 others.
		c.once()
		c.settle()
		for _, w := range c.wa {
			sent := c.sentTo(w.Phone)
			if len(sent) != 1 || templateOf(t, sent[0]) != "group_invite_link/en" || groupParam(t, sent[0]) != circle.GroupID {
				t.Errorf("%s got %d WhatsApp messages, want the group-invite template naming the group", w.Name, len(sent))
			}
		}
		for _, w := range c.sms {
			got := c.smsTo(w.Phone)
			if len(got) != 1 || !strings.Contains(got[0], circle.InviteLink) {
				t.Errorf("SMS to %s = %q, want one invite with the link", w.Name, got)
			}
			if sent := c.sentTo(w.Phone); len(sent) != 0 {
				t.Errorf("SMS-only %s got %d WhatsApp messages", w.Name, len(sent))
			}
		}

		// Joins are tracked from the webhooks.
		for _, w := range c.wa {
			if err := c.fake.JoinGroup(circle.InviteLink, digits(w.Phone)); err != nil {
				t.Fatal(err)
			}
		}
		c.settle()
		states := c.states()
		for _, w := range c.wa {
			if states[w.Name] != store.JoinJoined {
				t.Errorf("%s: %q, want joined", w.Name, states[w.Name])
			}
		}
		for _, w := range c.sms {
			if states[w.Name] != store.JoinInvited {
				t.Errorf("%s: %q, want invited", w.Name, states[w.Name])
			}
		}

		// A WhatsApp member's text and photo in the group reach the 2 SMS-only members, once each
		// though every webhook comes twice.
		c.fake.SetChaos(fakegraph.Chaos{Duplicates: true})
		c.fake.GroupInbound(circle.GroupID, digits(c.wa[1].Phone), "text", "Who has BCG diluent to spare?")
		c.fake.GroupInbound(circle.GroupID, digits(c.wa[2].Phone), "image", "Fridge chart")
		c.settle()
		c.fake.SetChaos(fakegraph.Chaos{})
		for _, w := range c.sms {
			// The fake posts the two webhooks at once: either may be applied first.
			want := []string{"Nurse 1 (WhatsApp): Who has BCG diluent to spare?", "Nurse 2 shared a photo: Fridge chart"}
			got := c.smsTo(w.Phone)
			slices.Sort(got)
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("SMS to %s = %q, want %q", w.Name, got, want)
			}
		}
		for _, w := range c.wa {
			if got := c.smsTo(w.Phone); len(got) != 0 {
				t.Errorf("WhatsApp member %s got the group's messages by SMS: %q", w.Name, got)
			}
		}

		// An SMS member's message appears in the group: text while the group's window is open...
		if answer := c.bySMS(c.sms[0], "G I have two vials", "s1"); !strings.Contains(answer, "WhatsApp group") {
			t.Errorf("answer to the SMS member = %q, want sent to the group", answer)
		}
		c.bySMS(c.sms[0], "G I have two vials", "s1") // the same SMS again: posted once
		if n, err := c.circles.PostOnce(ctx); err != nil || n != 1 {
			t.Fatalf("PostOnce = %d, %v; want 1", n, err)
		}
		posted := c.sentTo(circle.GroupID)
		if len(posted) != 1 || posted[0].Type != "text" || !strings.Contains(string(posted[0].Body), "Nurse 5 (SMS): I have two vials") ||
			!strings.Contains(string(posted[0].Body), `"recipient_type":"group"`) {
			t.Fatalf("posted in the group = %+v, want Nurse 5's text", posted)
		}
		// ... and the group template once no member wrote for 24 hours.
		c.advance(Window + time.Hour)
		c.bySMS(c.sms[1], "G Thanks", "s2")
		if _, err := c.circles.PostOnce(ctx); err != nil {
			t.Fatal(err)
		}
		if posted = c.sentTo(circle.GroupID); len(posted) != 2 || templateOf(t, posted[1]) != "chanjo_group_message/en" ||
			!strings.Contains(string(posted[1].Body), "Nurse 6 (SMS): Thanks") {
			t.Errorf("posted after the window closed = %d messages, want the group template with Nurse 6's text", len(posted))
		}

		// The link passed on: three strangers fill the group to 8; the join of the SMS member who
		// then opens the link is refused, and the mentor is told, once though the webhook comes twice.
		for i := range 3 {
			if err := c.fake.JoinGroup(circle.InviteLink, fmt.Sprintf("25479900000%d", i)); err != nil {
				t.Fatal(err)
			}
		}
		c.fake.SetChaos(fakegraph.Chaos{Duplicates: true})
		if err := c.fake.JoinGroup(circle.InviteLink, digits(c.sms[1].Phone)); err == nil {
			t.Fatal("the fake let a ninth participant in")
		}
		c.settle()
		c.fake.SetChaos(fakegraph.Chaos{})
		if got := c.states()[c.sms[1].Name]; got != store.JoinRefused {
			t.Errorf("refused member's state = %q, want refused", got)
		}
		reports := storetest.Bodies(storetest.OutWhere(t, db, func(o storetest.Out) bool {
			return o.Phone == c.mentor.Phone && o.Channel == store.ChannelWhatsApp && strings.Contains(o.Body, "could not join")
		}))
		if len(reports) != 1 || !strings.Contains(reports[0], "Nurse 6 could not join your circle's WhatsApp group: it is full (8 people)") {
			t.Errorf("reports to the mentor (on WhatsApp, her channel) = %q, want one naming Nurse 6", reports)
		}
	})
}

// A member a mentor muted (G MUTE: a day) posts nothing to her circle's WhatsApp group either: her
// G gets the muted member's answer, and the group gets nothing.
func TestCircleMutedMember(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newCircleRig(t, db)
		circle := c.create()
		group := storetest.Group(t, db, "Kisumu", c.clock(), c.mentor.ID, c.sms[0].ID)
		err := db.Tx(ctx, func(tx *store.Tx) error {
			_, err := db.MuteGroupMember(ctx, tx, c.mentor.ID, group, c.sms[0].Phone, peer.MuteFor)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if answer := c.bySMS(c.sms[0], "G I have two vials", "m1"); !strings.Contains(answer, "paused your messages to Kisumu") {
			t.Errorf("answer to the muted member = %q, want the muted member's answer", answer)
		}
		if n, err := c.circles.PostOnce(ctx); err != nil || n != 0 {
			t.Errorf("PostOnce = %d, %v; want nothing to post", n, err)
		}
		if posted := c.sentTo(circle.GroupID); len(posted) != 0 {
			t.Errorf("posted in the group = %d messages, want none from a muted member", len(posted))
		}
		// The day over, her messages reach the group again.
		c.advance(peer.MuteFor + time.Minute)
		c.bySMS(c.sms[0], "G I have two vials", "m2")
		if n, err := c.circles.PostOnce(ctx); err != nil || n != 1 {
			t.Errorf("PostOnce after the mute = %d, %v; want 1", n, err)
		}
	})
}

// crashingClient stands for a process that dies in the middle of posting: its Send never returns.
type crashingClient struct{ GroupClient }

func (crashingClient) Send(context.Context, cloudapi.Message) (cloudapi.Sent, error) {
	panic("the process died mid-send")
}

// A post whose sender died mid-send is not left unsent: another process posts it once the dead
// one's lease is over, and not before (while it might still be sending it).
func TestCirclePostOfADeadProcess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newCircleRig(t, db)
		circle := c.create()
		if err := c.fake.JoinGroup(circle.InviteLink, digits(c.wa[0].Phone)); err != nil {
			t.Fatal(err)
		}
		c.settle()
		c.bySMS(c.sms[0], "G I have two vials", "d1")
		dead := NewCircles(db, crashingClient{c.client}, slog.New(slog.DiscardHandler))
		dead.Now = c.clock
		func() {
			defer func() { _ = recover() }()
			_, _ = dead.PostOnce(ctx)
			t.Fatal("the crashing client returned")
		}()
		if n, err := c.circles.PostOnce(ctx); err != nil || n != 0 {
			t.Errorf("PostOnce while the post may still be in flight = %d, %v; want 0", n, err)
		}
		c.advance(time.Hour)
		if n, err := c.circles.PostOnce(ctx); err != nil || n != 1 {
			t.Errorf("PostOnce after the dead process's lease = %d, %v; want 1", n, err)
		}
		if posted := c.sentTo(circle.GroupID); len(posted) != 1 || !strings.Contains(string(posted[0].Body), "I have two vials") {
			t.Errorf("posted in the group = %d messages, want the dead process's post once", len(posted))
		}
	})
}

// A post the group cannot take yet (no one has joined: 131020) is tried again with backoff and
// posted once someone joined; one that still fails a day after her SMS ends failed, its reason
// kept for the circle page.
func TestCirclePostRetries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newCircleRig(t, db)
		circle := c.create()
		c.bySMS(c.sms[0], "G Anyone here?", "r1")
		if n, err := c.circles.PostOnce(ctx); err != nil || n != 1 {
			t.Fatalf("PostOnce = %d, %v; want 1 tried", n, err)
		}
		c.advance(25 * time.Hour) // past the horizon: the next failure is the last
		if _, err := c.circles.PostOnce(ctx); err != nil {
			t.Fatal(err)
		}
		failed, err := db.FailedCirclePosts(ctx, circle.ID)
		if err != nil || len(failed) != 1 || !strings.Contains(failed[0].Failure, "131020") || failed[0].Sender != c.sms[0].Name {
			t.Fatalf("failed posts = %+v, %v; want Nurse 5's with code 131020", failed, err)
		}

		c.bySMS(c.sms[1], "G I have two vials", "r2")
		if _, err := c.circles.PostOnce(ctx); err != nil {
			t.Fatal(err)
		}
		if err := c.fake.JoinGroup(circle.InviteLink, digits(c.wa[0].Phone)); err != nil {
			t.Fatal(err)
		}
		c.settle()
		if n, err := c.circles.PostOnce(ctx); err != nil || n != 0 {
			t.Errorf("PostOnce before the backoff = %d, %v; want 0", n, err)
		}
		c.advance(2 * time.Minute)
		if n, err := c.circles.PostOnce(ctx); err != nil || n != 1 {
			t.Errorf("PostOnce after the backoff = %d, %v; want 1", n, err)
		}
		if posted := c.sentTo(circle.GroupID); len(posted) != 1 || !strings.Contains(string(posted[0].Body), "Nurse 6 (SMS): I have two vials") {
			t.Errorf("posted in the group = %d messages, want Nurse 6's once", len(posted))
		}
		if failed, _ := db.FailedCirclePosts(ctx, circle.ID); len(failed) != 1 {
			t.Errorf("failed posts = %d, want only the first", len(failed))
		}

		// The supervisor reposts the failed one (twice: one post); a day after her SMS, it goes now
		// that someone joined.
		for range 2 {
			if _, err := db.RepostCirclePost(ctx, store.Scope{Admin: true}, 0, c.mentor.ID, failed[0].ID); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := c.circles.PostOnce(ctx); err != nil || n != 1 {
			t.Errorf("PostOnce after the repost = %d, %v; want 1", n, err)
		}
		if posted := c.sentTo(circle.GroupID); len(posted) != 2 || !strings.Contains(string(posted[1].Body), "Nurse 5 (SMS): Anyone here?") {
			t.Errorf("posted in the group = %d messages, want Nurse 5's reposted once after Nurse 6's", len(posted))
		}
		if failed, _ := db.FailedCirclePosts(ctx, circle.ID); len(failed) != 0 {
			t.Errorf("failed posts after the repost = %d, want none", len(failed))
		}
	})
}
