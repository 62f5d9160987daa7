package admin

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
	"github.com/chanjo-health/chanjo/whatsapp/cloudapi"
	"github.com/chanjo-health/chanjo/whatsapp/fakegraph"
)

// countingLister counts the reads that reach Meta.
type countingLister struct {
	*cloudapi.Client
	reads atomic.Int32
}

func (l *countingLister) Templates(ctx context.Context, wabaID string) ([]cloudapi.TemplateInfo, error) {
	l.reads.Add(1)
	return l.Client.Templates(ctx, wabaID)
}

var cellRE = regexp.MustCompile(`<td data-label="[^"]*">([^<]*)</td>`)

// templateTable returns the page's rows as "kind|template|language|status|category".
func templateTable(page string) map[string]string {
	rows := map[string]string{}
	for _, line := range strings.Split(page, "\n") {
		var cells []string
		for _, m := range cellRE.FindAllStringSubmatch(line, -1) {
			cells = append(cells, m[1])
		}
		if len(cells) == 5 {
			rows[cells[1]+" "+cells[2]] = cells[3] + "|" + cells[4]
		}
	}
	return rows
}

// TestWhatsAppTemplatesPage: an administrator sees each template the pack names, per language, with
// Meta's status and category read from the fake (approved, pending, missing), cached for minutes;
// when Meta fails the page says when and why and keeps the last good list; without WA_WABA_ID it
// asks for the setting; a supervisor may not see it.
func TestWhatsAppTemplatesPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		h.user("admin", store.RoleAdmin)
		h.user("amina", store.RoleSupervisor, "Kibra")
		b, _ := h.loggedIn("admin")
		her, _ := h.loggedIn("amina")
		if rec := her.get("/admin/whatsapp/templates"); rec.Code != http.StatusForbidden {
			t.Errorf("supervisor GET /admin/whatsapp/templates = %d, want 403", rec.Code)
		}
		if page := b.get("/admin/users").Body.String(); !strings.Contains(page, `href="/admin/whatsapp/templates"`) {
			t.Errorf("the administrator's nav lacks the WhatsApp templates page")
		}
		if page := b.get("/admin/whatsapp/templates").Body.String(); !strings.Contains(page, "Set <code>WA_WABA_ID</code>") {
			t.Errorf("without WA_WABA_ID the page does not ask for it:\n%s", page)
		}

		fake := fakegraph.New(fakegraph.Config{PhoneNumberID: "PNID", WABAID: "WABA1", Token: "T", AppSecret: "s",
			Templates: []string{"chanjo_nudge/en", "chanjo_nudge/sw=PENDING", "chanjo_broadcast/en", "chanjo_broadcast/sw",
				"chanjo_answer/en", "chanjo_group_message/en", "chanjo_group_message/sw=REJECTED"}})
		defer fake.Close()
		lister := &countingLister{Client: cloudapi.New(cloudapi.Config{BaseURL: fake.URL(), PhoneNumberID: "PNID", Token: "T"})}
		h.con.Templates = NewTemplateStatus(lister, "WABA1")
		h.con.Templates.now = func() time.Time { return h.now }

		page := b.get("/admin/whatsapp/templates").Body.String()
		got := templateTable(page)
		want := map[string]string{
			"chanjo_nudge English (en)":           "APPROVED|UTILITY",
			"chanjo_nudge Kiswahili (sw)":         "PENDING|UTILITY",
			"chanjo_broadcast Kiswahili (sw)":     "APPROVED|UTILITY",
			"chanjo_answer English (en)":          "APPROVED|UTILITY",
			"chanjo_answer Kiswahili (sw)":        "missing|",
			"chanjo_group_message Kiswahili (sw)": "REJECTED|UTILITY",
			"chanjo_broadcast English (en)":       "APPROVED|UTILITY",
			"chanjo_group_message English (en)":   "APPROVED|UTILITY",
			"group_invite_link English (en)":      "missing|",
			"group_invite_link Kiswahili (sw)":    "missing|",
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("row %s = %q, want %q", k, got[k], v)
			}
		}
		if len(got) != len(want) {
			t.Errorf("%d rows, want %d:\n%s", len(got), len(want), page)
		}
		h.now = h.now.Add(4 * time.Minute)
		b.get("/admin/whatsapp/templates")
		if n := lister.reads.Load(); n != 1 {
			t.Errorf("two views 4 minutes apart read Meta %d times, want 1 (cached)", n)
		}

		// Meta stops answering: once the list is stale the page says so and keeps the last good list.
		fake.Close()
		h.now = h.now.Add(2 * time.Minute) // 09:06 in Nairobi
		page = b.get("/admin/whatsapp/templates").Body.String()
		if !strings.Contains(page, "Could not read templates from Meta at 10 Mar 2025 09:06: no answer from Meta") ||
			!strings.Contains(page, "Shown: the list read at 10 Mar 2025 09:00") {
			t.Errorf("the page does not say Meta failed and what it shows:\n%s", page)
		}
		if got := templateTable(page)["chanjo_nudge Kiswahili (sw)"]; got != "PENDING|UTILITY" {
			t.Errorf("after the failure the last good list is gone: chanjo_nudge sw = %q", got)
		}
		if n := lister.reads.Load(); n != 2 {
			t.Errorf("reads = %d, want 2", n)
		}
	})
}

// A console that never read the templates and meets a refusal shows no status rather than calling
// every template missing, and names the refusal.
func TestWhatsAppTemplatesRefusedFirst(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		h.user("admin", store.RoleAdmin)
		b, _ := h.loggedIn("admin")
		fake := fakegraph.New(fakegraph.Config{PhoneNumberID: "PNID", WABAID: "WABA1", Token: "T", AppSecret: "s"})
		defer fake.Close()
		h.con.Templates = NewTemplateStatus(cloudapi.New(cloudapi.Config{BaseURL: fake.URL(), Token: "expired"}), "WABA1")
		page := b.get("/admin/whatsapp/templates").Body.String()
		if !strings.Contains(page, "the account or its token was refused (code 190") || strings.Contains(page, "Shown:") {
			t.Errorf("an expired token is not named:\n%s", page)
		}
		if got := templateTable(page)["chanjo_nudge English (en)"]; got != "unknown|" {
			t.Errorf("chanjo_nudge en = %q, want unknown", got)
		}
	})
}

// slowLister answers every read after release is closed, counting them.
type slowLister struct {
	release chan struct{}
	reads   atomic.Int32
}

func (l *slowLister) Templates(context.Context, string) ([]cloudapi.TemplateInfo, error) {
	l.reads.Add(1)
	<-l.release
	return []cloudapi.TemplateInfo{{Name: "chanjo_nudge", Language: "en", Status: cloudapi.TemplateApproved}}, nil
}

// Many console views arriving while the list is stale make one read of Meta, not one each.
func TestWhatsAppTemplatesOneRefreshAtATime(t *testing.T) {
	l := &slowLister{release: make(chan struct{})}
	s := NewTemplateStatus(l, "WABA1")
	done := make(chan templateRead)
	for range 5 {
		go func() { done <- s.read(context.Background()) }()
	}
	close(l.release)
	for range 5 {
		if r := <-done; len(r.Good) != 1 {
			t.Errorf("a view got %d templates, want 1", len(r.Good))
		}
	}
	if n := l.reads.Load(); n != 1 {
		t.Errorf("5 views read Meta %d times, want 1", n)
	}
}
