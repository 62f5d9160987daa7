package africastalking_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/sms/africastalking"
	"github.com/chanjo-health/chanjo/sms/fakegateway"
	"github.com/chanjo-health/chanjo/sms/fakegateway/fakegatewaytest"
)

func TestParseIncoming(t *testing.T) {
	at := time.Date(2017, 5, 3, 6, 4, 45, 0, time.UTC)
	tests := []struct {
		name    string
		form    string
		want    africastalking.Incoming
		wantErr bool
	}{
		{
			name: "courier's example, RFC 3339 date, UUID id, linkId",
			form: "linkId=03090445075804249226&text=Msg&to=21512&id=ec9adc86-51d5-4bc8-8eb0-d8ab0bb53dc3&date=2017-05-03T06%3A04%3A45Z&from=%2B254791541111",
			want: africastalking.Incoming{ID: "ec9adc86-51d5-4bc8-8eb0-d8ab0bb53dc3", From: "+254791541111", To: "21512", Text: "Msg", Date: at, LinkID: "03090445075804249226"},
		},
		{
			name: "space date, numeric id, no linkId",
			form: "text=STOP&to=21512&id=15071&date=2017-05-03+06%3A04%3A45&from=%2B254791541111&networkCode=63902",
			want: africastalking.Incoming{ID: "15071", From: "+254791541111", To: "21512", Text: "STOP", Date: at, NetworkCode: "63902"},
		},
		{
			name: "fractional seconds as in the fetch API",
			form: "text=x&to=21512&id=1&date=2018-03-19T08%3A34%3A18.445Z&from=%2B254711000000",
			want: africastalking.Incoming{ID: "1", From: "+254711000000", To: "21512", Text: "x", Date: time.Date(2018, 3, 19, 8, 34, 18, 445e6, time.UTC)},
		},
		{
			name: "empty text is allowed",
			form: "text=&to=21512&id=2&date=2017-05-03T06%3A04%3A45Z&from=%2B254711000000",
			want: africastalking.Incoming{ID: "2", From: "+254711000000", To: "21512", Date: at},
		},
		{name: "missing id", form: "text=x&to=21512&date=2017-05-03T06%3A04%3A45Z&from=%2B254711000000", wantErr: true},
		{name: "missing from", form: "text=x&to=21512&id=3&date=2017-05-03T06%3A04%3A45Z", wantErr: true},
		{name: "missing date", form: "text=x&to=21512&id=3&from=%2B254711000000", wantErr: true},
		{name: "unknown date format", form: "text=x&to=21512&id=3&date=03%2F05%2F2017&from=%2B254711000000", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := url.ParseQuery(tt.form)
			if err != nil {
				t.Fatal(err)
			}
			got, err := africastalking.ParseIncoming(v)
			if tt.wantErr {
				if !errors.Is(err, africastalking.ErrInvalidCallback) {
					t.Errorf("ParseIncoming(%q) error = %v, want ErrInvalidCallback", tt.form, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseIncoming(%q) error = %v", tt.form, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseIncoming(%q) mismatch (-want +got):\n%s", tt.form, diff)
			}
		})
	}
}

func TestParseDeliveryReport(t *testing.T) {
	tests := []struct {
		status string
		state  africastalking.DeliveryState
	}{
		{"Sent", africastalking.StatePending},
		{"Submitted", africastalking.StatePending},
		{"Buffered", africastalking.StatePending},
		{"Success", africastalking.StateDelivered},
		{"Failed", africastalking.StateFailed},
		{"Rejected", africastalking.StateFailed},
		{"Expired", africastalking.StateFailed},
		{"AbsentSubscriber", africastalking.StateFailed},
		{"success", africastalking.StateDelivered},
		{"SomethingNew", africastalking.StateUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.status, func(t *testing.T) {
			v := url.Values{"id": {"ATXid_520e732ea1191c1f03a7d9bea3a91006"}, "status": {tt.status}, "phoneNumber": {"+254720123123"},
				"networkCode": {"63902"}, "failureReason": {"UserInBlackList"}, "retryCount": {"2"}}
			got, err := africastalking.ParseDeliveryReport(v)
			if err != nil {
				t.Fatalf("ParseDeliveryReport(%v) error = %v", v, err)
			}
			want := africastalking.DeliveryReport{ID: "ATXid_520e732ea1191c1f03a7d9bea3a91006", Status: tt.status, State: tt.state,
				PhoneNumber: "+254720123123", NetworkCode: "63902", FailureReason: "UserInBlackList", RetryCount: 2}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("ParseDeliveryReport(%v) mismatch (-want +got):\n%s", v, diff)
			}
		})
	}
}

func TestParseDeliveryReportBadInput(t *testing.T) {
	tests := []struct {
		form    string
		wantErr bool
		retries int
	}{
		{form: "id=ATXid_1&status=Success", retries: 0},
		{form: "id=ATXid_1&status=Success&retryCount=abc", retries: 0},
		{form: "status=Success", wantErr: true},
		{form: "id=ATXid_1", wantErr: true},
	}
	for _, tt := range tests {
		v, _ := url.ParseQuery(tt.form)
		got, err := africastalking.ParseDeliveryReport(v)
		if tt.wantErr != errors.Is(err, africastalking.ErrInvalidCallback) {
			t.Errorf("ParseDeliveryReport(%q) error = %v, want ErrInvalidCallback: %v", tt.form, err, tt.wantErr)
		}
		if err == nil && got.RetryCount != tt.retries {
			t.Errorf("ParseDeliveryReport(%q).RetryCount = %d, want %d", tt.form, got.RetryCount, tt.retries)
		}
	}
}

func TestParseOptOut(t *testing.T) {
	v, _ := url.ParseQuery("senderId=COMPANY&phoneNumber=%2B254720123123")
	got, err := africastalking.ParseOptOut(v)
	want := africastalking.OptOut{SenderID: "COMPANY", PhoneNumber: "+254720123123"}
	if err != nil || got != want {
		t.Errorf("ParseOptOut(%v) = %+v, %v, want %+v, nil", v, got, err, want)
	}
	if _, err := africastalking.ParseOptOut(url.Values{"senderId": {"COMPANY"}}); !errors.Is(err, africastalking.ErrInvalidCallback) {
		t.Errorf("ParseOptOut(no phoneNumber) error = %v, want ErrInvalidCallback", err)
	}
}

// collector is a callback endpoint that parses what the fake posts.
type collector struct {
	mu       sync.Mutex
	reports  []africastalking.DeliveryReport
	incoming []africastalking.Incoming
	optOuts  []africastalking.OptOut
	failures int // answer 500 to this many requests first
	got      chan struct{}
}

func (c *collector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.failures > 0 {
		c.failures--
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	switch r.URL.Path {
	case "/delivery":
		d, err := africastalking.ParseDeliveryReport(r.PostForm)
		if err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		c.reports = append(c.reports, d)
	case "/inbound":
		in, err := africastalking.ParseIncoming(r.PostForm)
		if err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		c.incoming = append(c.incoming, in)
	case "/optout":
		o, err := africastalking.ParseOptOut(r.PostForm)
		if err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		c.optOuts = append(c.optOuts, o)
	}
	c.got <- struct{}{}
}

func newCollector(failures int) *collector {
	return &collector{failures: failures, got: make(chan struct{}, 64)}
}

// wait blocks until n callbacks were accepted; the deadline only keeps a broken test from hanging.
func (c *collector) wait(t *testing.T, n int) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for range n {
		select {
		case <-c.got:
		case <-deadline:
			t.Fatalf("callbacks: fewer than %d arrived", n)
		}
	}
}

type reportWant struct {
	Status        string
	State         africastalking.DeliveryState
	FailureReason string
}

func TestDeliveryReportsFromFake(t *testing.T) {
	const number = "+254712000001"
	tests := []struct {
		name  string
		opts  fakegateway.Options
		setup func(*fakegatewaytest.Server)
		want  []reportWant
	}{
		{name: "sent then success", want: []reportWant{{"Sent", africastalking.StatePending, ""}, {"Success", africastalking.StateDelivered, ""}}},
		{
			name:  "failed with a reason",
			setup: func(s *fakegatewaytest.Server) { s.SetDeliveryFailure(number, "Failed", "UserInBlackList") },
			want:  []reportWant{{"Sent", africastalking.StatePending, ""}, {"Failed", africastalking.StateFailed, "UserInBlackList"}},
		},
		{
			name:  "absent subscriber",
			setup: func(s *fakegatewaytest.Server) { s.SetDeliveryFailure(number, "AbsentSubscriber", "") },
			want:  []reportWant{{"Sent", africastalking.StatePending, ""}, {"AbsentSubscriber", africastalking.StateFailed, ""}},
		},
		{
			name: "final before intermediate",
			opts: fakegateway.Options{ReorderReports: true},
			want: []reportWant{{"Success", africastalking.StateDelivered, ""}, {"Sent", africastalking.StatePending, ""}},
		},
		{
			name: "duplicates",
			opts: fakegateway.Options{DuplicateReports: true},
			want: []reportWant{{"Sent", africastalking.StatePending, ""}, {"Sent", africastalking.StatePending, ""}, {"Success", africastalking.StateDelivered, ""}, {"Success", africastalking.StateDelivered, ""}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			col := newCollector(0)
			cb := httptest.NewServer(col)
			defer cb.Close()
			tt.opts.CallbackURL = cb.URL + "/delivery"
			fake := fakegatewaytest.NewServer(tt.opts)
			defer fake.Close()
			if tt.setup != nil {
				tt.setup(fake)
			}
			c := africastalking.New(africastalking.Config{Username: "sandbox", APIKey: fakegateway.DefaultAPIKey, BaseURL: fake.URL})
			resp, err := c.Send(context.Background(), africastalking.Message{To: []string{number}, Text: "Habari"})
			if err != nil {
				t.Fatalf("Send() error = %v", err)
			}
			col.wait(t, len(tt.want))
			col.mu.Lock()
			defer col.mu.Unlock()
			var got []reportWant
			for _, r := range col.reports {
				if r.ID != resp.Recipients[0].MessageID || r.PhoneNumber != number {
					t.Errorf("report id, phone = %q, %q, want %q, %q", r.ID, r.PhoneNumber, resp.Recipients[0].MessageID, number)
				}
				got = append(got, reportWant{r.Status, r.State, r.FailureReason})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("delivery reports mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestIncomingFromFake(t *testing.T) {
	at := time.Date(2026, 3, 1, 21, 5, 9, 0, time.UTC)
	tests := []struct {
		name         string
		in           fakegateway.Incoming
		failures     int
		wantAttempts int
		want         africastalking.Incoming
	}{
		{
			name:         "RFC 3339 date, numeric id, linkId",
			in:           fakegateway.Incoming{ID: "15071", From: "+254712000001", Text: "HELP", LinkID: "0309", Date: at},
			wantAttempts: 1,
			want:         africastalking.Incoming{ID: "15071", From: "+254712000001", To: "21512", Text: "HELP", LinkID: "0309", Date: at, NetworkCode: "99999"},
		},
		{
			name:         "space date, no linkId, re-posted until 200",
			in:           fakegateway.Incoming{ID: "ec9adc86-51d5-4bc8-8eb0-d8ab0bb53dc3", From: "+254712000001", To: "22334", Text: "acha", Date: at, Layout: fakegateway.DateSpace},
			failures:     2,
			wantAttempts: 3,
			want:         africastalking.Incoming{ID: "ec9adc86-51d5-4bc8-8eb0-d8ab0bb53dc3", From: "+254712000001", To: "22334", Text: "acha", Date: at, NetworkCode: "99999"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			col := newCollector(tt.failures)
			cb := httptest.NewServer(col)
			defer cb.Close()
			fake := fakegatewaytest.NewServer(fakegateway.Options{RetryDelay: time.Millisecond})
			defer fake.Close()
			attempts, err := fake.PostIncoming(context.Background(), cb.URL+"/inbound", tt.in)
			if err != nil || attempts != tt.wantAttempts {
				t.Fatalf("PostIncoming() = %d, %v, want %d, nil", attempts, err, tt.wantAttempts)
			}
			col.mu.Lock()
			defer col.mu.Unlock()
			if diff := cmp.Diff([]africastalking.Incoming{tt.want}, col.incoming); diff != "" {
				t.Errorf("incoming mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestOptOutFromFake(t *testing.T) {
	col := newCollector(0)
	cb := httptest.NewServer(col)
	defer cb.Close()
	fake := fakegatewaytest.NewServer(fakegateway.Options{})
	defer fake.Close()
	if _, err := fake.PostOptOut(context.Background(), cb.URL+"/optout", "CHANJO", "+254712000001"); err != nil {
		t.Fatalf("PostOptOut() error = %v", err)
	}
	col.mu.Lock()
	defer col.mu.Unlock()
	want := []africastalking.OptOut{{SenderID: "CHANJO", PhoneNumber: "+254712000001"}}
	if diff := cmp.Diff(want, col.optOuts); diff != "" {
		t.Errorf("opt-outs mismatch (-want +got):\n%s", diff)
	}
}
