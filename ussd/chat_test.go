package ussd

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// TestChatLastsADay: a nurse who answers a WhatsApp menu hours later takes
// up her very screen, where a USSD position is kept only LastTTL.
func TestChatLastsADay(t *testing.T) {
	e := newTestEnv(t, false)
	ctx := context.Background()
	const p = "+254700000011"
	e.svc.Chat(ctx, p, "Hi")
	e.svc.Chat(ctx, p, "2")
	ttl, err := e.kv.PTTL(ctx, keysOf(e.kv.Prefix, chatID, p).phone).Result()
	if err != nil || ttl <= LastTTL || ttl > ChatTTL {
		t.Fatalf("the conversation is kept %v (%v), want over %v up to %v", ttl, err, LastTTL, ChatTTL)
	}
	e.clock = e.clock.Add(5 * time.Hour)
	if got := e.svc.Chat(ctx, p, "3").String(); !strings.Contains(got, "\nQuestion 1/5\n") {
		t.Errorf("five hours later, her answer to the quiz menu gives:\n%s", got)
	}
}

// TestChatRereadsNurse: a conversation lasts a day, so the nurse it carries
// is read again as at a dial: one the roster made inactive since gets the
// inactive screen, not the menus.
func TestChatRereadsNurse(t *testing.T) {
	e := newTestEnv(t, false)
	ctx := context.Background()
	const p = "+254700000011"
	e.svc.Chat(ctx, p, "Hi")
	storetest.SetStatus(t, e.db, p, store.StatusInactive)
	e.clock = e.clock.Add(reloadAfter + time.Minute)
	got := e.svc.Chat(ctx, p, "1")
	want := chatOf(End(e.svc.m.pack.Say("en", "main.inactive")), "", chatWords{})
	if got.String() != want.String() {
		t.Errorf("an inactive nurse's next message gives:\n%s\nwant:\n%s", got, want)
	}
}
