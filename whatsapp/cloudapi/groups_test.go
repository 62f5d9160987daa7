package cloudapi_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/chanjo-health/chanjo/whatsapp/cloudapi"
	"github.com/chanjo-health/chanjo/whatsapp/fakegraph"
)

// The Groups endpoints against the fake: a group is created with its invite link, the link can be
// asked again, a post goes with recipient_type "group", and an interactive message to a group is
// refused before any request.
func TestGroupsClient(t *testing.T) {
	fake := fakegraph.New(fakegraph.Config{PhoneNumberID: "PNID", Token: "T", AppSecret: "s"})
	defer fake.Close()
	c := cloudapi.New(cloudapi.Config{BaseURL: fake.URL(), PhoneNumberID: "PNID", Token: "T"})
	ctx := context.Background()
	g, err := c.CreateGroup(ctx, "Circle of Grace", "Mentor circle")
	if err != nil || g.ID == "" || !strings.HasPrefix(g.InviteLink, "https://chat.whatsapp.com/") {
		t.Fatalf("CreateGroup = %+v, %v", g, err)
	}
	if link, err := c.InviteLink(ctx, g.ID); err != nil || link != g.InviteLink {
		t.Errorf("InviteLink = %q, %v, want %q", link, err, g.InviteLink)
	}
	_, err = c.Send(ctx, cloudapi.Text("", "Karibu").ToGroup(g.ID))
	var ce *cloudapi.Error
	if !errors.As(err, &ce) || ce.Code != cloudapi.CodeGroupEmpty {
		t.Errorf("text to the empty group = %v, want code %d", err, cloudapi.CodeGroupEmpty)
	}
	if err := fake.JoinGroup(g.InviteLink, "254711000001"); err != nil {
		t.Fatal(err)
	}
	fake.GroupInbound(g.ID, "254711000001", "text", "Habari")
	if _, err := c.Send(ctx, cloudapi.Text("", "Karibu").ToGroup(g.ID)); err != nil {
		t.Errorf("text to the group: %v", err)
	}
	sent := fake.Sent()
	if len(sent) != 1 || !strings.Contains(string(sent[0].Body), `"recipient_type":"group"`) {
		t.Errorf("sent = %+v, want one message with recipient_type group", sent)
	}
	list := cloudapi.List("", "Menu", "Open", []cloudapi.Row{{ID: "1", Title: "One"}}).ToGroup(g.ID)
	if _, err := c.Send(ctx, list); !errors.Is(err, cloudapi.ErrInvalidMessage) {
		t.Errorf("list to a group = %v, want ErrInvalidMessage", err)
	}
}
