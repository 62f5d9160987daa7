package fakegraph_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/chanjo-health/chanjo/whatsapp/fakegraph"
)

// The fake's groups: created with an invite link, joined by the test control up to 8 participants,
// a ninth refused; text may go to a group with a participant, interactive messages may not.
func TestGroups(t *testing.T) {
	fake := fakegraph.New(fakegraph.Config{PhoneNumberID: "PNID", Token: "T", AppSecret: "s"})
	defer fake.Close()
	call := func(method, path string, body any) (int, map[string]any) {
		t.Helper()
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest(method, fake.URL()+path, bytes.NewReader(b))
		req.Header.Set("Authorization", "Bearer T")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out
	}
	code, g := call(http.MethodPost, "/v25.0/PNID/groups", map[string]any{"messaging_product": "whatsapp", "subject": "Circle of Grace"})
	if code != 200 || g["request_id"] == nil || g["id"] != nil || g["invite_link"] != nil {
		t.Fatalf("create group = %d %v, want only a request id (the group comes in the webhook)", code, g)
	}
	id, link, ok := fake.GroupOfRequest(fmt.Sprint(g["request_id"]))
	if !ok || id == "" || link == "" {
		t.Fatalf("group of request %v = %q %q %v", g["request_id"], id, link, ok)
	}
	if code, got := call(http.MethodGet, "/v25.0/"+id+"/invite_link", nil); code != 200 || got["invite_link"] != link {
		t.Errorf("invite link = %d %v, want %s", code, got, link)
	}
	text := map[string]any{"messaging_product": "whatsapp", "recipient_type": "group", "to": id, "type": "text", "text": map[string]any{"body": "Karibu"}}
	if code, got := call(http.MethodPost, "/v25.0/PNID/messages", text); code != 400 {
		t.Errorf("text to an empty group = %d %v, want refused (131020)", code, got)
	}
	for i := range fakegraph.GroupLimit {
		if err := fake.JoinGroup(link, fmt.Sprintf("25471100000%d", i)); err != nil {
			t.Fatalf("join %d: %v", i, err)
		}
	}
	if err := fake.JoinGroup(link, "254711000009"); !errors.Is(err, fakegraph.ErrGroupFull) {
		t.Errorf("ninth join = %v, want ErrGroupFull", err)
	}
	code, _ = call(http.MethodPost, "/_fake/join", map[string]any{"link": link, "from": "254711000010"})
	if code != http.StatusConflict {
		t.Errorf("POST /_fake/join to a full group = %d, want 409", code)
	}
	if n := len(fake.Participants(id)); n != fakegraph.GroupLimit {
		t.Errorf("participants = %d, want %d", n, fakegraph.GroupLimit)
	}
	if code, got := call(http.MethodPost, "/v25.0/PNID/messages", text); code != 400 {
		t.Errorf("text to a group where no member wrote = %d %v, want refused (131047)", code, got)
	}
	if fake.GroupInbound(id, "254711000000", "text", "Habari") == "" {
		t.Fatal("a participant's message in the group was not delivered")
	}
	if code, got := call(http.MethodPost, "/v25.0/PNID/messages", text); code != 200 {
		t.Errorf("text to the group = %d %v, want accepted", code, got)
	}
	list := map[string]any{"messaging_product": "whatsapp", "recipient_type": "group", "to": id, "type": "interactive", "interactive": map[string]any{}}
	if code, _ := call(http.MethodPost, "/v25.0/PNID/messages", list); code != 400 {
		t.Errorf("interactive message to a group = %d, want refused", code)
	}
}
