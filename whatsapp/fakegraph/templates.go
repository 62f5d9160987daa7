package fakegraph

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/chanjo-health/chanjo/whatsapp/cloudapi"
)

// templatePage is how many templates one page of GET /{waba-id}/message_templates holds: small,
// so that the shipped pack's templates already take several pages and clients must follow paging.next.
const templatePage = 3

// templates reads Config.Templates ("name/lang" or "name/lang=STATUS"); every one is UTILITY.
func (s *Server) templates() []cloudapi.TemplateInfo {
	var out []cloudapi.TemplateInfo
	for _, t := range s.cfg.Templates {
		key, status, ok := strings.Cut(t, "=")
		if !ok {
			status = cloudapi.TemplateApproved
		}
		name, lang, _ := strings.Cut(key, "/")
		out = append(out, cloudapi.TemplateInfo{Name: name, Language: lang, Status: status, Category: "UTILITY"})
	}
	return out
}

// serveTemplates answers GET /v…/{waba-id}/message_templates?after=n, templatePage templates at a
// time with paging.next while more follow; false when the request is not that.
func (s *Server) serveTemplates(w http.ResponseWriter, r *http.Request, parts []string) bool {
	if r.Method != http.MethodGet || len(parts) != 3 || parts[2] != "message_templates" {
		return false
	}
	if parts[1] != s.cfg.WABAID || s.cfg.WABAID == "" {
		writeError(w, http.StatusBadRequest, cloudapi.CodeInvalidParam, "Unsupported get request: unknown business account")
		return true
	}
	all := s.templates()
	after, _ := strconv.Atoi(r.URL.Query().Get("after"))
	after = min(max(after, 0), len(all))
	end := min(after+templatePage, len(all))
	answer := map[string]any{"data": all[after:end]}
	if end < len(all) {
		q := r.URL.Query()
		q.Set("after", strconv.Itoa(end))
		answer["paging"] = map[string]any{"next": "http://" + r.Host + r.URL.Path + "?" + q.Encode()}
	}
	writeJSON(w, http.StatusOK, answer)
	return true
}
