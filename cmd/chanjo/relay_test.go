package main

import (
	"context"
	"io"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/chanjo-health/chanjo/sms/fakegateway"
	"github.com/chanjo-health/chanjo/sms/fakegateway/fakegatewaytest"
	"github.com/chanjo-health/chanjo/store"
)

// TestAskAMentorEndToEnd wires the service as serve does, with the fake
// gateway: a nurse asks over USSD, the mentor gets the question by SMS and
// answers by SMS, the nurse gets the answer by SMS and reads it over USSD.
func TestAskAMentorEndToEnd(t *testing.T) {
	fake := fakegatewaytest.NewServer(fakegateway.Options{})
	t.Cleanup(fake.Close)
	a, _ := testApp(t, map[string]string{"AT_USERNAME": "sandbox", "AT_API_KEY": fakegateway.DefaultAPIKey, "AT_BASE_URL": fake.URL})
	ctx := context.Background()
	if _, err := a.db.LoadDemo(ctx); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.router())
	t.Cleanup(srv.Close)
	disp := a.dispatcher(io.Discard)
	nurse := store.DemoNursePhone(1)
	// The Redis prefix of testApp outlives the test: no session of an
	// earlier run may be offered to resume.
	iter := a.kv.Scan(ctx, 0, a.kv.Prefix+"*", 100).Iterator()
	for iter.Next(ctx) {
		a.kv.Del(ctx, iter.Val())
	}
	hop := func(session, text string) string {
		form := url.Values{"sessionId": {session}, "phoneNumber": {nurse}, "serviceCode": {"*384*123#"}, "text": {text}}
		res, err := srv.Client().PostForm(srv.URL+"/ussd?token="+a.token, form)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return string(b)
	}
	sentTo := func(p string) []string {
		if _, err := disp.Once(ctx); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, m := range fake.Sent() {
			if m.To == p {
				out = append(out, m.Text)
			}
		}
		return out
	}
	for _, text := range []string{"", "5", "5*1", "5*1*Where do I tally a late BCG?"} {
		hop("s1", text)
	}
	if got := hop("s1", "5*1*Where do I tally a late BCG?*1"); !strings.HasPrefix(got, "END Sent as Q1.") {
		t.Fatalf("USSD after sending = %q, want END Sent as Q1.", got)
	}
	want := "Q1 from Wanjiru (Chanjo Demo): Where do I tally a late BCG?, reply A1 <answer>"
	if got := sentTo(store.DemoMentorPhone); len(got) != 1 || got[0] != want {
		t.Fatalf("SMS to the mentor = %q, want [%q]", got, want)
	}
	_, err := fake.PostIncoming(ctx, srv.URL+"/sms/inbound?token="+a.token, fakegateway.Incoming{From: store.DemoMentorPhone, Text: "A1 In the register, on the day given."})
	if err != nil {
		t.Fatal(err)
	}
	want = "Chanjo: Grace answered your question Q1: In the register, on the day given."
	if got := sentTo(nurse); len(got) != 1 || got[0] != want {
		t.Fatalf("SMS to the nurse = %q, want [%q]", got, want)
	}
	hop("s2", "")
	hop("s2", "5")
	hop("s2", "5*2")
	hop("s2", "5*2*1")
	if got := hop("s2", "5*2*1*98"); !strings.Contains(got, "Answer from Grace: In the register, on the day given.") {
		t.Errorf("USSD answer screen = %q, want Grace's answer", got)
	}
}
