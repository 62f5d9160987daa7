// Package cloudapi is a thin client for Meta's WhatsApp Cloud API (POST /{phone-number-id}/messages
// and /media) and the wire format of the webhooks it makes: payloads, the X-Hub-Signature-256 check
// and the order of message statuses. It knows what each answer means (accepted, retryable, an account
// fault, permanent); what to do about it belongs to the caller. See whatsapp-api.md in the shared docs.
package cloudapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"time"
)

// DefaultBaseURL is Meta's Graph host; WA_BASE_URL replaces it with a fake or a proxy.
const DefaultBaseURL = "https://graph.facebook.com"

// DefaultVersion is the Graph API version used when WA_API_VERSION is unset (whatsapp-api.md §1.1).
const DefaultVersion = "v25.0"

// DefaultTimeout bounds one request, connection to last byte.
const DefaultTimeout = 15 * time.Second

// maxAnswer caps how much of an answer is read: Graph answers are a few hundred bytes.
const maxAnswer = 1 << 20

// Config is what a Client needs: WA_BASE_URL, WA_API_VERSION, WA_PHONE_NUMBER_ID and WA_TOKEN.
type Config struct {
	BaseURL       string // "" means DefaultBaseURL
	Version       string // "" means DefaultVersion; "25.0" and "v25.0" both work
	PhoneNumberID string
	Token         string
	// HTTPClient is used for every request; nil means a client with DefaultTimeout.
	HTTPClient *http.Client
}

// Client sends WhatsApp messages from one business phone number. It is safe for concurrent use.
type Client struct {
	root  string // base URL and version, e.g. https://graph.facebook.com/v25.0
	pnid  string
	token string
	http  *http.Client
}

// New returns a Client for cfg.
func New(cfg Config) *Client {
	base := cfg.BaseURL
	if base == "" {
		base = DefaultBaseURL
	}
	version := cfg.Version
	if version == "" {
		version = DefaultVersion
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: DefaultTimeout}
	}
	return &Client{
		root:  strings.TrimRight(base, "/") + "/v" + strings.TrimPrefix(version, "v"),
		pnid:  cfg.PhoneNumberID,
		token: cfg.Token,
		http:  hc,
	}
}

// Sent is Meta's acceptance of a message: accepted, not delivered (whatsapp-api.md §2.6).
type Sent struct {
	// MessageID is the wamid that the status webhooks name.
	MessageID string
	// WAID is the recipient's WhatsApp id (digits, no "+"); it may differ from the number sent to.
	WAID string
}

// postJSON sends body to path and decodes a 2xx answer into out (nil: the answer is ignored).
func (c *Client) postJSON(ctx context.Context, path string, body any, out any) error {
	raw, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("cloudapi: encode request: %w", err)
	}
	return c.do(ctx, http.MethodPost, c.root+path, "application/json", bytes.NewReader(raw), out)
}

// do sends one request to url (under c.root) and decodes a 2xx answer into out (nil: ignored);
// contentType "" sends no body.
func (c *Client) do(ctx context.Context, method, url, contentType string, body io.Reader, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, url, body)
	if err != nil {
		return fmt.Errorf("cloudapi: request: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return &Error{Code: -1, Err: err}
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if !is2xx(resp.StatusCode) {
		return graphError(resp.StatusCode, answer)
	}
	if err == nil && out != nil {
		err = json.Unmarshal(answer, out)
	}
	if err != nil {
		return &Error{HTTPStatus: resp.StatusCode, Code: -1, Err: err}
	}
	return nil
}

// graphError reads Meta's error shape (whatsapp-api.md §1.4); a body that is not that shape (a
// proxy's HTML page) leaves Code at -1 so the HTTP status decides.
func graphError(status int, body []byte) *Error {
	var answer struct {
		Error *struct {
			Message   string `json:"message"`
			Code      int    `json:"code"`
			ErrorData struct {
				Details string `json:"details"`
			} `json:"error_data"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &answer) != nil || answer.Error == nil {
		return &Error{HTTPStatus: status, Code: -1, Err: errors.New(http.StatusText(status))}
	}
	details := answer.Error.ErrorData.Details
	if details == "" {
		details = answer.Error.Message
	}
	return &Error{HTTPStatus: status, Code: answer.Error.Code, Details: details}
}

// UploadMedia uploads a file (a job aid) and returns its media id, usable in sends for 30 days.
func (c *Client) UploadMedia(ctx context.Context, filename, mimeType string, data io.Reader) (string, error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if err := w.WriteField("messaging_product", "whatsapp"); err != nil {
		return "", fmt.Errorf("cloudapi: upload media: %w", err)
	}
	if err := w.WriteField("type", mimeType); err != nil {
		return "", fmt.Errorf("cloudapi: upload media: %w", err)
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, filename))
	h.Set("Content-Type", mimeType)
	part, err := w.CreatePart(h)
	if err == nil {
		_, err = io.Copy(part, data)
	}
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		return "", fmt.Errorf("cloudapi: upload media: %w", err)
	}
	var answer struct {
		ID string `json:"id"`
	}
	if err := c.do(ctx, http.MethodPost, c.root+"/"+c.pnid+"/media", w.FormDataContentType(), &buf, &answer); err != nil {
		return "", err
	}
	return answer.ID, nil
}
