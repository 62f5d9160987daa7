package sms_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// A mentor's "A<n> …" to a question the helpdesk closed is refused with the
// reason, and the nurse gets nothing.
func TestMentorAnswerToAClosedQuestion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		r := newRelayRig(t, db)
		ctx := context.Background()
		seen := map[string]int{}
		r.say(t, jane, "Can I give OPV and Penta on the same day?")
		r.sent(jane, seen)
		r.sent(mary, seen)

		sup, err := db.CreateUser(ctx, store.NewUser{Name: "yatta-sup", Role: store.RoleSupervisor, PasswordHash: "x", SubCounties: []string{"Yatta"}})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.CloseQuestion(ctx, store.Scope{SubCounties: []string{"Yatta"}}, sup.ID, 1); err != nil {
			t.Fatal(err)
		}
		r.say(t, mary, "A1 Yes, both the same day.")
		if diff := cmp.Diff([]string{"Chanjo: Q1 was closed, so your answer was not sent. Thank you!"}, r.sent(mary, seen)); diff != "" {
			t.Errorf("reply to Mary (-want +got):\n%s", diff)
		}
		if got := r.sent(jane, seen); len(got) != 0 {
			t.Errorf("Jane got %q for a closed question, want nothing", got)
		}
	})
}
