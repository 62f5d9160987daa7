package africastalking_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/chanjo-health/chanjo/sms/africastalking"
)

// TestAccountFaults: the answers that refuse the account rather than the
// messages (docs/gateway.md, "Sending SMS"), with the words a person is shown.
func TestAccountFaults(t *testing.T) {
	const json = "application/json"
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		account     bool
		words       string
	}{
		{"401 bad or rotated key", 401, "text/plain; charset=UTF-8", "The supplied authentication is invalid", true, "The supplied authentication is invalid"},
		{"403 suspended", 403, "text/plain", "Account suspended", true, "Account suspended"},
		{"2xx no recipients, InsufficientBalance", 201, json, `{"SMSMessageData":{"Message":"InsufficientBalance","Recipients":[]}}`, true, "InsufficientBalance"},
		{"every recipient 405", 201, json, `{"SMSMessageData":{"Recipients":[{"statusCode":405,"number":"+254712000001","status":"InsufficientBalance"},{"statusCode":405,"number":"+254712000002","status":"InsufficientBalance"}]}}`, true, ""},
		{"one recipient of two 405", 201, json, `{"SMSMessageData":{"Recipients":[{"statusCode":405,"number":"+254712000001","status":"InsufficientBalance"},{"statusCode":101,"number":"+254712000002","status":"Success","messageId":"ATXid_1"}]}}`, false, ""},
		{"2xx no recipients, InvalidSenderId", 201, json, `{"SMSMessageData":{"Message":"InvalidSenderId","Recipients":[]}}`, false, "InvalidSenderId"},
		{"2xx unreadable", 201, json, `{"SMSMessageData":`, false, `{"SMSMessageData":`},
		{"500", 500, "text/plain", "", false, "HTTP 500"},
		{"429", 429, "text/plain", "Too many requests", false, "Too many requests"},
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
			resp, err := c.Send(context.Background(), africastalking.Message{To: []string{"+254712000001", "+254712000002"}, Text: "x"})
			var e *africastalking.Error
			switch {
			case errors.As(err, &e):
				if e.AccountFault() != tt.account || e.Words() != tt.words {
					t.Errorf("AccountFault(), Words() = %v, %q, want %v, %q", e.AccountFault(), e.Words(), tt.account, tt.words)
				}
			case err != nil:
				t.Fatalf("Send() error = %v", err)
			case resp.AccountFault() != tt.account:
				t.Errorf("Response.AccountFault() = %v, want %v", resp.AccountFault(), tt.account)
			}
		})
	}
}
