package fakegateway

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/chanjo-health/chanjo/gsm"
	"github.com/chanjo-health/chanjo/phone"
)

// costPerSegment is what the sandbox reports per recipient for a one-segment message.
const costPerSegment = 0.80

// statusNames are the per-recipient status names of docs/gateway.md, "Sending SMS".
var statusNames = map[int]string{
	100: "Processed", 101: "Success", 102: "Success",
	401: "RiskHold", 402: "InvalidSenderId", 403: "InvalidPhoneNumber", 404: "UnsupportedNumberType",
	405: "InsufficientBalance", 406: "UserInBlacklist", 407: "CouldNotRoute", 409: "DoNotDisturbRejection",
	500: "InternalServerError", 501: "GatewayError", 502: "RejectedByGateway",
}

type wireRecipient struct {
	StatusCode int    `json:"statusCode"`
	Number     string `json:"number"`
	Status     string `json:"status"`
	Cost       string `json:"cost"`
	MessageID  string `json:"messageId"`
}

type wireData struct {
	Message    string          `json:"Message"`
	Recipients []wireRecipient `json:"Recipients"`
}

type wireResponse struct {
	SMSMessageData wireData `json:"SMSMessageData"`
}

// ServeHTTP answers POST /version1/messaging.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != SendPath {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		textError(w, http.StatusMethodNotAllowed, "method not allowed")
		return
	}
	if !g.authorized(r.Header.Get("apiKey")) {
		w.Header().Set("WWW-Authenticate", `Basic realm="api",charset=UTF-8`)
		textError(w, http.StatusUnauthorized, "The supplied authentication is invalid")
		return
	}
	// Reading the body first lets net/http notice a client that hangs up during the latency.
	if err := r.ParseForm(); err != nil {
		textError(w, http.StatusBadRequest, "unreadable form body")
		return
	}
	failure, latency := g.begin()
	if !sleep(r, latency) {
		return
	}
	switch failure {
	case FailThrottle:
		textError(w, http.StatusTooManyRequests, "Too many requests")
		return
	case FailServer:
		textError(w, http.StatusInternalServerError, "Internal server error")
		return
	}
	g.send(w, r, failure)
}

// begin counts the request and takes the next forced failure and the latency.
func (g *Gateway) begin() (Failure, time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.requests++
	var f Failure
	if len(g.failures) > 0 {
		f, g.failures = g.failures[0], g.failures[1:]
	}
	return f, g.latency
}

// sleep waits d unless the client gives up first; it reports whether to go on.
func sleep(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// send validates the parsed form and answers with per-recipient results. The real gateway defaults to XML;
// the fake refuses a request without Accept: application/json so a client that forgets it fails loudly.
func (g *Gateway) send(w http.ResponseWriter, r *http.Request, failure Failure) {
	if !strings.Contains(r.Header.Get("Accept"), "application/json") {
		textError(w, http.StatusBadRequest, "the fake gateway answers only Accept: application/json")
		return
	}
	for _, field := range []string{"username", "to", "message"} {
		if r.PostForm.Get(field) == "" {
			textError(w, http.StatusBadRequest, "missing required field: "+field)
			return
		}
	}
	from := r.PostForm.Get("from")
	if from != "" && len(g.senders) > 0 && !g.senders[from] {
		writeJSON(w, http.StatusCreated, wireResponse{SMSMessageData: wireData{Message: "InvalidSenderId", Recipients: []wireRecipient{}}})
		return
	}
	text := r.PostForm.Get("message")
	numbers := strings.Split(r.PostForm.Get("to"), ",")
	enqueue := r.PostForm.Get("enqueue") == "1"
	if failure == FailDND {
		writeJSON(w, http.StatusConflict, dndAnswer(numbers))
		return
	}
	data := g.accept(numbers, text, from, enqueue)
	if failure == FailMalformed {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		fmt.Fprint(w, `{"SMSMessageData":{"Message":"Sent to`)
		return
	}
	writeJSON(w, http.StatusCreated, wireResponse{SMSMessageData: data})
}

// accept builds each recipient's result and records the accepted messages, all under one lock so a
// 100-recipient request costs one lock round trip.
func (g *Gateway) accept(numbers []string, text, from string, enqueue bool) wireData {
	segments := gsm.Segments(text).Segments
	cost := fmt.Sprintf("KES %.4f", float64(segments)*costPerSegment)
	recipients := make([]wireRecipient, len(numbers))
	accepted := make([]Message, 0, len(numbers))
	g.mu.Lock()
	for i, n := range numbers {
		n = strings.TrimSpace(n)
		code := g.codeFor(n, enqueue)
		rec := wireRecipient{StatusCode: code, Number: n, Status: statusNames[code], Cost: "0", MessageID: "None"}
		if code >= 100 && code <= 102 {
			rec.Cost, rec.MessageID = cost, g.messageID()
			accepted = append(accepted, Message{ID: rec.MessageID, To: n, Text: text, From: from})
		}
		recipients[i] = rec
	}
	g.sent = append(g.sent, accepted...)
	g.mu.Unlock()
	g.afterAccept(accepted, segments)
	total := float64(len(accepted)*segments) * costPerSegment
	return wireData{
		Message:    fmt.Sprintf("Sent to %d/%d Total Cost: KES %.4f", len(accepted), len(numbers), total),
		Recipients: recipients,
	}
}

// codeFor returns a number's status code; g.mu must be held.
func (g *Gateway) codeFor(number string, enqueue bool) int {
	if code, ok := g.codes[number]; ok {
		return code
	}
	if !validNumber(number) {
		return 403
	}
	if enqueue {
		return 102
	}
	return 101
}

// afterAccept logs each accepted message and queues its delivery reports.
func (g *Gateway) afterAccept(accepted []Message, segments int) {
	for _, m := range accepted {
		if g.log != nil {
			g.log.Info("message accepted", "id", m.ID, phone.LogKey, phone.Mask(m.To), "segments", segments)
		}
		g.queueReport(m)
	}
}

func dndAnswer(numbers []string) wireResponse {
	recipients := make([]wireRecipient, len(numbers))
	for i, n := range numbers {
		recipients[i] = wireRecipient{StatusCode: 409, Number: strings.TrimSpace(n), Status: statusNames[409], Cost: "0", MessageID: "None"}
	}
	return wireResponse{SMSMessageData: wireData{Message: fmt.Sprintf("Sent to 0/%d Total Cost: 0", len(numbers)), Recipients: recipients}}
}

// validNumber reports whether s is "+" and 7 to 15 digits.
func validNumber(s string) bool {
	if len(s) < 8 || len(s) > 16 || s[0] != '+' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func textError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=UTF-8")
	w.WriteHeader(status)
	fmt.Fprint(w, msg)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // the client going away is its own problem
}
