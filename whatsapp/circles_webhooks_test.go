package whatsapp

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
	"github.com/chanjo-health/chanjo/whatsapp/fakegraph"
)

// groupCreateHook is Meta's group_create webhook for the create request req (whatsapp-api.md §5.7):
// the group and its link, or, with a code, the refusal.
func groupCreateHook(req, group string, code int) []byte {
	event := map[string]any{"type": "group_create", "request_id": req, "group_id": group,
		"invite_link": "https://chat.whatsapp.com/" + group, "subject": "Circle"}
	if code != 0 {
		event = map[string]any{"type": "group_create", "request_id": req,
			"errors": []any{map[string]any{"code": code, "message": "Not eligible", "title": "Not eligible"}}}
	}
	body, _ := json.Marshal(map[string]any{"object": "whatsapp_business_account", "entry": []any{map[string]any{"id": "WABA",
		"changes": []any{map[string]any{"field": "group_lifecycle_update", "value": map[string]any{"messaging_product": "whatsapp",
			"metadata": map[string]any{"phone_number_id": "PNID"}, "groups": []any{event}}}}}}})
	return body
}

// invitesQueued returns how many circle invites are queued, on either channel.
func invitesQueued(t *testing.T, db *store.DB) int {
	t.Helper()
	return len(storetest.OutWhere(t, db, func(o storetest.Out) bool { return strings.HasPrefix(o.DedupeKey, "circle-invite:") }))
}

// Meta creates a group asynchronously: Create keeps the request's id and queues nothing; the
// group_create webhook that names the request makes the circle active with the group and its link
// and queues the 7 invites; the same webhook again, or another for the request, changes nothing;
// one for a request no circle made is ignored.
func TestCircleGroupCreateWebhook(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newCircleRig(t, db)
		asked, err := c.circles.Create(ctx, store.Scope{Admin: true}, 0, c.mentor.ID)
		if err != nil || asked.State != store.CircleCreating || asked.GroupID != "" {
			t.Fatalf("Create = %+v, %v; want creating, no group yet", asked, err)
		}
		req := c.client.request.Load().(string)
		group, link, ok := c.fake.GroupOfRequest(req)
		if !ok {
			t.Fatalf("the fake made no group for request %q", req)
		}
		c.settle()
		circle, err := db.CircleOfMentor(ctx, c.mentor.ID)
		if err != nil || circle.State != store.CircleActive || circle.GroupID != group || circle.InviteLink != link {
			t.Fatalf("circle after group_create = %+v, %v; want active with %s and %s", circle, err, group, link)
		}
		if n := invitesQueued(t, db); n != 7 {
			t.Errorf("invites queued = %d, want 7", n)
		}
		for _, hook := range [][]byte{groupCreateHook(req, group, 0), groupCreateHook(req, "OTHERGROUP", 0),
			groupCreateHook(req, "", 131215), groupCreateHook("REQ-NONE", "STRAYGROUP", 0)} {
			if rec := c.hooks.post(hook, testSecret); rec.Code != 200 {
				t.Fatalf("webhook = %d", rec.Code)
			}
		}
		again, err := db.CircleOfMentor(ctx, c.mentor.ID)
		if err != nil || again.State != store.CircleActive || again.GroupID != group || again.InviteLink != link {
			t.Errorf("circle after the later webhooks = %+v, %v; want unchanged", again, err)
		}
		if n := invitesQueued(t, db); n != 7 {
			t.Errorf("invites queued after the later webhooks = %d, want 7", n)
		}
		if _, err := db.CircleByGroup(ctx, db, "STRAYGROUP"); err == nil {
			t.Error("a group_create of no circle's request was given to a circle")
		}
	})
}

// refusingClient is a Graph API whose creation requests Meta later refuses: its group_create
// webhook carries errors.
type refusingClient struct{ GroupClient }

func (refusingClient) CreateGroup(context.Context, string, string) (string, error) {
	return "REQ-REFUSED", nil
}

// A group_create that carries Meta's refusal (131215: the number may not create groups) fails the
// circle with the code, queues no invite, and the console may ask again.
func TestCircleGroupCreateRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newCircleRig(t, db)
		c.circles.client = refusingClient{c.client}
		if _, err := c.circles.Create(ctx, store.Scope{Admin: true}, 0, c.mentor.ID); err != nil {
			t.Fatal(err)
		}
		c.hooks.post(groupCreateHook("REQ-REFUSED", "", 131215), testSecret)
		circle, err := db.CircleOfMentor(ctx, c.mentor.ID)
		if err != nil || circle.State != store.CircleFailed || !strings.Contains(circle.Failure, "131215") {
			t.Fatalf("circle after the refusal = %+v, %v; want failed with 131215", circle, err)
		}
		if n := invitesQueued(t, db); n != 0 {
			t.Errorf("invites queued = %d, want none", n)
		}
		c.circles.client = c.client
		if again, err := c.circles.Create(ctx, store.Scope{Admin: true}, 0, c.mentor.ID); err != nil || again.State != store.CircleCreating {
			t.Errorf("Create after the refusal = %+v, %v; want creating again", again, err)
		}
	})
}

// A stranger who joins a circle's group by the link (a number neither the mentor's nor a mentee's)
// is tracked from the join webhook and reported once to the mentor on her channel, though the
// webhook comes twice and she leaves and joins again; the console removes another through the
// Groups API (the fake drops her, and she cannot join again by the link), once however often it is
// asked.
func TestCircleStrangers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newCircleRig(t, db)
		circle := c.create()
		c.fake.SetChaos(fakegraph.Chaos{Duplicates: true})
		for _, d := range []string{"254799000001", "254799000002"} {
			if err := c.fake.JoinGroup(circle.InviteLink, d); err != nil {
				t.Fatal(err)
			}
		}
		if err := c.fake.JoinGroup(circle.InviteLink, digits(c.wa[0].Phone)); err != nil {
			t.Fatal(err)
		}
		c.settle()
		c.fake.SetChaos(fakegraph.Chaos{})
		strangers, err := db.CircleStrangers(ctx, circle.ID)
		if err != nil || len(strangers) != 2 || strangers[0].State != store.StrangerJoined || strangers[1].State != store.StrangerJoined {
			t.Fatalf("strangers = %+v, %v; want the 2 numbers joined", strangers, err)
		}
		reports := func() []string {
			return storetest.Bodies(storetest.OutWhere(t, db, func(o storetest.Out) bool {
				return o.Phone == c.mentor.Phone && o.Channel == store.ChannelWhatsApp && strings.Contains(o.Body, "is not in your circle")
			}))
		}
		if got := reports(); len(got) != 2 || !strings.Contains(strings.Join(got, "|"), "+254799000001 joined your circle's WhatsApp group") {
			t.Errorf("reports to the mentor (on WhatsApp) = %q, want one per stranger", got)
		}
		if got := c.states()[c.wa[0].Name]; got != store.JoinJoined {
			t.Errorf("the member's state = %q, want joined (she is no stranger)", got)
		}

		removed, err := c.circles.RemoveStranger(ctx, store.Scope{Admin: true}, 0, c.mentor.ID, "254799000001")
		if err != nil || !removed {
			t.Fatalf("RemoveStranger = %v, %v", removed, err)
		}
		c.settle()
		if again, err := c.circles.RemoveStranger(ctx, store.Scope{Admin: true}, 0, c.mentor.ID, "254799000001"); err != nil || again {
			t.Errorf("second RemoveStranger = %v, %v; want nothing asked", again, err)
		}
		if slices.Contains(c.fake.Participants(circle.GroupID), "254799000001") {
			t.Error("the removed stranger is still in the fake's group")
		}
		if err := c.fake.JoinGroup(circle.InviteLink, "254799000001"); err == nil {
			t.Error("the removed stranger joined again by the link")
		}
		if _, err := c.circles.RemoveStranger(ctx, store.Scope{Admin: true}, 0, c.mentor.ID, "254711000201"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("RemoveStranger of a member = %v, want ErrNotFound", err)
		}
		// The other leaves by herself and comes back: tracked, not reported again.
		c.hooks.post(participantsHook(circle.GroupID, "group_participants_remove", "254799000002", "participant"), testSecret)
		c.hooks.post(participantsHook(circle.GroupID, "group_participants_add", "254799000002", ""), testSecret)
		strangers, _ = db.CircleStrangers(ctx, circle.ID)
		byNumber := map[string]store.StrangerState{}
		for _, s := range strangers {
			byNumber[s.WAID] = s.State
		}
		if byNumber["254799000001"] != store.StrangerRemoved || byNumber["254799000002"] != store.StrangerJoined {
			t.Errorf("strangers = %v, want the first removed, the second joined again", byNumber)
		}
		if got := reports(); len(got) != 2 {
			t.Errorf("reports to the mentor after a stranger came back = %d, want still 2", len(got))
		}
	})
}

// participantsHook is a group_participants_update webhook of typ for the participant waID.
func participantsHook(group, typ, waID, initiatedBy string) []byte {
	list := "added_participants"
	if typ == "group_participants_remove" {
		list = "removed_participants"
	}
	event := map[string]any{"type": typ, "group_id": group, list: []any{map[string]any{"wa_id": waID}}, "initiated_by": initiatedBy}
	body, _ := json.Marshal(map[string]any{"object": "whatsapp_business_account", "entry": []any{map[string]any{"id": "WABA",
		"changes": []any{map[string]any{"field": "group_participants_update", "value": map[string]any{"messaging_product": "whatsapp",
			"metadata": map[string]any{"phone_number_id": "PNID"}, "groups": []any{event}}}}}}})
	return body
}

// overtakenClient is a Graph API whose group_create webhook reaches Chanjo, and is applied, before
// the create request's answer does.
type overtakenClient struct {
	GroupClient
	hooks *webhookHarness
}

func (o overtakenClient) CreateGroup(context.Context, string, string) (string, error) {
	o.hooks.post(groupCreateHook("REQ-FAST", "FASTGROUP", 0), testSecret)
	return "REQ-FAST", nil
}

// A group_create webhook that overtakes the create request's answer is not lost: applied first, it
// is kept, and the answer finds it: the circle is active with its group and the invites are queued,
// once.
func TestCircleGroupCreateWebhookFirst(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newCircleRig(t, db)
		c.circles.client = overtakenClient{GroupClient: c.client, hooks: c.hooks}
		circle, err := c.circles.Create(ctx, store.Scope{Admin: true}, 0, c.mentor.ID)
		if err != nil || circle.State != store.CircleActive || circle.GroupID != "FASTGROUP" || circle.InviteLink != "https://chat.whatsapp.com/FASTGROUP" {
			t.Fatalf("Create after its webhook = %+v, %v; want active with FASTGROUP", circle, err)
		}
		if n := invitesQueued(t, db); n != 7 {
			t.Errorf("invites queued = %d, want 7", n)
		}
		c.hooks.post(groupCreateHook("REQ-FAST", "FASTGROUP", 0), testSecret)
		if n := invitesQueued(t, db); n != 7 {
			t.Errorf("invites queued after the webhook again = %d, want 7", n)
		}
	})
}
