package ussd

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chanjo-health/chanjo/whatsapp/cloudapi"

	"github.com/chanjo-health/chanjo/lessons/screen"
)

var testWords = chatWords{labels: screen.Labels{Next: "1 Next", Back: "0 Back", Home: "00 Home", More: "98 More", EntryBack: "00 Back"},
	next: "Next", back: "Back", home: "Home", choose: "Choose"}

func labelled(labels ...string) []Item {
	items := make([]Item, len(labels))
	for i, l := range labels {
		items[i] = Item{Label: l}
	}
	return items
}

func ids(ch Chat) string {
	var s []string
	for _, c := range ch.Choices {
		s = append(s, c.ID)
	}
	return strings.Join(s, " ")
}

// TestChatChoosesForm checks the form each screen takes on WhatsApp: what
// the nurse can tap is exactly what she could type, and a menu WhatsApp
// would refuse as interactive (titles over 24 characters, more than 10
// rows, a body over 1,024 characters) is numbered text she answers by
// number, as on USSD.
func TestChatChoosesForm(t *testing.T) {
	long := strings.Repeat("x", 25)
	many := make([]string, 11)
	for i := range many {
		many[i] = "Item"
	}
	cases := []struct {
		name     string
		sc       Screen
		kind     ChatKind
		ids      string
		navTyped bool // "0 Back 00 Home" stays in the body as typed keys
	}{
		{"page: Next, Back, Home buttons", Page("A lesson page."), ChatButtons, "1 0 00", false},
		{"three short options: buttons, navigation typed", Menu("Q?", labelled("49", "48", "1215")...), ChatButtons, "1 2 3", true},
		{"one option with navigation: buttons", Menu("Sent.", labelled("Again")...), ChatButtons, "1 0 00", false},
		{"a title of 21 characters: no button, a list", Menu("Q?", labelled("Shake it again, later", "b", "c")...), ChatList, "1 2 3 0 00", false},
		{"top menu of six: a list without navigation", Screen{Kind: screen.Menu, Text: "Chanjo", Items: labelled("a", "b", "c", "d", "e", "f"), Top: true}, ChatList, "1 2 3 4 5 6", false},
		{"nine items: a list, navigation typed", Menu("M", labelled("a", "b", "c", "d", "e", "f", "g", "h", "i")...), ChatList, "1 2 3 4 5 6 7 8 9", true},
		{"a title of 25 characters: numbered text", Menu("M", labelled("a", long)...), ChatText, "", true},
		{"eleven items: numbered text", Menu("M", labelled(many...)...), ChatText, "", true},
		{"a body over 1,024 characters: numbered text", Menu(strings.Repeat("y", 1100), labelled("a", "b")...), ChatText, "", true},
		{"an entry: text with 00 Back", Entry("How many doses?"), ChatText, "", false},
		{"a final screen: text, the end", End("Goodbye."), ChatText, "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ch := chatOf(tc.sc, "", testWords)
			if ch.Kind != tc.kind || ids(ch) != tc.ids {
				t.Fatalf("got kind %d choices %q, want kind %d choices %q:\n%s", ch.Kind, ids(ch), tc.kind, tc.ids, ch)
			}
			if got := strings.Contains(ch.Body, "0 Back 00 Home"); got != tc.navTyped {
				t.Errorf("navigation typed in the body: %v, want %v:\n%s", got, tc.navTyped, ch)
			}
			if ch.Kind == ChatText && len(tc.sc.Items) > 0 && !strings.Contains(ch.Body, "\n2 ") {
				t.Errorf("numbered text lacks its numbers:\n%s", ch)
			}
			if got := sendChat(t, ch); got != tc.kind {
				t.Errorf("cloudapi sent kind %d, want %d", got, tc.kind)
			}
		})
	}
	if ch := chatOf(Entry("How many doses?"), "", testWords); !strings.HasSuffix(ch.Body, "\n00 Back") {
		t.Errorf("an entry ends with 00 Back: %q", ch.Body)
	}
	if ch := chatOf(End("Goodbye."), "", testWords); !ch.End {
		t.Errorf("a final screen does not end the conversation")
	}
	if ch := chatOf(Menu("Q?", labelled("a", "b")...), "Invalid choice.", testWords); !strings.HasPrefix(ch.Body, "Invalid choice.\nQ?") {
		t.Errorf("the notice stands above the screen: %q", ch.Body)
	}
	if ch := chatOf(Menu(strings.Repeat("z ", 3000)), "", testWords); len([]rune(ch.Body)) > maxChatText {
		t.Errorf("a text of %d characters, over WhatsApp's %d", len([]rune(ch.Body)), maxChatText)
	}
}

// sendChat sends ch through cloudapi, whose checks of Meta's limits refuse
// what the Graph API would, to a server that reads back the kind sent.
func sendChat(t *testing.T, ch Chat) ChatKind {
	t.Helper()
	var got ChatKind = -1
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Type        string
			Interactive struct{ Type string }
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			t.Error(err)
		}
		switch {
		case body.Type == "text":
			got = ChatText
		case body.Interactive.Type == "list":
			got = ChatList
		case body.Interactive.Type == "button":
			got = ChatButtons
		}
		_, _ = w.Write([]byte(`{"messages":[{"id":"wamid.1"}]}`))
	}))
	defer srv.Close()
	c := cloudapi.New(cloudapi.Config{BaseURL: srv.URL, PhoneNumberID: "1", Token: "t"})
	if _, err := c.Send(context.Background(), ch.Message("+254700000011")); err != nil {
		t.Fatalf("cloudapi refused the answer: %v\n%s", err, ch)
	}
	return got
}
