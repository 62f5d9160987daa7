package africastalking_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/chanjo-health/chanjo/sms/africastalking"
	"github.com/chanjo-health/chanjo/sms/fakegateway"
	"github.com/chanjo-health/chanjo/sms/fakegateway/fakegatewaytest"
)

var messageIDPattern = regexp.MustCompile(`^ATXid_[0-9a-f]{32}$`)

// errorWant is what a test expects of a request-level *Error.
type errorWant struct {
	HTTPStatus  int
	Reason      string
	Body        string
	Retryable   bool
	Unconfirmed bool
}

func TestSendAgainstFake(t *testing.T) {
	const (
		good1 = "+254712000001"
		good2 = "+254712000002"
		good3 = "+254712000003"
	)
	kes := func(a float64) africastalking.Cost { return africastalking.Cost{Currency: "KES", Amount: a} }
	tests := []struct {
		name      string
		setup     func(*fakegatewaytest.Server)
		apiKey    string
		msg       africastalking.Message
		want      []africastalking.Recipient // MessageID compared by presence only
		wantErr   *errorWant
		wantSent  int
		retryable []bool
	}{
		{
			name:     "one recipient",
			msg:      africastalking.Message{To: []string{good1}, Text: "Habari"},
			want:     []africastalking.Recipient{{StatusCode: 101, Number: good1, Status: "Success", Cost: kes(0.8), MessageID: "x"}},
			wantSent: 1,
		},
		{
			name: "several recipients in one request",
			msg:  africastalking.Message{To: []string{good1, good2, good3}, Text: "Habari"},
			want: []africastalking.Recipient{
				{StatusCode: 101, Number: good1, Status: "Success", Cost: kes(0.8), MessageID: "x"},
				{StatusCode: 101, Number: good2, Status: "Success", Cost: kes(0.8), MessageID: "x"},
				{StatusCode: 101, Number: good3, Status: "Success", Cost: kes(0.8), MessageID: "x"},
			},
			wantSent: 3,
		},
		{
			name:     "enqueue answers 102",
			msg:      africastalking.Message{To: []string{good1}, Text: "Habari", Enqueue: true},
			want:     []africastalking.Recipient{{StatusCode: 102, Number: good1, Status: "Success", Cost: kes(0.8), MessageID: "x"}},
			wantSent: 1,
		},
		{
			name:     "two segments cost twice",
			msg:      africastalking.Message{To: []string{good1}, Text: strings.Repeat("a", 161)},
			want:     []africastalking.Recipient{{StatusCode: 101, Number: good1, Status: "Success", Cost: kes(1.6), MessageID: "x"}},
			wantSent: 1,
		},
		{
			name: "mixed success and 403 with messageId None",
			msg:  africastalking.Message{To: []string{good1, "0712000002"}, Text: "Habari"},
			want: []africastalking.Recipient{
				{StatusCode: 101, Number: good1, Status: "Success", Cost: kes(0.8), MessageID: "x"},
				{StatusCode: 403, Number: "0712000002", Status: "InvalidPhoneNumber"},
			},
			wantSent:  1,
			retryable: []bool{false, false},
		},
		{
			name:  "forced per-recipient codes",
			setup: func(s *fakegatewaytest.Server) { s.SetCode(good1, 406); s.SetCode(good2, 405); s.SetCode(good3, 502) },
			msg:   africastalking.Message{To: []string{good1, good2, good3}, Text: "Habari"},
			want: []africastalking.Recipient{
				{StatusCode: 406, Number: good1, Status: "UserInBlacklist"},
				{StatusCode: 405, Number: good2, Status: "InsufficientBalance"},
				{StatusCode: 502, Number: good3, Status: "RejectedByGateway"},
			},
			retryable: []bool{false, true, true},
		},
		{
			name:    "empty Recipients with InvalidSenderId",
			msg:     africastalking.Message{To: []string{good1}, Text: "Habari", From: "NOTOURS"},
			wantErr: &errorWant{HTTPStatus: 201, Reason: "InvalidSenderId", Body: `{"SMSMessageData":{"Message":"InvalidSenderId","Recipients":[]}}` + "\n", Retryable: true},
		},
		{
			name:     "allowed sender",
			msg:      africastalking.Message{To: []string{good1}, Text: "Habari", From: "CHANJO"},
			want:     []africastalking.Recipient{{StatusCode: 101, Number: good1, Status: "Success", Cost: kes(0.8), MessageID: "x"}},
			wantSent: 1,
		},
		{
			name:    "401 with a text body",
			apiKey:  "wrong",
			msg:     africastalking.Message{To: []string{good1}, Text: "Habari"},
			wantErr: &errorWant{HTTPStatus: 401, Body: "The supplied authentication is invalid"},
		},
		{
			name:    "429 is retryable",
			setup:   func(s *fakegatewaytest.Server) { s.FailNext(1, fakegateway.FailThrottle) },
			msg:     africastalking.Message{To: []string{good1}, Text: "Habari"},
			wantErr: &errorWant{HTTPStatus: 429, Body: "Too many requests", Retryable: true},
		},
		{
			name:    "500 is retryable",
			setup:   func(s *fakegatewaytest.Server) { s.FailNext(1, fakegateway.FailServer) },
			msg:     africastalking.Message{To: []string{good1}, Text: "Habari"},
			wantErr: &errorWant{HTTPStatus: 500, Body: "Internal server error", Retryable: true},
		},
		{
			name:     "2xx with malformed JSON is unconfirmed, not retryable",
			setup:    func(s *fakegatewaytest.Server) { s.FailNext(1, fakegateway.FailMalformed) },
			msg:      africastalking.Message{To: []string{good1, good2}, Text: "Habari"},
			wantErr:  &errorWant{HTTPStatus: 201, Body: `{"SMSMessageData":{"Message":"Sent to`, Unconfirmed: true},
			wantSent: 2,
		},
		{
			name:      "HTTP 409 DoNotDisturbRejection gives permanent recipients",
			setup:     func(s *fakegatewaytest.Server) { s.FailNext(1, fakegateway.FailDND) },
			msg:       africastalking.Message{To: []string{good1}, Text: "Habari"},
			want:      []africastalking.Recipient{{StatusCode: 409, Number: good1, Status: "DoNotDisturbRejection"}},
			retryable: []bool{false},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := fakegatewaytest.NewServer(fakegateway.Options{Senders: []string{"CHANJO"}})
			defer fake.Close()
			if tt.setup != nil {
				tt.setup(fake)
			}
			key := fakegateway.DefaultAPIKey
			if tt.apiKey != "" {
				key = tt.apiKey
			}
			c := africastalking.New(africastalking.Config{Username: "sandbox", APIKey: key, BaseURL: fake.URL})
			resp, err := c.Send(context.Background(), tt.msg)
			checkSendError(t, err, tt.wantErr)
			if tt.wantErr == nil {
				checkRecipients(t, resp, tt.want, tt.retryable)
			}
			if got := fake.SentCount(); got != tt.wantSent {
				t.Errorf("fake SentCount() = %d, want %d", got, tt.wantSent)
			}
		})
	}
}

func checkSendError(t *testing.T, err error, want *errorWant) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Fatalf("Send() error = %v, want nil", err)
		}
		return
	}
	var e *africastalking.Error
	if !errors.As(err, &e) {
		t.Fatalf("Send() error = %v, want *africastalking.Error", err)
	}
	got := errorWant{HTTPStatus: e.HTTPStatus, Reason: e.Reason, Body: e.Body, Retryable: e.Retryable(), Unconfirmed: e.Unconfirmed()}
	if diff := cmp.Diff(*want, got); diff != "" {
		t.Errorf("Send() error mismatch (-want +got):\n%s", diff)
	}
}

func checkRecipients(t *testing.T, resp *africastalking.Response, want []africastalking.Recipient, retryable []bool) {
	t.Helper()
	for i, r := range resp.Recipients {
		if r.OK() != messageIDPattern.MatchString(r.MessageID) {
			t.Errorf("Recipient[%d].MessageID = %q, want an ATXid_ id exactly when OK() (%v)", i, r.MessageID, r.OK())
		}
		if r.OK() {
			resp.Recipients[i].MessageID = "x"
		}
		if i < len(retryable) && r.Retryable() != retryable[i] {
			t.Errorf("Recipient[%d].Retryable() = %v, want %v", i, r.Retryable(), retryable[i])
		}
	}
	if diff := cmp.Diff(want, resp.Recipients, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("Send() recipients mismatch (-want +got):\n%s", diff)
	}
}

// TestSendEncoding checks that "+" in numbers and text, "&", "=" and non-ASCII text reach the gateway
// intact: a raw "+" in a form body decodes as a space.
func TestSendEncoding(t *testing.T) {
	fake := fakegatewaytest.NewServer(fakegateway.Options{})
	defer fake.Close()
	c := africastalking.New(africastalking.Config{Username: "sandbox", APIKey: fakegateway.DefaultAPIKey, BaseURL: fake.URL})
	text := "Dial *384*123# & reply 1+1=2 ☺ Karibu"
	if _, err := c.Send(context.Background(), africastalking.Message{To: []string{"+254712000001"}, Text: text, From: "+254700000000"}); err != nil {
		t.Fatalf("Send() error = %v", err)
	}
	got := fake.Sent()
	want := []fakegateway.Message{{To: "+254712000001", Text: text, From: "+254700000000"}}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(fakegateway.Message{}, "ID")); diff != "" {
		t.Errorf("fake Sent() mismatch (-want +got):\n%s", diff)
	}
}

func TestSendTransportErrors(t *testing.T) {
	t.Run("connection refused", func(t *testing.T) {
		fake := fakegatewaytest.NewServer(fakegateway.Options{})
		url := fake.URL
		fake.Close()
		c := africastalking.New(africastalking.Config{Username: "u", APIKey: "k", BaseURL: url})
		_, err := c.Send(context.Background(), africastalking.Message{To: []string{"+254712000001"}, Text: "x"})
		var e *africastalking.Error
		if !errors.As(err, &e) || e.HTTPStatus != 0 || !e.Retryable() {
			t.Errorf("Send() to a closed server error = %v, want a retryable *Error with HTTPStatus 0", err)
		}
	})
	t.Run("timeout", func(t *testing.T) {
		fake := fakegatewaytest.NewServer(fakegateway.Options{})
		defer fake.Close()
		fake.SetLatency(time.Minute)
		c := africastalking.New(africastalking.Config{Username: "u", APIKey: fakegateway.DefaultAPIKey, BaseURL: fake.URL})
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		_, err := c.Send(ctx, africastalking.Message{To: []string{"+254712000001"}, Text: "x"})
		var e *africastalking.Error
		if !errors.As(err, &e) || !e.Retryable() || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Send() past its deadline error = %v, want a retryable *Error wrapping context.DeadlineExceeded", err)
		}
	})
	t.Run("no recipients", func(t *testing.T) {
		c := africastalking.New(africastalking.Config{Username: "u", APIKey: "k", BaseURL: "http://127.0.0.1:1"})
		if _, err := c.Send(context.Background(), africastalking.Message{Text: "x"}); err == nil {
			t.Errorf("Send() with no recipients error = nil, want an error")
		}
	})
}
