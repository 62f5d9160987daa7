package admin

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/quiet"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// TestDashboardListsWhatNeedsAction is issue 16's finding 8 turned
// around: a Kibra supervisor's dashboard lists what waits on her, each
// count linking to its list, and says why the SMS that wait at 23:21 wait.
// Embakasi's like items would change every count if they leaked in; a
// visit overdue for 40 days still counts (the calendar used to drop them
// after 30).
func TestDashboardListsWhatNeedsAction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		ctx := context.Background()
		h.user("wanjiru", store.RoleSupervisor, "Kibra")
		h.now = time.Date(2025, 3, 10, 20, 21, 0, 0, time.UTC) // 23:21 in Nairobi
		for _, sc := range []string{"Kibra", "Embakasi"} {
			n := h.worker("Achieng "+sc, "+2547110000"+fmt.Sprint(len(sc)), sc, store.StatusActive)
			mentor := h.worker("Dama "+sc, "+2547120000"+fmt.Sprint(len(sc)), sc, store.StatusActive)
			h.worker("Baraka "+sc, "+2547130000"+fmt.Sprint(len(sc)), sc, store.StatusPending)
			storetest.LastDialled(t, db, n, h.now.Add(-20*24*time.Hour))
			storetest.LastDialled(t, db, mentor, h.now.Add(-time.Hour))
			h.calculate(n, "penta", 600, 300, 130)
			h.askedAt(n, "open", h.now.Add(-time.Hour))
			passed := h.askedAt(n, "passed on", h.now.Add(-48*time.Hour))
			storetest.Escalated(t, db, passed, h.now.Add(-24*time.Hour))
			answered := h.askedAt(n, "answered", h.now.Add(-48*time.Hour))
			storetest.Answered(t, db, answered, mentor, "yes", h.now)
			for _, days := range []int{40, 2, -1} { // two overdue, one tomorrow
				at := h.now.Add(-time.Duration(days) * 24 * time.Hour)
				storetest.ScheduledVisit(t, db, mentor, n, at)
			}
			for i := range 3 {
				_, err := db.QueueSMS(ctx, store.Outgoing{DedupeKey: sc + fmt.Sprint(i), Kind: store.KindNudge, Phone: "+254711000009",
					Body: "x", WorkerID: n})
				if err != nil {
					t.Fatal(err)
				}
			}
		}
		b, _ := h.loggedIn("wanjiru")
		rec := b.get("/admin")
		page := rec.Body.String()
		for _, want := range []string{
			`<a href="/admin/reports#stock"><strong>1</strong> stock alerts</a>: 1 vaccine at or below the order point`,
			`<a href="/admin/questions"><strong>2</strong> questions waiting for an answer</a>: 1 was passed on`,
			`<a href="/admin/visits"><strong>2</strong> overdue visits</a>`,
			`<a href="/admin/nurses?status=pending"><strong>1</strong> registrations to approve</a>`,
			`<a href="/admin/reports#nurses"><strong>1</strong> nurses who stopped dialling</a>`,
			`3 waiting now (of any month): quiet hours: held until 07:00`,
		} {
			if !strings.Contains(page, want) {
				t.Errorf("GET /admin = %d, lacks %q", rec.Code, want)
			}
		}
		visits := b.get("/admin/visits").Body.String()
		if !strings.Contains(visits, h.now.AddDate(0, 0, -40).In(h.con.tz).Format("Mon 2 Jan 2006")) {
			t.Errorf("GET /admin/visits lacks the visit overdue for 40 days")
		}
		if strings.Contains(page, "sending is paused") {
			t.Errorf("GET /admin says sending is paused; it is not")
		}
		if _, err := db.PauseChannel(ctx, store.ChannelSMS, "The supplied authentication is invalid", h.now.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		page = b.get("/admin").Body.String()
		if !strings.Contains(page, "<strong>3</strong> SMS held: sending is paused</a>: the gateway refused the account") {
			t.Errorf("GET /admin while paused lacks the paused line: %s", page)
		}
	})
}

// TestWaitingWhy: each reason SMS wait gets its words.
func TestWaitingWhy(t *testing.T) {
	eat := time.FixedZone("EAT", 3*3600)
	day := time.Date(2025, 3, 10, 10, 0, 0, 0, eat)
	night := time.Date(2025, 3, 10, 23, 21, 0, 0, eat)
	paused := &store.Pause{Reason: "InsufficientBalance", BeganAt: day.Add(-time.Hour)}
	tests := []struct {
		name  string
		a     store.Actions
		pause *store.Pause
		rate  float64
		now   time.Time
		want  string
	}{
		{"none", store.Actions{}, nil, 10, day, ""},
		{"rate", store.Actions{Queued: 1200}, nil, 10, day, "1200 waiting now (of any month): going out at up to 10 a second (SMS_RATE): about 2 minutes for all"},
		{"no limit", store.Actions{Queued: 5}, nil, 0, day, "5 waiting now (of any month): going out now"},
		{"quiet hours", store.Actions{Queued: 200}, nil, 10, night, "200 waiting now (of any month): quiet hours: held until 07:00 (urgent broadcasts and replies go now)"},
		{"paused", store.Actions{Queued: 200}, paused, 10, day, "200 waiting now (of any month): sending is paused since 09:00: the gateway refused the account"},
		{"later", store.Actions{Queued: 3, QueuedLater: 2}, nil, 10, day, "3 waiting now (of any month): 2 are scheduled or to be tried again later"},
	}
	for _, tt := range tests {
		if got := waitingWhy(tt.a, tt.pause, quiet.Hours{Start: 19 * 60, End: 7 * 60}, tt.rate, tt.now); got != tt.want {
			t.Errorf("waitingWhy(%s) = %q, want %q", tt.name, got, tt.want)
		}
	}
}
