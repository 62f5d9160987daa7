package fakegateway_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/sms/fakegateway"
	"github.com/chanjo-health/chanjo/sms/fakegateway/fakegatewaytest"
)

func post(t *testing.T, url string, header map[string]string, form url.Values) (int, string, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(body)
}

// TestRequestChecks covers the refusals a client must never trigger: each gets a clear status and sends
// nothing.
func TestRequestChecks(t *testing.T) {
	full := url.Values{"username": {"sandbox"}, "to": {"+254712000001"}, "message": {"Habari"}}
	without := func(field string) url.Values {
		v := url.Values{}
		for k, vs := range full {
			if k != field {
				v[k] = vs
			}
		}
		return v
	}
	good := map[string]string{"apikey": fakegateway.DefaultAPIKey, "Accept": "application/json"}
	tests := []struct {
		name       string
		path       string
		header     map[string]string
		form       url.Values
		wantStatus int
		wantType   string
	}{
		{"accepted, lower-case apikey header", fakegateway.SendPath, good, full, 201, "application/json"},
		{"wrong key", fakegateway.SendPath, map[string]string{"apiKey": "nope", "Accept": "application/json"}, full, 401, "text/plain; charset=UTF-8"},
		{"no key", fakegateway.SendPath, map[string]string{"Accept": "application/json"}, full, 401, "text/plain; charset=UTF-8"},
		{"no Accept header", fakegateway.SendPath, map[string]string{"apiKey": fakegateway.DefaultAPIKey}, full, 400, "text/plain; charset=UTF-8"},
		{"missing username", fakegateway.SendPath, good, without("username"), 400, "text/plain; charset=UTF-8"},
		{"missing to", fakegateway.SendPath, good, without("to"), 400, "text/plain; charset=UTF-8"},
		{"missing message", fakegateway.SendPath, good, without("message"), 400, "text/plain; charset=UTF-8"},
		{"unknown path", "/version1/user", good, full, 404, "text/plain; charset=utf-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := fakegatewaytest.NewServer(fakegateway.Options{})
			defer s.Close()
			status, ctype, body := post(t, s.URL+tt.path, tt.header, tt.form)
			if status != tt.wantStatus || ctype != tt.wantType {
				t.Errorf("POST %s = %d %q (%q), want %d %q", tt.path, status, ctype, body, tt.wantStatus, tt.wantType)
			}
			wantSent := 0
			if tt.wantStatus == 201 {
				wantSent = 1
			}
			if got := s.SentCount(); got != wantSent {
				t.Errorf("SentCount() = %d, want %d", got, wantSent)
			}
		})
	}
}

func TestSummaryAndIDs(t *testing.T) {
	s := fakegatewaytest.NewServer(fakegateway.Options{})
	defer s.Close()
	form := url.Values{"username": {"sandbox"}, "to": {"+254712000001, +254712000002,bad"}, "message": {strings.Repeat("a", 200)}}
	_, _, body := post(t, s.URL+fakegateway.SendPath, map[string]string{"apiKey": fakegateway.DefaultAPIKey, "Accept": "application/json"}, form)
	if want := `"Message":"Sent to 2/3 Total Cost: KES 3.2000"`; !strings.Contains(body, want) {
		t.Errorf("answer %s, want it to contain %s", body, want)
	}
	id := regexp.MustCompile(`^ATXid_[0-9a-f]{32}$`)
	sent := s.Sent()
	if len(sent) != 2 || sent[1].To != "+254712000002" || !id.MatchString(sent[0].ID) || sent[0].ID == sent[1].ID {
		t.Errorf("Sent() = %+v, want two distinct ATXid_ ids with numbers trimmed", sent)
	}
}

func TestDuplicates(t *testing.T) {
	s := fakegatewaytest.NewServer(fakegateway.Options{})
	defer s.Close()
	h := map[string]string{"apiKey": fakegateway.DefaultAPIKey, "Accept": "application/json"}
	send := func(to, text string) {
		post(t, s.URL+fakegateway.SendPath, h, url.Values{"username": {"u"}, "to": {to}, "message": {text}})
	}
	send("+254712000001,+254712000002", "one")
	send("+254712000001", "two")
	send("+254712000002,+254712000003", "one")
	send("+254712000002", "one")
	if got, want := s.Duplicates(), 2; got != want {
		t.Errorf("Duplicates() = %d, want %d", got, want)
	}
	if got, want := s.Requests(), 4; got != want {
		t.Errorf("Requests() = %d, want %d", got, want)
	}
}

func TestPostIncomingGivesUp(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	g := fakegateway.New(fakegateway.Options{InjectAttempts: 3, RetryDelay: time.Millisecond})
	defer g.Close()
	n, err := g.PostIncoming(context.Background(), srv.URL, fakegateway.Incoming{From: "+254712000001", Text: "x"})
	if n != 3 || !errors.Is(err, fakegateway.ErrNotAcknowledged) {
		t.Errorf("PostIncoming() = %d, %v, want 3, fakegateway.ErrNotAcknowledged", n, err)
	}
}

func TestParseFlags(t *testing.T) {
	tests := []struct {
		args    []string
		want    fakegateway.Config
		wantErr bool
	}{
		{args: nil, want: fakegateway.Config{Addr: fakegateway.DefaultAddr, APIKey: fakegateway.DefaultAPIKey}},
		{
			args: []string{"--addr", ":9000", "--callback", "http://x/sms/delivery", "--senders", "CHANJO, 22334", "--latency", "20ms"},
			want: fakegateway.Config{Addr: ":9000", APIKey: fakegateway.DefaultAPIKey, Callback: "http://x/sms/delivery", Senders: []string{"CHANJO", "22334"}, Latency: 20 * time.Millisecond},
		},
		{args: []string{"--nope"}, wantErr: true},
		{args: []string{"extra"}, wantErr: true},
	}
	for _, tt := range tests {
		got, err := fakegateway.ParseFlags(tt.args, io.Discard)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseFlags(%q) error = %v, want error %v", tt.args, err, tt.wantErr)
			continue
		}
		if diff := cmp.Diff(tt.want, got); !tt.wantErr && diff != "" {
			t.Errorf("ParseFlags(%q) mismatch (-want +got):\n%s", tt.args, diff)
		}
	}
}

// syncBuffer is a bytes.Buffer safe to write from the server and read from the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestRun starts the command, sends through it and checks that the number is masked in its log.
func TestRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- fakegateway.Run(ctx, fakegateway.Config{Addr: "127.0.0.1:0", APIKey: "k"}, out) }()
	base := waitForBaseURL(t, out)
	status, _, _ := post(t, base+fakegateway.SendPath, map[string]string{"apiKey": "k", "Accept": "application/json"},
		url.Values{"username": {"sandbox"}, "to": {"+254712345678"}, "message": {"Habari"}})
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run() error = %v", err)
	}
	log := out.String()
	if status != 201 || !strings.Contains(log, "+2547******78") || strings.Contains(log, "+254712345678") {
		t.Errorf("Run() answered %d and logged:\n%s\nwant 201 and only the masked number", status, log)
	}
	if !strings.Contains(log, "AT_API_KEY=k") || !strings.Contains(log, "component=fakegateway") {
		t.Errorf("Run() output:\n%s\nwant the AT_API_KEY line and a component attribute", log)
	}
}

func waitForBaseURL(t *testing.T, out *syncBuffer) string {
	t.Helper()
	re := regexp.MustCompile(`AT_BASE_URL=(\S+)`)
	for range 500 {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			return m[1]
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("Run() printed no AT_BASE_URL:\n%s", out.String())
	return ""
}

// TestRefusedCallbackWarns: a delivery report that Chanjo refuses (a wrong
// token in --callback) is logged at warn, naming the status and never the token.
func TestRefusedCallbackWarns(t *testing.T) {
	chanjo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "missing or wrong token", http.StatusForbidden)
	}))
	defer chanjo.Close()
	var logs syncBuffer
	s := fakegatewaytest.NewServer(fakegateway.Options{CallbackURL: chanjo.URL + "/sms/delivery?token=wrong-secret",
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	defer s.Close()
	form := url.Values{"username": {"sandbox"}, "to": {"+254712000001"}, "message": {"hello"}}
	post(t, s.URL+fakegateway.SendPath, map[string]string{"apiKey": fakegateway.DefaultAPIKey, "Accept": "application/json"}, form)
	for !strings.Contains(logs.String(), "status=403") {
		time.Sleep(5 * time.Millisecond) // the test's own timeout ends a wait that never comes
	}
	if out := logs.String(); !strings.Contains(out, "level=WARN msg=\"delivery report refused: check the token in --callback\"") ||
		strings.Contains(out, "wrong-secret") {
		t.Errorf("log = %s, want a warning naming the status, without the token", out)
	}
}
