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
	req, err := c.CreateGroup(ctx, "Circle of Grace", "Mentor circle")
	if err != nil || req == "" {
		t.Fatalf("CreateGroup = %q, %v; want the request id", req, err)
	}
	id, link, ok := fake.GroupOfRequest(req)
	if !ok || !strings.HasPrefix(link, "https://chat.whatsapp.com/") {
		t.Fatalf("the fake made no group for request %q", req)
	}
	if got, err := c.InviteLink(ctx, id); err != nil || got != link {
		t.Errorf("InviteLink = %q, %v, want %q", got, err, link)
	}
	_, err = c.Send(ctx, cloudapi.Text("", "Karibu").ToGroup(id))
	var ce *cloudapi.Error
	if !errors.As(err, &ce) || ce.Code != cloudapi.CodeGroupEmpty {
		t.Errorf("text to the empty group = %v, want code %d", err, cloudapi.CodeGroupEmpty)
	}
	if err := fake.JoinGroup(link, "254711000001"); err != nil {
		t.Fatal(err)
	}
	fake.GroupInbound(id, "254711000001", "text", "Habari")
	if _, err := c.Send(ctx, cloudapi.Text("", "Karibu").ToGroup(id)); err != nil {
		t.Errorf("text to the group: %v", err)
	}
	sent := fake.Sent()
	if len(sent) != 1 || !strings.Contains(string(sent[0].Body), `"recipient_type":"group"`) {
		t.Errorf("sent = %+v, want one message with recipient_type group", sent)
	}
	list := cloudapi.List("", "Menu", "Open", []cloudapi.Row{{ID: "1", Title: "One"}}).ToGroup(id)
	if _, err := c.Send(ctx, list); !errors.Is(err, cloudapi.ErrInvalidMessage) {
		t.Errorf("list to a group = %v, want ErrInvalidMessage", err)
	}
}
