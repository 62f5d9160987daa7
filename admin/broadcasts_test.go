package admin

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// long is a message of 4 SMS segments.
var long = strings.Repeat("Chanjo ya surua inatolewa Ijumaa. ", 15)

// broadcastFixture adds Kibra's supervisor and three active nurses: one in
// Kibra who can get SMS, one in Kibra who opted out, one in Embakasi.
func broadcastFixture(h *harness) {
	h.t.Helper()
	h.user("wanjiru", store.RoleSupervisor, "Kibra")
	h.worker("Achieng", "+254711000001", "Kibra", store.StatusActive)
	out := h.worker("Baraka", "+254711000002", "Kibra", store.StatusActive)
	h.worker("Chebet", "+254711000003", "Embakasi", store.StatusActive)
	storetest.OptedOut(h.t, h.db, out)
}

var countedRE = regexp.MustCompile(`name="counted" value="([^"]+)"`)

// counted posts form with the count button, as a supervisor does before
// Send, and returns form with the count's fingerprint (none when the count
// was refused) and action send.
func (b *browser) counted(form url.Values) url.Values {
	count := url.Values{}
	for k, v := range form {
		count[k] = v
	}
	count.Set("action", "count")
	if m := countedRE.FindStringSubmatch(b.post("/admin/broadcasts/new", count).Body.String()); m != nil {
		form.Set("counted", m[1])
	}
	form.Set("action", "send")
	return form
}

// rows returns how many broadcasts ("broadcasts") or outgoing SMS
// ("outbox") there are.
func (h *harness) rows(what string) int {
	h.t.Helper()
	switch what {
	case "broadcasts":
		return len(storetest.AllBroadcasts(h.t, h.db))
	case "outbox":
		return len(storetest.Outbox(h.t, h.db))
	}
	h.t.Fatalf("rows of %q", what)
	return 0
}

// deliverAll plays the dispatcher and the gateway: every queued SMS is
// accepted, then reported delivered.
func (h *harness) deliverAll() {
	h.t.Helper()
	ctx := context.Background()
	lease, err := h.db.Claim(ctx, store.ClaimOptions{Owner: "test", Limit: 100, Lease: time.Minute})
	if err != nil {
		h.t.Fatal(err)
	}
	var rs []store.Result
	for _, m := range lease.Msgs {
		rs = append(rs, store.Result{ID: m.ID, Status: store.OutAccepted, GatewayID: fmt.Sprint("gw-", m.ID)})
	}
	if err := h.db.Finish(ctx, "test", rs); err != nil {
		h.t.Fatal(err)
	}
	for _, r := range rs {
		if _, err := h.db.RecordDelivery(ctx, store.Delivery{GatewayID: r.GatewayID, Status: store.OutDelivered}); err != nil {
			h.t.Fatal(err)
		}
	}
}

func TestComposeCountSendDeliver(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		broadcastFixture(h)
		b, csrf := h.loggedIn("wanjiru")
		if body := b.get("/admin/broadcasts/new").Body.String(); !strings.Contains(body, `value="Kibra"`) || strings.Contains(body, "Embakasi") {
			t.Errorf("compose page offers Kibra only? %v", !strings.Contains(body, "Embakasi"))
		}
		form := url.Values{"csrf": {csrf}, "sub_county": {"Kibra"}, "body": {"Cold chain meeting on Friday."}, "action": {"count"}}
		rec := b.post("/admin/broadcasts/new", form)
		if want := "<strong>1</strong> recipients (opted-out numbers left out), 1 SMS each, estimated cost KES 0.80"; rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), want) {
			t.Fatalf("count = %d, want 200 with %q:\n%s", rec.Code, want, rec.Body)
		}
		if want := `in 1 SMS:</p>
<blockquote class="sms">Chanjo: Cold chain meeting on Friday.</blockquote>`; !strings.Contains(rec.Body.String(), want) {
			t.Errorf("count does not show what a nurse receives, %q:\n%s", want, rec.Body)
		}
		if h.rows("broadcasts") != 0 {
			t.Fatal("the count button created a broadcast")
		}
		rec = b.post("/admin/broadcasts/new", b.counted(form))
		loc := rec.Header().Get("Location")
		if rec.Code != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/broadcasts/") {
			t.Fatalf("send = %d to %q, want 303 to the broadcast", rec.Code, loc)
		}
		var phones []string
		for _, o := range storetest.OutWhere(t, db, func(o storetest.Out) bool { return o.Kind == store.KindBroadcast }) {
			phones = append(phones, o.Phone)
		}
		if len(phones) != 1 || phones[0] != "+254711000001" {
			t.Errorf("broadcast SMS to %v, want only +254711000001 (opted out and Embakasi left out)", phones)
		}
		page := b.get(loc).Body.String()
		if !strings.Contains(page, "Queued</th><td class=\"num\">1<") || !strings.Contains(page, `http-equiv="refresh"`) {
			t.Errorf("broadcast page before delivery lacks 1 queued and the refresh:\n%s", page)
		}
		h.deliverAll()
		page = b.get(loc).Body.String()
		if !strings.Contains(page, "Delivered</th><td class=\"num\">1<") || strings.Contains(page, `http-equiv="refresh"`) {
			t.Errorf("broadcast page after delivery lacks 1 delivered, or still refreshes:\n%s", page)
		}
		if list := b.get("/admin/broadcasts").Body.String(); !strings.Contains(list, "Cold chain meeting on Friday.") {
			t.Error("history lacks the broadcast")
		}
		if csv := b.get("/admin/broadcasts.csv").Body.String(); !strings.Contains(csv, "Cold chain meeting on Friday.,false") {
			t.Errorf("broadcasts.csv = %q, want the broadcast", csv)
		}
		if n := h.audits("broadcast.create"); n != 1 {
			t.Errorf("audit rows broadcast.create = %d, want 1", n)
		}
	})
}

func TestComposeRefusals(t *testing.T) {
	tests := []struct {
		name   string
		form   url.Values
		status int
		want   string
		sent   int
	}{
		{"long without confirmation", url.Values{"body": {long}, "action": {"send"}}, http.StatusUnprocessableEntity, "confirm that every nurse should get 4 SMS", 0},
		{"long, confirmed", url.Values{"body": {long}, "action": {"send"}, "confirm_long": {"1"}}, http.StatusSeeOther, "", 1},
		{"another's sub-county", url.Values{"body": {"hi"}, "sub_county": {"Embakasi"}, "action": {"send"}}, http.StatusUnprocessableEntity, "Embakasi is not one of your sub-counties", 0},
		{"bad time", url.Values{"body": {"hi"}, "send_at": {"Friday"}, "action": {"send"}}, http.StatusUnprocessableEntity, "give the time", 0},
		{"UCS-2 warning", url.Values{"body": {"Karibu ‘kesho’"}, "action": {"count"}}, http.StatusOK, "sent as UCS-2", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				h := newHarness(t, db)
				broadcastFixture(h)
				b, csrf := h.loggedIn("wanjiru")
				tt.form.Set("csrf", csrf)
				if tt.form.Get("action") == "send" {
					b.counted(tt.form)
				}
				rec := b.post("/admin/broadcasts/new", tt.form)
				if rec.Code != tt.status || !strings.Contains(rec.Body.String(), tt.want) {
					t.Errorf("POST /admin/broadcasts/new = %d, want %d with %q:\n%s", rec.Code, tt.status, tt.want, rec.Body)
				}
				if n := h.rows("broadcasts"); n != tt.sent {
					t.Errorf("broadcasts = %d, want %d", n, tt.sent)
				}
			})
		})
	}
}

func TestScheduledUrgentBroadcast(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		broadcastFixture(h)
		b, csrf := h.loggedIn("wanjiru")
		form := url.Values{"csrf": {csrf}, "body": {"Outreach tomorrow."}, "send_at": {"2025-03-10T21:30"}, "urgent": {"1"}, "action": {"send"}}
		if rec := b.post("/admin/broadcasts/new", b.counted(form)); rec.Code != http.StatusSeeOther {
			t.Fatalf("send = %d, want 303: %s", rec.Code, rec.Body)
		}
		bc := storetest.OutWhere(t, db, func(o storetest.Out) bool { return o.Kind == store.KindBroadcast })
		if len(bc) == 0 {
			t.Fatal("no broadcast SMS queued")
		}
		row := bc[0]
		if want := time.Date(2025, 3, 10, 18, 30, 0, 0, time.UTC); !row.Urgent || !row.NotBefore.Equal(want) {
			t.Errorf("outbox row urgent %v, not before %v; want urgent at %v (21:30 EAT)", row.Urgent, row.NotBefore, want)
		}
	})
}

// otherBroadcast creates a broadcast to Embakasi as its administrator.
func otherBroadcast(t *testing.T, db *store.DB) int64 {
	t.Helper()
	b, err := db.CreateBroadcast(context.Background(), store.Scope{Admin: true}, 0, store.NewBroadcast{
		Audience: store.Audience{SubCounties: []string{"Embakasi"}}, Body: "Embakasi only."})
	if err != nil {
		t.Fatal(err)
	}
	return b.ID
}

func TestBroadcastScopeInConsoleAndAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		broadcastFixture(h)
		theirs := otherBroadcast(t, db)
		token := h.token(h.user("kibra-script", store.RoleSupervisor, "Kibra"))
		b, _ := h.loggedIn("wanjiru")
		path := fmt.Sprintf("/admin/broadcasts/%d", theirs)
		if rec := b.get(path); rec.Code != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, rec.Code)
		}
		if rec := h.api("GET", "/api/v1"+strings.TrimPrefix(path, "/admin"), token, ""); rec.Code != http.StatusNotFound {
			t.Errorf("API GET broadcast of Embakasi = %d, want 404", rec.Code)
		}
		if body := b.get("/admin/broadcasts").Body.String(); strings.Contains(body, "Embakasi only.") {
			t.Error("Kibra's history lists Embakasi's broadcast")
		}
		if body := h.api("GET", "/api/v1/broadcasts", token, "").Body.String(); strings.Contains(body, "Embakasi only.") {
			t.Error("Kibra's API list holds Embakasi's broadcast")
		}
		if csv := b.get("/admin/broadcasts.csv").Body.String(); strings.Contains(csv, "Embakasi only.") {
			t.Error("Kibra's CSV holds Embakasi's broadcast")
		}
	})
}

func TestAPIBroadcasts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		broadcastFixture(h)
		token := h.token(h.user("kibra-script", store.RoleSupervisor, "Kibra"))
		rec := h.api("POST", "/api/v1/broadcasts", token, `{"body": "Meeting at 9.", "audience": {"sub_counties": ["Kibra"], "roles": ["nurse"]}, "urgent": true}`)
		var got broadcastJSON
		if err := json.Unmarshal(rec.Body.Bytes(), &got); rec.Code != http.StatusCreated || err != nil {
			t.Fatalf("POST /api/v1/broadcasts = %d %s, want 201", rec.Code, rec.Body)
		}
		if got.Recipients != 1 || got.Counts.Queued != 1 || got.EstimatedCost != 0.8 || got.Currency != "KES" || !got.Urgent {
			t.Errorf("created = %+v, want 1 queued recipient costing KES 0.80, urgent", got)
		}
		h.deliverAll()
		rec = h.api("GET", fmt.Sprintf("/api/v1/broadcasts/%d", got.ID), token, "")
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || got.Counts != (store.BroadcastCounts{Delivered: 1}) {
			t.Errorf("GET broadcast = %d %s, want 1 delivered", rec.Code, rec.Body)
		}
	})
}

func TestAPIBroadcastRefusals(t *testing.T) {
	tests := []struct {
		name, body, field string
	}{
		{"long without confirm_long", fmt.Sprintf(`{"body": %q}`, long), "confirm_long"},
		{"no body", `{"audience": {"roles": ["nurse"]}}`, "body"},
		{"unknown role", `{"body": "hi", "audience": {"roles": ["doctor"]}}`, "audience.roles"},
		{"another's sub-county", `{"body": "hi", "audience": {"sub_counties": ["Embakasi"]}}`, "audience.sub_counties"},
		{"in the past", `{"body": "hi", "send_at": "2025-01-01T09:00:00+03:00"}`, "send_at"},
		{"unknown field", `{"body": "hi", "to": "everyone"}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				h := newHarness(t, db)
				broadcastFixture(h)
				token := h.token(h.user("kibra-script", store.RoleSupervisor, "Kibra"))
				rec := h.api("POST", "/api/v1/broadcasts", token, tt.body)
				var e errorBody
				if err := json.Unmarshal(rec.Body.Bytes(), &e); rec.Code != http.StatusUnprocessableEntity || err != nil || e.Error.Code != "invalid" {
					t.Fatalf("POST %s = %d %s, want 422 in the error shape", tt.body, rec.Code, rec.Body)
				}
				if _, ok := e.Error.Fields[tt.field]; tt.field != "" && !ok {
					t.Errorf("fields = %v, want %s", e.Error.Fields, tt.field)
				}
				if n := h.rows("broadcasts") + h.rows("outbox"); n != 0 {
					t.Errorf("rows after a refused broadcast = %d, want 0", n)
				}
			})
		})
	}
}

// apiWithKey calls POST /api/v1/broadcasts with an Idempotency-Key.
func (h *harness) apiWithKey(token, key, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/api/v1/broadcasts", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Idempotency-Key", key)
	rec := httptest.NewRecorder()
	h.r.ServeHTTP(rec, req)
	return rec
}

func TestAPIBroadcastRetriedWithKey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		broadcastFixture(h)
		token := h.token(h.user("kibra-script", store.RoleSupervisor, "Kibra"))
		body := `{"body": "Meeting at 9.", "audience": {"sub_counties": ["Kibra"]}}`
		var first, again broadcastJSON
		rec := h.apiWithKey(token, "retry-1", body)
		if err := json.Unmarshal(rec.Body.Bytes(), &first); rec.Code != http.StatusCreated || err != nil {
			t.Fatalf("POST with a new key = %d %s, want 201", rec.Code, rec.Body)
		}
		// The client timed out and retries, spelling the JSON differently.
		rec = h.apiWithKey(token, "retry-1", `{"audience": {"sub_counties": ["Kibra"]}, "body": "Meeting at 9."}`)
		if err := json.Unmarshal(rec.Body.Bytes(), &again); rec.Code != http.StatusOK || err != nil || again.ID != first.ID {
			t.Errorf("retry = %d %s, want 200 with broadcast %d", rec.Code, rec.Body, first.ID)
		}
		rec = h.apiWithKey(token, "retry-1", `{"body": "Meeting at 10."}`)
		var e errorBody
		if err := json.Unmarshal(rec.Body.Bytes(), &e); rec.Code != http.StatusUnprocessableEntity || err != nil || e.Error.Fields["idempotency_key"] == "" {
			t.Errorf("same key, other body = %d %s, want 422 on idempotency_key", rec.Code, rec.Body)
		}
		if n, m := h.rows("broadcasts"), h.rows("outbox"); n != 1 || m != 1 {
			t.Errorf("after a retry: %d broadcasts, %d SMS; want 1 and 1", n, m)
		}
	})
}

func TestComposePostedTwice(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		broadcastFixture(h)
		b, csrf := h.loggedIn("wanjiru")
		m := regexp.MustCompile(`name="once" value="([^"]+)"`).FindStringSubmatch(b.get("/admin/broadcasts/new").Body.String())
		if m == nil {
			t.Fatal("the compose form carries no one-time key")
		}
		form := b.counted(url.Values{"csrf": {csrf}, "once": {m[1]}, "body": {"Cold chain meeting on Friday."}})
		first := b.post("/admin/broadcasts/new", form)
		second := b.post("/admin/broadcasts/new", form)
		if first.Code != http.StatusSeeOther || second.Code != http.StatusSeeOther || first.Header().Get("Location") != second.Header().Get("Location") {
			t.Errorf("two posts = %d to %q, %d to %q; want both 303 to the same broadcast",
				first.Code, first.Header().Get("Location"), second.Code, second.Header().Get("Location"))
		}
		if n := h.rows("broadcasts"); n != 1 {
			t.Errorf("broadcasts after a double post = %d, want 1", n)
		}
		form.Set("body", "Another message.")
		if rec := b.post("/admin/broadcasts/new", b.counted(form)); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "open a new broadcast form") {
			t.Errorf("the used form with another message = %d, want 422 asking for a new form", rec.Code)
		}
		if next := regexp.MustCompile(`name="once" value="([^"]+)"`).FindStringSubmatch(b.get("/admin/broadcasts/new").Body.String()); next == nil || next[1] == m[1] {
			t.Error("a new compose form reuses the old one-time key")
		}
	})
}
