package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/chanjo-health/chanjo/sms/fakegateway"
)

// phoneWidth is the width of the phone viewport: no console page may be
// wider (the visits page was 539 px).
const phoneWidth = 390

// helpdeskAnswer is what the supervisor answers in the browser test.
const helpdeskAnswer = "Report it on the AEFI form the same day and call the sub-county office."

// TestHelpdeskInBrowser: a supervisor answers a nurse's SMS question in the
// helpdesk and the nurse gets the answer through the gateway; she cancels a
// broadcast held until tomorrow; every page she opens fits a 390 px phone.
func TestHelpdeskInBrowser(t *testing.T) {
	bin := chromium(t)
	s := startSite(t)
	b := newBrowser(t, bin)
	b.do("log in", chromedp.Navigate(s.url+"/admin/login"),
		chromedp.SendKeys(chromedp.CSS(`input[name=name]`), supervisorName),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), supervisorPassword),
		chromedp.Click(chromedp.CSS(`form[action="/admin/login"] button`)),
		chromedp.WaitVisible(chromedp.Search(`//h1[.="Dashboard"]`)))
	b.importRoster(t)
	s.seedLearning(t)
	nurse := rosterNurses[1]
	s.ask(t, nurse.phone, "Where do I report an AEFI?")
	if err := s.a.db.SaveCalculation(context.Background(), nurse.phone, "months_of_stock", "penta", []byte(`{}`), []byte(`{}`), "below_order_point"); err != nil {
		t.Fatal(err)
	}

	b.do("helpdesk", chromedp.Navigate(s.url+"/admin/questions"), chromedp.WaitVisible(chromedp.Search(`//td[contains(., "report an AEFI")]`)))
	b.fits("helpdesk")
	b.screenshot("helpdesk")
	b.do("open the question", chromedp.Click(chromedp.Search(`//td[@data-label="Asked"]/a`)),
		chromedp.WaitVisible(chromedp.CSS(`textarea[name=answer]`)))
	b.fits("question")
	b.do("answer", chromedp.SendKeys(chromedp.CSS(`textarea[name=answer]`), helpdeskAnswer),
		chromedp.Click(chromedp.CSS(`form[action$="/answer"] button`)),
		chromedp.WaitVisible(chromedp.Search(`//p[contains(., "on its way")]`)))
	if got := s.waitSent(nurse.phone, helpdeskAnswer); got == "" {
		t.Errorf("the gateway sent %s no SMS with the answer within %v; sent: %v", nurse.phone, deliveryLimit, s.fake.Sent())
	}

	b.do("nurse page", chromedp.Click(chromedp.Search(`//th[.="Nurse"]/following-sibling::td/a[1]`)),
		chromedp.WaitVisible(chromedp.Search(`//h2[.="Learning"]`)))
	b.fits("nurse")
	b.screenshot("nurse")

	b.heldBroadcastCancelled(s.url)

	for _, p := range []struct{ name, path, wait string }{
		{"dashboard", "/admin", `//h1[.="Dashboard"]`},
		{"nurses", "/admin/nurses", `//h1[.="Nurses"]`},
		{"groups", "/admin/groups", `//h1[.="Groups"]`},
		{"visits", "/admin/visits", `//h1[.="Visits"]`},
		{"broadcasts", "/admin/broadcasts", `//h1`},
		{"reports", "/admin/reports", `//h1[.="Reports"]`},
	} {
		b.do(p.name, chromedp.Navigate(s.url+p.path), chromedp.WaitVisible(chromedp.Search(p.wait)))
		b.fits(p.name)
	}
	b.do("stock alerts", chromedp.Navigate(s.url+"/admin/reports#stock"), chromedp.WaitVisible(chromedp.Search(`//h2[@id="stock"]`)))
	b.screenshot("stock-alerts")
}

// heldBroadcastCancelled sends a broadcast to Kibra's nurses for tomorrow
// morning, then cancels it on its page before it goes.
func (b *browser) heldBroadcastCancelled(site string) {
	b.t.Helper()
	tomorrow := time.Now().Add(24*time.Hour).Format("2006-01-02") + "T09:00"
	b.do("compose for tomorrow", chromedp.Navigate(site+"/admin/broadcasts/new"),
		chromedp.Click(chromedp.CSS(`input[name=sub_county][value=Kibra]`)),
		chromedp.SendKeys(chromedp.CSS(`textarea[name=body]`), broadcastBody),
		chromedp.SetValue(chromedp.CSS(`input[name=send_at]`), tomorrow),
		chromedp.Click(chromedp.CSS(`button[value=count]`)),
		chromedp.WaitVisible(chromedp.CSS(`button[value=send]`)))
	b.fits("new broadcast")
	b.do("send", chromedp.Click(chromedp.CSS(`button[value=send]`)),
		chromedp.WaitVisible(chromedp.Search(`//h1[starts-with(., "Broadcast ")]`)))
	b.fits("broadcast")
	b.do("cancel", chromedp.Click(chromedp.Search(`//form[contains(@action, "/cancel")]/button`)),
		chromedp.WaitVisible(chromedp.Search(`//p[@class="flash" and starts-with(., "Cancelled:")]`)))
	queued := b.text("after cancelling", `//th[.="Queued"]/following-sibling::td`)
	if queued != "0" {
		b.t.Errorf("broadcast page after cancelling: %s queued, want 0", queued)
	}
}

// fits fails the test when the current page, laid out on the phone, is
// wider than phoneWidth.
func (b *browser) fits(page string) {
	b.t.Helper()
	b.do("phone viewport", chromedp.EmulateViewport(phoneWidth, 844))
	ctx, cancel := context.WithTimeout(b.ctx, stepLimit)
	defer cancel()
	w, err := chromedp.Run(ctx, chromedp.Evaluate[int64](`document.documentElement.scrollWidth`))
	if err != nil {
		b.fatal("measure "+page, err)
	}
	b.t.Logf("%s: %d px wide on the phone", page, w)
	if w > phoneWidth {
		b.t.Errorf("%s page is %d px wide on a %d px phone", page, w, phoneWidth)
	}
	b.do("desktop viewport", chromedp.EmulateViewport(viewports[0].w, viewports[0].h))
}

// ask sends text from phone through the fake gateway, as a nurse's SMS.
func (s *site) ask(t *testing.T, phone, text string) {
	t.Helper()
	in := fakegateway.Incoming{From: phone, Text: text}
	if _, err := s.fake.PostIncoming(context.Background(), s.url+"/sms/inbound?token="+browserToken, in); err != nil {
		t.Fatal(err)
	}
}

// waitSent waits up to deliveryLimit for the gateway to send phone an SMS
// containing part, and returns its text ("" if none came).
func (s *site) waitSent(phone, part string) string {
	for deadline := time.Now().Add(deliveryLimit); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		for _, m := range s.fake.Sent() {
			if m.To == phone && strings.Contains(m.Text, part) {
				return m.Text
			}
		}
	}
	return ""
}
