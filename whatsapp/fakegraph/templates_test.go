package fakegraph_test

import (
	"context"
	"errors"
	"testing"

	"github.com/chanjo-health/chanjo/whatsapp/cloudapi"
	"github.com/chanjo-health/chanjo/whatsapp/fakegraph"
	"github.com/google/go-cmp/cmp"
)

// The client lists every template of the business account with Meta's status and category,
// following paging.next across the fake's pages of three; a pending template cannot be sent.
func TestTemplatesListed(t *testing.T) {
	fake := fakegraph.New(fakegraph.Config{PhoneNumberID: "PNID", WABAID: "WABA1", Token: "T", AppSecret: "s",
		Templates: []string{"chanjo_nudge/en", "chanjo_nudge/sw=PENDING", "chanjo_answer/en", "chanjo_answer/sw=REJECTED",
			"chanjo_broadcast/en"}})
	defer fake.Close()
	client := cloudapi.New(cloudapi.Config{BaseURL: fake.URL(), PhoneNumberID: "PNID", Token: "T"})
	got, err := client.Templates(context.Background(), "WABA1")
	if err != nil {
		t.Fatal(err)
	}
	want := []cloudapi.TemplateInfo{
		{Name: "chanjo_nudge", Language: "en", Status: "APPROVED", Category: "UTILITY"},
		{Name: "chanjo_nudge", Language: "sw", Status: "PENDING", Category: "UTILITY"},
		{Name: "chanjo_answer", Language: "en", Status: "APPROVED", Category: "UTILITY"},
		{Name: "chanjo_answer", Language: "sw", Status: "REJECTED", Category: "UTILITY"},
		{Name: "chanjo_broadcast", Language: "en", Status: "APPROVED", Category: "UTILITY"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Templates (-want +got):\n%s", d)
	}
	_, err = client.Send(context.Background(), cloudapi.Template("+254700000001", "chanjo_nudge", "sw", "x"))
	var e *cloudapi.Error
	if !errors.As(err, &e) || e.Code != 132001 {
		t.Errorf("send of a pending template = %v, want code 132001", err)
	}

	bad := cloudapi.New(cloudapi.Config{BaseURL: fake.URL(), PhoneNumberID: "PNID", Token: "expired"})
	if _, err := bad.Templates(context.Background(), "WABA1"); !errors.As(err, &e) || !e.AccountFault() {
		t.Errorf("Templates with an expired token = %v, want an account fault", err)
	}
}
