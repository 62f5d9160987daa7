package ussd

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/store"
)

// TestChatGolden replays the WhatsApp conversations of
// testdata/whatsapp/*.txt through Service.Chat. A file is a script:
// "@from PHONE" sets who writes, "> X" sends X (a text she typed, or the id
// of the row or button she chose: the same number), "@dial" dials USSD
// from her phone and "@ussd X" answers X on that dial, "#" starts a
// comment. Each message is first stored as the webhook inbox stores it
// (arrived), which records her opt-in on WhatsApp. The lines after each
// message are the answer expected, as Chat.String shows it. -update writes
// the answers given.
func TestChatGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/whatsapp/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no transcripts: %v", err)
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".txt"), func(t *testing.T) { runChatGolden(t, f) })
	}
}

func runChatGolden(t *testing.T, path string) {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	e := newTestEnv(t, false)
	var out strings.Builder
	var phone, sid, text string
	for i, s := range parseGolden(string(b)) {
		out.WriteString(s.directive + "\n")
		d := s.directive
		var got string
		switch {
		case strings.HasPrefix(d, "#"):
			continue
		case strings.HasPrefix(d, "@from "):
			phone = strings.TrimPrefix(d, "@from ")
			continue
		case d == "@dial":
			sid, text = "ATUid_chat"+string(rune('a'+i%26)), ""
			_, got = e.post(sid, phone, text)
		case strings.HasPrefix(d, "@ussd "):
			text = joinText(text, strings.TrimPrefix(d, "@ussd "))
			_, got = e.post(sid, phone, text)
		case strings.HasPrefix(d, "> "), d == ">":
			in := strings.TrimPrefix(strings.TrimPrefix(d, ">"), " ")
			e.arrived(t, fmt.Sprintf("wamid.golden%d", i), phone, in)
			got = e.svc.Chat(context.Background(), phone, in).String()
		default:
			t.Fatalf("%s: unknown line %q", path, d)
		}
		out.WriteString(got + "\n\n")
		if !*update && got != s.want {
			t.Errorf("%s: after %q (-want +got):\n%s", path, d, cmp.Diff(s.want, got))
		}
	}
	if *update {
		if err := os.WriteFile(path, []byte(strings.TrimRight(out.String(), "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// arrived stores the WhatsApp message wamid from the number p as the
// webhook inbox does before it is answered: a webhook row applied in one
// transaction, which records her opt-in the first time.
func (e *testEnv) arrived(t *testing.T, wamid, p, body string) {
	t.Helper()
	ctx := context.Background()
	if err := e.db.RecordWhatsAppWebhook(ctx, []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	pending, err := e.db.PendingWhatsAppWebhooks(ctx, 1)
	if err != nil || len(pending) != 1 {
		t.Fatalf("pending webhooks = %v, %v", pending, err)
	}
	msg := store.WhatsAppMessage{WAMID: wamid, Phone: p, Kind: "text", Body: body, SentAt: e.clock}
	if _, err := e.db.ApplyWhatsAppWebhook(ctx, pending[0].ID, []store.WhatsAppMessage{msg}, nil, nil, nil); err != nil {
		t.Fatal(err)
	}
}
