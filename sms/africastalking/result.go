package africastalking

import (
	"strconv"
	"strings"
)

// Per-recipient status codes of the send answer (docs/gateway.md, "Sending SMS").
const (
	CodeProcessed             = 100
	CodeSent                  = 101
	CodeQueued                = 102
	CodeRiskHold              = 401
	CodeInvalidSenderID       = 402
	CodeInvalidPhoneNumber    = 403
	CodeUnsupportedNumberType = 404
	CodeInsufficientBalance   = 405
	CodeUserInBlacklist       = 406
	CodeCouldNotRoute         = 407
	CodeDoNotDisturbRejection = 409
	CodeInternalServerError   = 500
	CodeGatewayError          = 501
	CodeRejectedByGateway     = 502
)

// statusCodes maps the status names the gateway uses (in a recipient's status, or alone in the summary
// Message) to their codes.
var statusCodes = map[string]int{
	"Processed":             CodeProcessed,
	"Sent":                  CodeSent,
	"Queued":                CodeQueued,
	"RiskHold":              CodeRiskHold,
	"InvalidSenderId":       CodeInvalidSenderID,
	"InvalidPhoneNumber":    CodeInvalidPhoneNumber,
	"UnsupportedNumberType": CodeUnsupportedNumberType,
	"InsufficientBalance":   CodeInsufficientBalance,
	"UserInBlacklist":       CodeUserInBlacklist,
	"CouldNotRoute":         CodeCouldNotRoute,
	"DoNotDisturbRejection": CodeDoNotDisturbRejection,
	"InternalServerError":   CodeInternalServerError,
	"GatewayError":          CodeGatewayError,
	"RejectedByGateway":     CodeRejectedByGateway,
}

// StatusName returns the gateway's name for a per-recipient status code ("UserInBlacklist"), or "" for an
// unknown code.
func StatusName(code int) string {
	for name, c := range statusCodes {
		if c == code {
			return name
		}
	}
	return ""
}

func retryableCode(code int) bool {
	switch code {
	case CodeInvalidSenderID, CodeInsufficientBalance, CodeInternalServerError, CodeGatewayError, CodeRejectedByGateway:
		return true
	}
	return false
}

// Response is a send answer that carried per-recipient results.
type Response struct {
	// Summary is the gateway's human summary ("Sent to 1/2 Total Cost: KES 0.8000"): log it, never
	// parse it.
	Summary    string
	Recipients []Recipient
}

// AccountFault reports whether every recipient failed with InsufficientBalance (405): the account is
// out of credit, no number is at fault, and nothing was sent.
func (r *Response) AccountFault() bool {
	for _, rc := range r.Recipients {
		if rc.StatusCode != CodeInsufficientBalance {
			return false
		}
	}
	return len(r.Recipients) > 0
}

// Recipient is the result for one number.
type Recipient struct {
	StatusCode int
	// Number is the number as the gateway echoed it.
	Number string
	// Status is the code's name: "Success" on success, else e.g. "InvalidPhoneNumber".
	Status string
	Cost   Cost
	// MessageID is the gateway's id (ATXid_...), the key of later delivery reports; "" when the
	// gateway gave none (it sends the literal "None" for failed recipients).
	MessageID string
}

// OK reports whether the gateway accepted the message for this recipient (codes 100-102, or a
// "Success" status when the code is missing).
func (r Recipient) OK() bool {
	switch r.StatusCode {
	case CodeProcessed, CodeSent, CodeQueued:
		return true
	case 0:
		return r.Status == "Success"
	}
	return false
}

// Retryable reports whether a failed recipient may succeed later without changing the message:
// InvalidSenderId (402) and InsufficientBalance (405) after a fix or a top-up, and the gateway's own
// errors (500-502). Every other failure (401 RiskHold, 403, 404, 406 opted out, 407, 409 and unknown
// codes) is permanent.
func (r Recipient) Retryable() bool {
	return !r.OK() && retryableCode(r.StatusCode)
}

// Cost is a price as the gateway writes it: "KES 0.8000".
type Cost struct {
	Currency string
	// Amount is in the currency's main unit. It is for reports and estimates, not accounting.
	Amount float64
}

// ParseCost reads "KES 0.8000" into a Cost. "0" and "" (free or failed recipients) are a zero Cost;
// anything unreadable is a zero Cost too, since a price never decides whether a message was sent.
func ParseCost(s string) Cost {
	s = strings.TrimSpace(s)
	currency, amount, found := strings.Cut(s, " ")
	if !found {
		currency, amount = "", s
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(amount), 64)
	if err != nil {
		return Cost{}
	}
	return Cost{Currency: currency, Amount: f}
}

// wireResponse is the JSON body of a send answer.
type wireResponse struct {
	SMSMessageData *struct {
		Message    string          `json:"Message"`
		Recipients []wireRecipient `json:"Recipients"`
	} `json:"SMSMessageData"`
}

type wireRecipient struct {
	StatusCode int    `json:"statusCode"`
	Number     string `json:"number"`
	Status     string `json:"status"`
	Cost       string `json:"cost"`
	MessageID  string `json:"messageId"`
}

func (w wireResponse) response() *Response {
	r := &Response{Summary: w.SMSMessageData.Message, Recipients: make([]Recipient, len(w.SMSMessageData.Recipients))}
	for i, wr := range w.SMSMessageData.Recipients {
		id := wr.MessageID
		if strings.EqualFold(id, "None") {
			id = ""
		}
		r.Recipients[i] = Recipient{StatusCode: wr.StatusCode, Number: wr.Number, Status: wr.Status, Cost: ParseCost(wr.Cost), MessageID: id}
	}
	return r
}
