package cloudapi

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Template statuses Meta reports (whatsapp-api.md §4.2); only an approved template can be sent.
const (
	TemplateApproved = "APPROVED"
	TemplatePending  = "PENDING"
	TemplateRejected = "REJECTED"
)

// maxTemplatePages bounds how many pages Templates follows: a business account holds at most a
// few hundred templates, so more pages mean a paging loop, not templates.
const maxTemplatePages = 100

// TemplateInfo is one template of a WhatsApp Business Account in one language, as Meta lists it.
type TemplateInfo struct {
	Name     string `json:"name"`
	Language string `json:"language"` // Meta's exact code, e.g. "en" or "en_US"
	Status   string `json:"status"`   // TemplateApproved, TemplatePending, TemplateRejected, or another of Meta's
	Category string `json:"category"` // UTILITY, MARKETING or AUTHENTICATION
}

// Templates lists the templates of the business account wabaID (WA_WABA_ID) with their status and
// category: GET /{waba-id}/message_templates, following paging.next to the last page.
func (c *Client) Templates(ctx context.Context, wabaID string) ([]TemplateInfo, error) {
	if wabaID == "" {
		return nil, fmt.Errorf("cloudapi: templates: no business account id")
	}
	next := c.root + "/" + url.PathEscape(wabaID) + "/message_templates?" +
		url.Values{"fields": {"name,language,status,category"}}.Encode()
	var all []TemplateInfo
	for range maxTemplatePages {
		var page struct {
			Data   []TemplateInfo `json:"data"`
			Paging struct {
				Next string `json:"next"`
			} `json:"paging"`
		}
		if err := c.do(ctx, http.MethodGet, next, "", nil, &page); err != nil {
			return nil, fmt.Errorf("cloudapi: templates: %w", err)
		}
		all = append(all, page.Data...)
		if page.Paging.Next == "" {
			return all, nil
		}
		// The bearer token goes only to the Graph host the client was given.
		if !strings.HasPrefix(page.Paging.Next, c.root+"/") {
			return nil, fmt.Errorf("cloudapi: templates: next page off the Graph host")
		}
		next = page.Paging.Next
	}
	return nil, fmt.Errorf("cloudapi: templates: more than %d pages", maxTemplatePages)
}
