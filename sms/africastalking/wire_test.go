package africastalking_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/sms/africastalking"
)

// TestSendRequestShape checks the request against what the gateway's docs ask for, independently of
// the fake.
func TestSendRequestShape(t *testing.T) {
	tests := []struct {
		name string
		msg  africastalking.Message
		want url.Values
	}{
		{
			name: "minimal",
			msg:  africastalking.Message{To: []string{"+254712000001"}, Text: "Habari"},
			want: url.Values{"username": {"sandbox"}, "to": {"+254712000001"}, "message": {"Habari"}, "bulkSMSMode": {"1"}},
		},
		{
			name: "many recipients, sender and enqueue",
			msg:  africastalking.Message{To: []string{"+254712000001", "+254712000002"}, Text: "Habari", From: "CHANJO", Enqueue: true},
			want: url.Values{
				"username": {"sandbox"}, "to": {"+254712000001,+254712000002"}, "message": {"Habari"},
				"bulkSMSMode": {"1"}, "from": {"CHANJO"}, "enqueue": {"1"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got url.Values
			var header http.Header
			var path string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_ = r.ParseForm()
				got, header, path = r.PostForm, r.Header, r.URL.Path
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusCreated)
				_, _ = w.Write([]byte(`{"SMSMessageData":{"Message":"Sent","Recipients":[{"statusCode":101,"number":"+254712000001","status":"Success","cost":"KES 0.8000","messageId":"ATXid_1"}]}}`))
			}))
			defer srv.Close()
			c := africastalking.New(africastalking.Config{Username: "sandbox", APIKey: "secret", BaseURL: srv.URL + "/"})
			if _, err := c.Send(context.Background(), tt.msg); err != nil {
				t.Fatalf("Send() error = %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Send() form mismatch (-want +got):\n%s", diff)
			}
			wantHeader := map[string]string{"Apikey": "secret", "Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded"}
			for k, v := range wantHeader {
				if header.Get(k) != v {
					t.Errorf("Send() header %s = %q, want %q", k, header.Get(k), v)
				}
			}
			if path != africastalking.SendPath {
				t.Errorf("Send() path = %q, want %q", path, africastalking.SendPath)
			}
		})
	}
}

// TestSendAnswers covers answers the fake does not produce on its own.
func TestSendAnswers(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		wantOK      bool
		retryable   bool
		unconfirmed bool
	}{
		{"200 is as good as 201", 200, "application/json", `{"SMSMessageData":{"Recipients":[{"statusCode":101,"status":"Success","messageId":"ATXid_1"}]}}`, true, false, false},
		{"charset in content type", 201, "application/json; charset=utf-8", `{"SMSMessageData":{"Recipients":[{"statusCode":102,"status":"Success","messageId":"ATXid_1"}]}}`, true, false, false},
		{"2xx text body is unconfirmed", 201, "text/plain", `Sent`, false, false, true},
		{"2xx XML is unconfirmed", 201, "application/xml", `<AfricasTalkingResponse/>`, false, false, true},
		{"2xx JSON without SMSMessageData is unconfirmed", 201, "application/json", `{}`, false, false, true},
		{"empty Recipients, InsufficientBalance", 201, "application/json", `{"SMSMessageData":{"Message":"InsufficientBalance","Recipients":[]}}`, false, true, false},
		{"empty Recipients, unknown reason", 201, "application/json", `{"SMSMessageData":{"Message":"SomethingNew","Recipients":[]}}`, false, true, false},
		{"empty Recipients, RiskHold", 201, "application/json", `{"SMSMessageData":{"Message":"RiskHold","Recipients":[]}}`, false, false, false},
		{"400 text", 400, "text/plain", `bad request`, false, false, false},
		{"403", 403, "text/plain", `forbidden`, false, false, false},
		{"409 text body", 409, "text/plain", `conflict`, false, false, false},
		{"502", 502, "text/html", `<html>bad gateway</html>`, false, true, false},
		{"503", 503, "text/plain", `unavailable`, false, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tt.contentType)
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}))
			defer srv.Close()
			c := africastalking.New(africastalking.Config{Username: "u", APIKey: "k", BaseURL: srv.URL})
			resp, err := c.Send(context.Background(), africastalking.Message{To: []string{"+254712000001"}, Text: "x"})
			if tt.wantOK {
				if err != nil || len(resp.Recipients) != 1 || !resp.Recipients[0].OK() {
					t.Fatalf("Send() = %+v, %v, want one OK recipient", resp, err)
				}
				return
			}
			var e *africastalking.Error
			if !errors.As(err, &e) {
				t.Fatalf("Send() error = %v, want *africastalking.Error", err)
			}
			if e.Retryable() != tt.retryable || e.Unconfirmed() != tt.unconfirmed {
				t.Errorf("Send() error %v: Retryable() = %v, Unconfirmed() = %v, want %v, %v", e, e.Retryable(), e.Unconfirmed(), tt.retryable, tt.unconfirmed)
			}
		})
	}
}

func TestBaseURLFor(t *testing.T) {
	tests := map[string]string{
		"sandbox": africastalking.SandboxBaseURL,
		"Sandbox": africastalking.SandboxBaseURL,
		"SANDBOX": africastalking.SandboxBaseURL,
		"chanjo":  africastalking.LiveBaseURL,
		"":        africastalking.LiveBaseURL,
	}
	for username, want := range tests {
		if got := africastalking.BaseURLFor(username); got != want {
			t.Errorf("BaseURLFor(%q) = %q, want %q", username, got, want)
		}
	}
}

func TestParseCost(t *testing.T) {
	tests := []struct {
		in   string
		want africastalking.Cost
	}{
		{"KES 0.8000", africastalking.Cost{Currency: "KES", Amount: 0.8}},
		{"USD 0.0079", africastalking.Cost{Currency: "USD", Amount: 0.0079}},
		{"KES 1.6000", africastalking.Cost{Currency: "KES", Amount: 1.6}},
		{"0", africastalking.Cost{}},
		{"", africastalking.Cost{}},
		{"KES lots", africastalking.Cost{}},
	}
	for _, tt := range tests {
		if got := africastalking.ParseCost(tt.in); got != tt.want {
			t.Errorf("ParseCost(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestRecipientClass(t *testing.T) {
	tests := []struct {
		r             africastalking.Recipient
		ok, retryable bool
	}{
		{africastalking.Recipient{StatusCode: 100}, true, false},
		{africastalking.Recipient{StatusCode: 101}, true, false},
		{africastalking.Recipient{StatusCode: 102}, true, false},
		{africastalking.Recipient{Status: "Success"}, true, false},
		{africastalking.Recipient{StatusCode: 401}, false, false},
		{africastalking.Recipient{StatusCode: 402}, false, true},
		{africastalking.Recipient{StatusCode: 403}, false, false},
		{africastalking.Recipient{StatusCode: 404}, false, false},
		{africastalking.Recipient{StatusCode: 405}, false, true},
		{africastalking.Recipient{StatusCode: 406}, false, false},
		{africastalking.Recipient{StatusCode: 407}, false, false},
		{africastalking.Recipient{StatusCode: 409}, false, false},
		{africastalking.Recipient{StatusCode: 500}, false, true},
		{africastalking.Recipient{StatusCode: 501}, false, true},
		{africastalking.Recipient{StatusCode: 502}, false, true},
		{africastalking.Recipient{StatusCode: 999}, false, false},
		{africastalking.Recipient{StatusCode: 0, Status: "Failed"}, false, false},
	}
	for _, tt := range tests {
		if got := tt.r.OK(); got != tt.ok {
			t.Errorf("Recipient%+v.OK() = %v, want %v", tt.r, got, tt.ok)
		}
		if got := tt.r.Retryable(); got != tt.retryable {
			t.Errorf("Recipient%+v.Retryable() = %v, want %v", tt.r, got, tt.retryable)
		}
	}
}

func TestStatusName(t *testing.T) {
	tests := map[int]string{406: "UserInBlacklist", 402: "InvalidSenderId", 101: "Sent", 999: ""}
	for code, want := range tests {
		if got := africastalking.StatusName(code); got != want {
			t.Errorf("StatusName(%d) = %q, want %q", code, got, want)
		}
	}
}
