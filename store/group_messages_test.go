package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// TestMentorReadsOnlyHerGroups: a mentor's USSD menu lists the groups she
// is in that hold a message, and reads their messages with their pending
// copies; a message of a group she is not in is not found.
func TestMentorReadsOnlyHerGroups(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var ws []store.Worker
		for i := range 4 {
			w, err := db.Register(ctx, store.Registration{Phone: fmt.Sprintf("+25471100040%d", i), Name: fmt.Sprintf("Nurse %d", i),
				Language: "en", FacilityCode: "12345", Active: true})
			if err != nil {
				t.Fatal(err)
			}
			ws = append(ws, w)
		}
		mine := storetest.Group(t, db, "Mine", db.Now(), ws[0].ID, ws[1].ID)
		storetest.Group(t, db, "Quiet one", db.Now(), ws[0].ID)
		theirs := storetest.Group(t, db, "Theirs", db.Now(), ws[2].ID, ws[3].ID)
		post := func(from store.Worker, group int64, key string) int64 {
			t.Helper()
			var id int64
			err := db.Tx(ctx, func(tx *store.Tx) error {
				gs, err := db.MemberGroups(ctx, tx, from.ID)
				if err != nil {
					return err
				}
				for _, g := range gs {
					if g.ID == group {
						var rs []store.GroupRecipient
						if id, rs, err = db.PostGroupMessage(ctx, tx, store.GroupPost{Group: g, Sender: from, Text: "hello " + key,
							Source: store.ChannelSMS, Key: key}); err != nil {
							return err
						}
						copies := make([]store.GroupCopy, len(rs))
						for i, r := range rs {
							copies[i] = store.GroupCopy{To: r, Body: "hello " + key}
						}
						_, err = db.QueueGroupCopies(ctx, tx, id, copies)
						return err
					}
				}
				return store.ErrNotFound
			})
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		ours := post(ws[1], mine, "sms:1")
		other := post(ws[3], theirs, "sms:2")

		gs, err := db.MentorGroups(ctx, ws[0].ID)
		if err != nil || len(gs) != 1 || gs[0].ID != mine {
			t.Errorf("MentorGroups = %+v, %v; want only Mine (Quiet one holds no message)", gs, err)
		}
		ms, err := db.MentorGroupMessages(ctx, ws[0].ID, mine, 20)
		if err != nil || len(ms) != 1 || ms[0].ID != ours || ms[0].SenderPhone != ws[1].Phone || len(ms[0].Copies) != 1 || ms[0].Copies[0].Pending != 1 {
			t.Errorf("MentorGroupMessages(Mine) = %+v, %v; want her message with one copy pending", ms, err)
		}
		if ms, err := db.MentorGroupMessages(ctx, ws[0].ID, theirs, 20); err != nil || len(ms) != 0 {
			t.Errorf("MentorGroupMessages(Theirs) = %+v, %v; want nothing", ms, err)
		}
		if _, err := db.MentorGroupMessage(ctx, ws[0].ID, other); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("MentorGroupMessage(a message of Theirs) = %v, want ErrNotFound", err)
		}
	})
}
