package cloudapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// graph is an httptest server that records the last request and answers with status and body.
type graph struct {
	srv    *httptest.Server
	path   string
	auth   string
	body   map[string]any
	status int
	answer string
}

func newGraph(t *testing.T) *graph {
	g := &graph{status: 200, answer: `{"messaging_product":"whatsapp","contacts":[{"input":"+254712345678","wa_id":"254712345678"}],"messages":[{"id":"wamid.1"}]}`}
	g.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g.path, g.auth = r.URL.Path, r.Header.Get("Authorization")
		raw, _ := io.ReadAll(r.Body)
		g.body = nil
		json.Unmarshal(raw, &g.body)
		w.WriteHeader(g.status)
		io.WriteString(w, g.answer)
	}))
	t.Cleanup(g.srv.Close)
	return g
}

func (g *graph) client() *Client {
	return New(Config{BaseURL: g.srv.URL, Version: "25.0", PhoneNumberID: "PNID", Token: "T0KEN"})
}

func TestSendWire(t *testing.T) {
	const to = "+254712345678"
	rows := []Row{{ID: "1", Title: "Lessons"}, {ID: "2", Title: "Quiz", Description: "Test yourself"}}
	text := Text(to, "Habari")
	text.Opaque = "outbox:42"
	tests := []struct {
		name string
		msg  Message
		want string
	}{
		{"text", text, `{"messaging_product":"whatsapp","recipient_type":"individual","to":"+254712345678","type":"text",
			"text":{"body":"Habari","preview_url":false},"biz_opaque_callback_data":"outbox:42"}`},
		{"list", List(to, "Menu", "Choose", rows), `{"messaging_product":"whatsapp","recipient_type":"individual","to":"+254712345678",
			"type":"interactive","interactive":{"type":"list","body":{"text":"Menu"},"action":{"button":"Choose","sections":[{"rows":[
			{"id":"1","title":"Lessons"},{"id":"2","title":"Quiz","description":"Test yourself"}]}]}}}`},
		{"buttons", Buttons(to, "Continue?", []Row{{ID: "y", Title: "Yes"}, {ID: "n", Title: "No"}}), `{"messaging_product":"whatsapp",
			"recipient_type":"individual","to":"+254712345678","type":"interactive","interactive":{"type":"button","body":{"text":"Continue?"},
			"action":{"buttons":[{"type":"reply","reply":{"id":"y","title":"Yes"}},{"type":"reply","reply":{"id":"n","title":"No"}}]}}}`},
		{"template", Template(to, "nudge", "sw", "Amina"), `{"messaging_product":"whatsapp","recipient_type":"individual","to":"+254712345678",
			"type":"template","template":{"name":"nudge","language":{"code":"sw"},"components":[{"type":"body","parameters":[{"type":"text","text":"Amina"}]}]}}`},
		{"document by link", Document(to, "https://x.test/aid-v2.pdf", "aid.pdf", ""), `{"messaging_product":"whatsapp","recipient_type":"individual",
			"to":"+254712345678","type":"document","document":{"link":"https://x.test/aid-v2.pdf","filename":"aid.pdf"}}`},
		{"document by id", Document(to, "123456", "aid.pdf", "Job aid"), `{"messaging_product":"whatsapp","recipient_type":"individual",
			"to":"+254712345678","type":"document","document":{"id":"123456","filename":"aid.pdf","caption":"Job aid"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := newGraph(t)
			sent, err := g.client().Send(context.Background(), tt.msg)
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			if sent != (Sent{MessageID: "wamid.1", WAID: "254712345678"}) {
				t.Errorf("Send = %+v", sent)
			}
			if g.path != "/v25.0/PNID/messages" || g.auth != "Bearer T0KEN" {
				t.Errorf("request to %q with %q", g.path, g.auth)
			}
			var want map[string]any
			if err := json.Unmarshal([]byte(tt.want), &want); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(want, g.body); d != "" {
				t.Errorf("request body (-want +got):\n%s", d)
			}
		})
	}
}

func TestSendRefusedBeforeRequest(t *testing.T) {
	long := []Row{{ID: "1", Title: strings.Repeat("x", MaxRowTitle+1)}}
	eleven := make([]Row, 11)
	for i := range eleven {
		eleven[i] = Row{ID: string(rune('a' + i)), Title: "t"}
	}
	tests := map[string]Message{
		"no plus":        Text("254712345678", "hi"),
		"long row title": List("+254712345678", "m", "b", long),
		"eleven rows":    List("+254712345678", "m", "b", eleven),
		"four buttons":   Buttons("+254712345678", "m", []Row{{ID: "1", Title: "a"}, {ID: "2", Title: "b"}, {ID: "3", Title: "c"}, {ID: "4", Title: "d"}}),
		"same ids":       Buttons("+254712345678", "m", []Row{{ID: "1", Title: "a"}, {ID: "1", Title: "b"}}),
	}
	for name, m := range tests {
		t.Run(name, func(t *testing.T) {
			g := newGraph(t)
			_, err := g.client().Send(context.Background(), m)
			if !errors.Is(err, ErrInvalidMessage) || g.path != "" {
				t.Errorf("Send = %v (request to %q), want ErrInvalidMessage and no request", err, g.path)
			}
		})
	}
}

func TestErrorClasses(t *testing.T) {
	body := func(code int) string {
		return `{"error":{"message":"(#x) words","type":"OAuthException","code":` + itoa(code) + `,"error_data":{"details":"details"},"fbtrace_id":"A"}}`
	}
	tests := []struct {
		name                          string
		status                        int
		answer                        string
		retryable, account, permanent bool
		code                          int
	}{
		{"throughput", 400, body(CodeThroughput), true, false, false, CodeThroughput},
		{"pair rate", 400, body(CodePairRate), true, false, false, CodePairRate},
		{"media fetch", 400, body(CodeMediaFailed), true, false, false, CodeMediaFailed},
		{"token expired", 401, body(CodeTokenExpired), false, true, false, CodeTokenExpired},
		{"restricted", 400, body(CodeRestricted), false, true, false, CodeRestricted},
		{"outside window", 400, body(CodeOutsideWindow), false, false, true, CodeOutsideWindow},
		{"not on whatsapp", 400, body(CodeUndeliverable), false, false, true, CodeUndeliverable},
		{"bad parameter", 400, body(CodeInvalidParam), false, false, true, CodeInvalidParam},
		{"server error, not json", 500, "<html>oops</html>", true, false, false, -1},
		{"429 without body", 429, "", true, false, false, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := newGraph(t)
			g.status, g.answer = tt.status, tt.answer
			_, err := g.client().Send(context.Background(), Text("+254712345678", "hi"))
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Send = %v, want *Error", err)
			}
			got := [3]bool{e.Retryable(), e.AccountFault(), e.Permanent()}
			if got != [3]bool{tt.retryable, tt.account, tt.permanent} || e.Code != tt.code {
				t.Errorf("code %d retryable, account, permanent = %v, want code %d %v", e.Code, got, tt.code, [3]bool{tt.retryable, tt.account, tt.permanent})
			}
		})
	}
}

func TestUnconfirmed(t *testing.T) {
	g := newGraph(t)
	g.answer = `{"messages":[`
	_, err := g.client().Send(context.Background(), Text("+254712345678", "hi"))
	var e *Error
	if !errors.As(err, &e) || !e.Unconfirmed() || e.Retryable() || e.Permanent() {
		t.Errorf("a 2xx with a cut answer = %v, want unconfirmed, not retryable, not permanent", err)
	}
	dead := New(Config{BaseURL: "http://127.0.0.1:1", PhoneNumberID: "P", Token: "T"})
	_, err = dead.Send(context.Background(), Text("+254712345678", "hi"))
	if !errors.As(err, &e) || !e.Retryable() || !e.Unconfirmed() {
		t.Errorf("no answer = %v, want retryable and unconfirmed", err)
	}
}

func TestMarkReadAndUpload(t *testing.T) {
	g := newGraph(t)
	g.answer = `{"success":true}`
	if err := g.client().MarkRead(context.Background(), "wamid.in", true); err != nil {
		t.Fatalf("MarkRead: %v", err)
	}
	want := map[string]any{"messaging_product": "whatsapp", "status": "read", "message_id": "wamid.in", "typing_indicator": map[string]any{"type": "text"}}
	if d := cmp.Diff(want, g.body); d != "" {
		t.Errorf("read receipt (-want +got):\n%s", d)
	}
	var form struct{ product, file string }
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v25.0/PNID/media" {
			http.NotFound(w, r)
			return
		}
		f, _, err := r.FormFile("file")
		if err == nil {
			b, _ := io.ReadAll(f)
			form.file = string(b)
		}
		form.product = r.FormValue("messaging_product")
		io.WriteString(w, `{"id":"media-7"}`)
	}))
	defer srv.Close()
	c := New(Config{BaseURL: srv.URL, Version: "v25.0", PhoneNumberID: "PNID", Token: "T"})
	id, err := c.UploadMedia(context.Background(), "aid.pdf", "application/pdf", strings.NewReader("%PDF-1.4"))
	if err != nil || id != "media-7" || form.file != "%PDF-1.4" || form.product != "whatsapp" {
		t.Errorf("UploadMedia = %q, %v (form %+v)", id, err, form)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }
