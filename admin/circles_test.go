package admin

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// storeCircles creates a circle's group as whatsapp.Circles does, without the Graph API: the store
// claims it once, and activates it with a group id.
type storeCircles struct {
	db    *store.DB
	calls int
	// removed counts the removals asked of the Graph API.
	removed int
}

func (s *storeCircles) RemoveStranger(ctx context.Context, sc store.Scope, userID, mentorID int64, waID string) (bool, error) {
	circle, _, state, err := s.db.StrangerInCircle(ctx, sc, mentorID, waID)
	if err != nil || state != store.StrangerJoined {
		return false, err
	}
	s.removed++
	return true, s.db.RemovedStranger(ctx, userID, circle, waID)
}

func (s *storeCircles) Create(ctx context.Context, sc store.Scope, userID, mentorID int64) (store.Circle, error) {
	s.calls++
	id, fresh, err := s.db.BeginCircleGroup(ctx, sc, userID, mentorID)
	if err == nil && fresh {
		err = s.db.Tx(ctx, func(tx *store.Tx) error {
			_, err := s.db.ActivateCircleGroup(ctx, tx, id, fmt.Sprint("G", id), "https://chat.whatsapp.com/X", []int64{mentorID}, nil)
			return err
		})
	}
	if err != nil {
		return store.Circle{}, err
	}
	return s.db.CircleOfMentor(ctx, mentorID)
}

// The mentor circle page: the members with their channel and join state, and the Create WhatsApp
// group action (POST with CSRF) only when GROUPS_ENABLED; a second click creates no second group;
// a mentor outside the supervisor's sub-counties is not found.
func TestCircleGroupPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		p := peopleFixture(h)
		b, csrf := h.loggedIn("wanjiru")
		path := fmt.Sprintf("/admin/circles/%d", p.myMentor)
		page := b.get(path)
		if page.Code != http.StatusOK || !strings.Contains(page.Body.String(), "Achieng") || strings.Contains(page.Body.String(), "Create WhatsApp group") {
			t.Errorf("circle page with groups off = %d, want Achieng listed and no create action", page.Code)
		}
		if rec := b.post(path+"/group", url.Values{"csrf": {csrf}}); rec.Code != http.StatusNotFound {
			t.Errorf("create with groups off = %d, want 404", rec.Code)
		}

		circles := &storeCircles{db: db}
		h.con.Circles = circles
		if body := b.get(path).Body.String(); !strings.Contains(body, "Create WhatsApp group") {
			t.Error("circle page with groups on: no create action")
		}
		if rec := b.post(path+"/group", url.Values{}); rec.Code != http.StatusForbidden {
			t.Errorf("create without CSRF = %d, want 403", rec.Code)
		}
		for range 2 {
			if rec := b.post(path+"/group", url.Values{"csrf": {csrf}}); rec.Code != http.StatusSeeOther {
				t.Errorf("create = %d, want 303", rec.Code)
			}
		}
		if groups := storetest.CircleGroups(t, db); groups != 1 {
			t.Errorf("circle groups after two clicks = %d; want 1", groups)
		}
		body := b.get(path).Body.String()
		if !strings.Contains(body, "active") || !strings.Contains(body, "invited") || strings.Contains(body, "Create WhatsApp group") {
			t.Errorf("circle page after creation: want the group active, Mary invited and no create action:\n%s", body)
		}
		// A post the group never got shows with its reason.
		ctx := context.Background()
		circle, err := db.CircleOfMentor(ctx, p.myMentor)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.QueueCirclePost(ctx, db, circle.ID, p.myMentor, "Mary (SMS): hi", "sms:1"); err != nil {
			t.Fatal(err)
		}
		posts, err := db.ClaimCirclePosts(ctx, store.RowClaim{Owner: "p", Limit: 1, Lease: time.Minute})
		if err != nil || len(posts) != 1 {
			t.Fatalf("claimed %d posts, %v", len(posts), err)
		}
		if err := db.FinishCirclePost(ctx, "p", posts[0].ID, "", "code 131020 The group has no participants yet"); err != nil {
			t.Fatal(err)
		}
		if body := b.get(path).Body.String(); !strings.Contains(body, "Not posted in the group") || !strings.Contains(body, "code 131020 The group has no participants yet") {
			t.Errorf("circle page: want the failed post and its reason:\n%s", body)
		}
		if rec := b.post(fmt.Sprintf("/admin/circles/%d/group", p.theirMentor), url.Values{"csrf": {csrf}}); rec.Code != http.StatusNotFound {
			t.Errorf("create for another sub-county's mentor = %d, want 404", rec.Code)
		}
		if rec := b.get(fmt.Sprintf("/admin/circles/%d", p.theirMentor)); rec.Code != http.StatusNotFound {
			t.Errorf("another sub-county's circle page = %d, want 404", rec.Code)
		}
	})
}

// failedPost queues an SMS member's post in the mentor's circle group (created first) and fails it
// for good, as the poster does after Meta's 131020: its id.
func failedPost(t *testing.T, db *store.DB, mentor int64, key string) int64 {
	t.Helper()
	ctx := context.Background()
	if _, err := (&storeCircles{db: db}).Create(ctx, store.Scope{Admin: true}, 0, mentor); err != nil {
		t.Fatal(err)
	}
	circle, err := db.CircleOfMentor(ctx, mentor)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.QueueCirclePost(ctx, db, circle.ID, mentor, "Mary (SMS): hi", key); err != nil {
		t.Fatal(err)
	}
	posts, err := db.ClaimCirclePosts(ctx, store.RowClaim{Owner: "p", Limit: 10, Lease: time.Minute})
	if err != nil || len(posts) != 1 {
		t.Fatalf("claimed %d posts, %v", len(posts), err)
	}
	if err := db.FinishCirclePost(ctx, "p", posts[0].ID, "", "code 131020 The group has no participants yet"); err != nil {
		t.Fatal(err)
	}
	return posts[0].ID
}

// A post the group never got is posted again from the circle page by the mentor's supervisor:
// POST with CSRF, audited; a second click queues nothing more; a supervisor of another sub-county
// finds neither the page nor the action.
func TestCircleRepost(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		p := peopleFixture(h)
		h.con.Circles = &storeCircles{db: db}
		post := failedPost(t, db, p.myMentor, "sms:1")
		theirs := failedPost(t, db, p.theirMentor, "sms:2")
		b, csrf := h.loggedIn("wanjiru")
		path := fmt.Sprintf("/admin/circles/%d", p.myMentor)
		repost := fmt.Sprintf("%s/posts/%d/repost", path, post)
		if body := b.get(path).Body.String(); !strings.Contains(body, `action="`+repost+`"`) {
			t.Fatalf("circle page: no Post again for the failed post:\n%s", body)
		}
		if rec := b.post(repost, url.Values{}); rec.Code != http.StatusForbidden {
			t.Errorf("repost without CSRF = %d, want 403", rec.Code)
		}
		for range 2 {
			if rec := b.post(repost, url.Values{"csrf": {csrf}}); rec.Code != http.StatusSeeOther {
				t.Errorf("repost = %d, want 303", rec.Code)
			}
		}
		if n := storetest.Audits(t, db, "circle.post.repost"); n != 1 {
			t.Errorf("reposts audited = %d, want 1", n)
		}
		queued, err := db.ClaimCirclePosts(context.Background(), store.RowClaim{Owner: "q", Limit: 10, Lease: time.Minute})
		if err != nil || len(queued) != 1 || queued[0].ID != post {
			t.Errorf("posts queued after two clicks = %+v, %v; want the one post once", queued, err)
		}
		if body := b.get(path).Body.String(); strings.Contains(body, "Not posted in the group") {
			t.Error("circle page still lists the reposted post as not posted")
		}
		other := fmt.Sprintf("/admin/circles/%d/posts/%d/repost", p.theirMentor, theirs)
		if rec := b.post(other, url.Values{"csrf": {csrf}}); rec.Code != http.StatusNotFound {
			t.Errorf("repost in another sub-county's circle = %d, want 404", rec.Code)
		}
		// Her own mentor's path does not reach another circle's post either.
		if rec := b.post(fmt.Sprintf("%s/posts/%d/repost", path, theirs), url.Values{"csrf": {csrf}}); rec.Code != http.StatusSeeOther {
			t.Errorf("repost of another circle's post through hers = %d, want 303 with nothing done", rec.Code)
		}
		if n := storetest.Audits(t, db, "circle.post.repost"); n != 1 {
			t.Errorf("reposts audited after the foreign post = %d, want 1", n)
		}
	})
}

// A stranger who joined the circle's group by its link shows on the circle page as not in this
// circle, with Remove (POST with CSRF, audited) while she is in the group: one click asks Meta once,
// a second asks nothing; another sub-county's supervisor cannot remove her.
func TestCircleStrangerRemoval(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		h := newHarness(t, db)
		p := peopleFixture(h)
		circles := &storeCircles{db: db}
		h.con.Circles = circles
		if _, err := circles.Create(ctx, store.Scope{Admin: true}, 0, p.myMentor); err != nil {
			t.Fatal(err)
		}
		circle, err := db.CircleOfMentor(ctx, p.myMentor)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.SetStranger(ctx, db, circle.ID, "254799000001", store.StrangerJoined); err != nil {
			t.Fatal(err)
		}
		b, csrf := h.loggedIn("wanjiru")
		path := fmt.Sprintf("/admin/circles/%d", p.myMentor)
		remove := path + "/strangers/254799000001/remove"
		body := b.get(path).Body.String()
		if !strings.Contains(body, "254799000001 (not in this circle)") || !strings.Contains(body, `action="`+remove+`"`) {
			t.Fatalf("circle page: want the stranger as not in this circle, with Remove:\n%s", body)
		}
		if rec := b.post(remove, url.Values{}); rec.Code != http.StatusForbidden {
			t.Errorf("remove without CSRF = %d, want 403", rec.Code)
		}
		if rec := b.post(fmt.Sprintf("/admin/circles/%d/strangers/254799000001/remove", p.theirMentor), url.Values{"csrf": {csrf}}); rec.Code != http.StatusNotFound {
			t.Errorf("remove through another sub-county's mentor = %d, want 404", rec.Code)
		}
		if rec := b.post(path+"/strangers/2547x/remove", url.Values{"csrf": {csrf}}); rec.Code != http.StatusNotFound {
			t.Errorf("remove of no number = %d, want 404", rec.Code)
		}
		for range 2 {
			if rec := b.post(remove, url.Values{"csrf": {csrf}}); rec.Code != http.StatusSeeOther {
				t.Errorf("remove = %d, want 303", rec.Code)
			}
		}
		if circles.removed != 1 || storetest.Audits(t, db, "circle.stranger.remove") != 1 {
			t.Errorf("removals asked = %d, audited = %d; want 1 and 1", circles.removed, storetest.Audits(t, db, "circle.stranger.remove"))
		}
		body = b.get(path).Body.String()
		if !strings.Contains(body, "removed") || strings.Contains(body, `action="`+remove+`"`) {
			t.Errorf("circle page after the removal: want the stranger removed, no Remove:\n%s", body)
		}
	})
}
