package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The browser test drives the console in headless Chromium (Debian's
// package). It is skipped when no Chromium is installed, unless
// CHANJO_BROWSER_TEST=1 (set by .ci/run), which makes a missing browser a
// failure. CHANJO_SCREENSHOTS=docs/img (relative to the repository root)
// also writes the screenshots shown in the README.

// browserLimit bounds the whole browser test, the race detector included.
const browserLimit = 90 * time.Second

// deliveryLimit bounds the wait for the fake gateway's delivery reports.
const deliveryLimit = 30 * time.Second

// viewports are the sizes of the screenshots: a desktop and a phone.
var viewports = []struct {
	name string
	w, h int64
}{{"desktop", 1280, 800}, {"phone", 390, 844}}

// TestConsoleInBrowser: a supervisor logs in, imports a roster with a bad
// row, counts the recipients of a broadcast (one nurse has sent STOP), sends
// it, and watches it delivered through the fake gateway's reports.
func TestConsoleInBrowser(t *testing.T) {
	bin := chromium(t)
	s := startSite(t)
	b := newBrowser(t, bin)
	b.do("log in", chromedp.Navigate(s.url+"/admin/login"),
		chromedp.SendKeys(chromedp.CSS(`input[name=name]`), supervisorName),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), supervisorPassword),
		chromedp.Click(chromedp.CSS(`form[action="/admin/login"] button`)),
		chromedp.WaitVisible(chromedp.Search(`//h1[.="Dashboard"]`)))

	b.importRoster(t)
	s.stop(t, rosterNurses[len(rosterNurses)-1].phone)
	s.seedLearning(t)

	want := strconv.Itoa(len(rosterNurses) - 1)
	if got := b.countRecipients(); got != want {
		t.Fatalf("recipient count = %q, want %q (the Kibra nurses without the one who sent STOP)", got, want)
	}
	b.screenshot("broadcast-new")
	b.do("send", chromedp.Click(chromedp.CSS(`button[value=send]`)),
		chromedp.WaitVisible(chromedp.Search(`//h1[starts-with(., "Broadcast ")]`)))
	if got := b.waitDelivered(want); got != want {
		t.Fatalf("broadcast page: %s delivered after %v, want %s; outbox (status, gateway status): %v",
			got, deliveryLimit, want, s.broadcastStates(t))
	}
	b.screenshot("broadcast")

	b.do("dashboard", chromedp.Navigate(s.url+"/admin"))
	active := b.text("dashboard", chromedp.Search(`//a[contains(., "nurses active this week")]/strong`))
	if active != strconv.Itoa(len(rosterNurses)) {
		t.Errorf("dashboard: %s nurses active this week, want %d", active, len(rosterNurses))
	}
	topic := b.text("dashboard", `//h2[starts-with(., "Practice quiz")]/following-sibling::table[1]//td`)
	if want := s.firstTopicTitle(); topic != want {
		t.Errorf("dashboard: first quiz topic %q, want its title %q", topic, want)
	}
	b.screenshot("dashboard")
	if b.shots != "" {
		b.do("reports", chromedp.Navigate(s.url+"/admin/reports"), chromedp.WaitVisible(chromedp.Search(`//h1[.="Reports"]`)))
		b.screenshot("reports")
	}
}

// chromium finds the browser, or skips the test without one.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CHANJO_BROWSER_TEST") == "1" {
		t.Fatal("chromium not installed, and CHANJO_BROWSER_TEST=1 requires the browser test: apt-get install chromium")
	}
	t.Skip("chromium not installed: apt-get install chromium")
	return ""
}

// browser is a headless Chromium tab on the test's site.
type browser struct {
	t     *testing.T
	ctx   context.Context
	shots string // where screenshots go; "" takes none
}

// newBrowser starts Chromium with the flags this closed network needs: no
// background connections, no QUIC, no component updates, a fresh profile.
func newBrowser(t *testing.T, bin string) *browser {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("disable-extensions", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(int(viewports[0].w), int(viewports[0].h)),
	}
	ctx, cancel := context.WithTimeout(context.Background(), browserLimit)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(func() { bcancel(); acancel(); cancel() })
	b := &browser{t: t, ctx: bctx, shots: screenshotDir(t)}
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return b
}

// stepLimit bounds one step, so that a page that never shows what a step
// waits for fails with the step's name and the page's address.
const stepLimit = 20 * time.Second

// do runs the actions of one step, failing the test with the step's name.
func (b *browser) do(step string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepLimit)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.fatal(step, err)
	}
}

// text returns the visible text of the first element sel finds, waiting for it.
func (b *browser) text(step string, sel chromedp.Search) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepLimit)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(sel))
	if err != nil {
		b.fatal(step, err)
	}
	return strings.TrimSpace(s)
}

func (b *browser) fatal(step string, err error) {
	b.t.Helper()
	loc, _ := chromedp.Run(b.ctx, chromedp.Location())
	b.t.Fatalf("%s: %v (page %s)", step, err, loc)
}

// importRoster uploads rosterCSV on the import page and checks the report:
// the good rows applied, the bad one refused with its line.
func (b *browser) importRoster(t *testing.T) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "roster.csv")
	if err := os.WriteFile(file, []byte(rosterCSV()), 0o600); err != nil {
		t.Fatal(err)
	}
	b.do("import roster", chromedp.Click(chromedp.Search(`//a[.="Nurses"]`)),
		chromedp.Click(chromedp.CSS(`a[href="/admin/nurses/import"]`)),
		chromedp.SetUploadFiles(chromedp.CSS(`input[name=file]`), []string{file}),
		chromedp.Click(chromedp.CSS(`form[action="/admin/nurses/import"] button`)))
	report := b.text("import report", `//p[contains(., "rows applied")]`)
	badLine := b.text("import report", `//table//td[@data-label="Line"]`)
	wantReport := fmt.Sprintf("%d rows applied: %d nurses created", len(rosterNurses)+1, len(rosterNurses)+1)
	if !strings.Contains(report, wantReport) || !strings.Contains(report, "1 rows refused") {
		t.Errorf("import report = %q, want %q and 1 row refused", report, wantReport)
	}
	if want := strconv.Itoa(rosterBadLine); badLine != want {
		t.Errorf("refused line = %q, want %s", badLine, want)
	}
}

// countRecipients composes the broadcast to Kibra's nurses and returns the
// recipient count the page shows.
func (b *browser) countRecipients() string {
	b.do("compose", chromedp.Click(chromedp.Search(`//a[.="Broadcasts"]`)),
		chromedp.Click(chromedp.CSS(`a[href="/admin/broadcasts/new"]`)),
		chromedp.Click(chromedp.CSS(`input[name=sub_county][value=Kibra]`)),
		chromedp.Click(chromedp.CSS(`input[name=role][value=nurse]`)),
		chromedp.SendKeys(chromedp.CSS(`textarea[name=body]`), broadcastBody),
		chromedp.Click(chromedp.CSS(`button[value=count]`)))
	return b.text("count recipients", `//p[contains(., "recipients")]/strong`)
}

// waitDelivered reloads the broadcast's page until it shows want delivered,
// as the fake gateway's delivery reports arrive, and returns the last count
// it showed.
func (b *browser) waitDelivered(want string) string {
	b.t.Helper()
	for deadline := time.Now().Add(deliveryLimit); ; time.Sleep(200 * time.Millisecond) {
		b.do("reload", chromedp.Reload())
		got := b.text("delivered count", `//th[.="Delivered"]/following-sibling::td`)
		if got == want || time.Now().After(deadline) {
			return got
		}
	}
}

// screenshotDir reads CHANJO_SCREENSHOTS, relative to the repository root.
func screenshotDir(t *testing.T) string {
	dir := os.Getenv("CHANJO_SCREENSHOTS")
	if dir == "" {
		return ""
	}
	if !filepath.IsAbs(dir) {
		dir = filepath.Join("..", "..", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// screenshot writes the page at each viewport as NAME-desktop.png and
// NAME-phone.png, when screenshots are asked for.
func (b *browser) screenshot(name string) {
	b.t.Helper()
	if b.shots == "" {
		return
	}
	for _, v := range viewports {
		b.do("viewport", chromedp.EmulateViewport(v.w, v.h))
		png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
		if err != nil {
			b.fatal("screenshot "+name, err)
		}
		if err := os.WriteFile(filepath.Join(b.shots, name+"-"+v.name+".png"), png, 0o644); err != nil {
			b.t.Fatal(err)
		}
	}
	b.do("viewport", chromedp.EmulateViewport(viewports[0].w, viewports[0].h))
}
