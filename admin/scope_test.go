package admin

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// TestEveryObjectRouteScoped walks every route of the console and the API
// that names an object (":id") and asks it, as a supervisor of Kibra, for
// an object of Embakasi: each answers 404 and changes nothing. A new route
// whose object this test does not know fails it, so none goes unchecked.
func TestEveryObjectRouteScoped(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		p := peopleFixture(h)
		ctx := t.Context()
		bc, err := db.CreateBroadcast(ctx, store.Scope{Admin: true}, 0, store.NewBroadcast{
			Audience: store.Audience{SubCounties: []string{"Embakasi"}}, Body: "Stock count on Monday."})
		if err != nil {
			t.Fatal(err)
		}
		question := storetest.Question(t, db, p.theirNurse, "How do I count open vials?", h.now)
		theirs := map[string]int64{
			"nurses": p.theirNurse, "workers": p.theirNurse, "groups": p.theirGroup,
			"visits": p.theirVisit, "broadcasts": bc.ID, "questions": question,
		}
		b, csrf := h.loggedIn("wanjiru")
		token := h.token(h.userByName("wanjiru"))
		// The accounts pages are administrators' only: any object is 403.
		admins := map[string]bool{"users": true, "tokens": true}
		tokens, err := db.Tokens(ctx, "wanjiru")
		if err != nil {
			t.Fatal(err)
		}
		theirs["users"], theirs["tokens"] = h.userByName("wanjiru").ID, tokens[0].ID
		before := h.snapshot()
		at := h.now.Add(72 * time.Hour).In(testZone).Format(sendAtLayout)
		checked := 0
		for _, r := range h.r.Routes() {
			if !strings.Contains(r.Path, "/:id") {
				continue
			}
			parts := strings.Split(strings.TrimPrefix(strings.TrimPrefix(r.Path, "/api/v1/"), "/admin/"), "/")
			obj, ok := theirs[parts[0]]
			if !ok {
				t.Errorf("%s %s: this test does not know its object; add one of Embakasi", r.Method, r.Path)
				continue
			}
			path := strings.ReplaceAll(strings.ReplaceAll(r.Path, ":id", id(obj)), ":worker", id(p.theirNurse))
			var code int
			switch {
			case strings.HasPrefix(path, "/api/"):
				code = h.api(r.Method, path, token, `{"status": "active", "at": "2025-03-14T09:00:00+03:00"}`).Code
			case r.Method == http.MethodGet:
				code = b.get(path).Code
			default:
				code = b.post(path, form("csrf", csrf, "date", at[:10], "time", at[11:], "language", "sw", "worker_id", id(p.theirNurse))).Code
			}
			if code != http.StatusNotFound && !(admins[parts[0]] && code == http.StatusForbidden) {
				t.Errorf("%s %s as Kibra's supervisor = %d, want 404 (403 for an admin's page)", r.Method, path, code)
			}
			checked++
		}
		if checked < 18 {
			t.Errorf("checked %d object routes, want at least the 18 the console and API had when this test was written", checked)
		}
		if diff := cmp.Diff(before, h.snapshot()); diff != "" {
			t.Errorf("refused requests changed the database (-before +after):\n%s", diff)
		}
	})
}
