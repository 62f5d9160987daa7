package ussd

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/chanjo-health/chanjo/lessons/screen"
	"github.com/chanjo-health/chanjo/whatsapp/cloudapi"
)

// ChatKind is the form of a WhatsApp answer.
type ChatKind int

// The forms of a WhatsApp answer.
const (
	// ChatText is a text message; its choices, if any, are numbered lines.
	ChatText ChatKind = iota
	// ChatList is a list message: the choices are rows behind a button.
	ChatList
	// ChatButtons is a message with one reply button per choice.
	ChatButtons
)

// Limits of a WhatsApp answer (whatsapp-api.md §2): a text message holds
// cloudapi.MaxText characters, the body of an interactive one 1,024; the
// titles are cloudapi's limits.
const (
	maxChatText = cloudapi.MaxText
	maxChatBody = 1024
)

// Choice is a list row or a reply button. Its ID is the number the nurse
// would type for it ("2", "0", "00"), so a chosen row comes back as the
// very input the machine reads, and typed numbers work on every screen.
type Choice struct {
	ID, Title string
}

// Chat is one WhatsApp answer: a screen of the menus rendered as a text,
// a list message or reply buttons (Message builds what cloudapi sends).
type Chat struct {
	Kind ChatKind
	Body string
	// Button opens a list message's rows (the catalogue's nav.choose).
	Button  string
	Choices []Choice
	// End is set on a final screen: her next message starts afresh.
	End bool
}

// Message returns the answer as the message cloudapi sends to to (E.164
// with its "+").
func (ch Chat) Message(to string) cloudapi.Message {
	rows := make([]cloudapi.Row, len(ch.Choices))
	for i, c := range ch.Choices {
		rows[i] = cloudapi.Row{ID: c.ID, Title: c.Title}
	}
	switch ch.Kind {
	case ChatList:
		return cloudapi.List(to, ch.Body, ch.Button, rows)
	case ChatButtons:
		return cloudapi.Buttons(to, ch.Body, rows)
	}
	return cloudapi.Text(to, ch.Body)
}

// String shows the answer as a transcript reads it: a first line for an
// interactive message, the body, then one "[id] title" line a choice.
func (ch Chat) String() string {
	var b strings.Builder
	switch ch.Kind {
	case ChatList:
		b.WriteString("[list: " + ch.Button + "]\n")
	case ChatButtons:
		b.WriteString("[buttons]\n")
	}
	b.WriteString(ch.Body)
	for _, c := range ch.Choices {
		b.WriteString("\n[" + c.ID + "] " + c.Title)
	}
	if ch.End {
		b.WriteString("\n[end]")
	}
	return b.String()
}

// chatWords are the words of WhatsApp's navigation in one language: the
// navigation lines of a text, and the titles of the Next, Back and Home
// choices and of a list's button.
type chatWords struct {
	labels                   screen.Labels
	next, back, home, choose string
}

func wordsOf(c *Ctx) chatWords {
	return chatWords{labels: c.Pack().Labels(c.Lang()), next: c.Say("nav.next"), back: c.Say("nav.back"),
		home: c.Say("nav.home"), choose: c.Say("nav.choose")}
}

// chatOf renders sc, under notice, for WhatsApp: the one place that knows
// WhatsApp's limits, as layout knows USSD's. A screen is one message (no
// "98 More"). Its choices are its items, "Next" on a page, then Back and
// Home (one Back on an entry screen, none on a final or top screen). They
// become reply buttons when they fit in 3, else a list when they fit in
// 10 rows; when only the items fit, the navigation stays as the typed
// lines of a USSD screen under the body; when the items fit in neither
// (more than 10, or a title too long), or the text is too long for an
// interactive body, the whole screen is numbered text, as on USSD.
func chatOf(sc Screen, notice string, w chatWords) Chat {
	text := sc.Text
	if notice != "" {
		text = strings.TrimSuffix(notice+"\n"+text, "\n")
	}
	ch := Chat{End: sc.Kind == screen.Final}
	var items, nav []Choice
	for i, it := range sc.Items {
		items = append(items, Choice{ID: strconv.Itoa(itemNumber(i)), Title: it.Label})
	}
	switch {
	case sc.Kind == screen.Final:
	case sc.Kind == screen.Entry:
		nav = []Choice{{ID: "00", Title: w.back}}
	case sc.Top:
		if sc.Kind == screen.Page {
			items = append(items, Choice{ID: "1", Title: w.next})
		}
	default:
		if sc.Kind == screen.Page {
			items = append(items, Choice{ID: "1", Title: w.next})
		}
		nav = []Choice{{ID: "0", Title: w.back}, {ID: "00", Title: w.home}}
	}
	navLine := ""
	if !sc.Top {
		navLine = strings.TrimPrefix(screen.Nav(sc.Kind, w.labels), "\n")
		if sc.Kind == screen.Page {
			// "1 Next" is a choice of its own whenever items are.
			navLine = strings.TrimPrefix(navLine, w.labels.Next+"\n")
		}
	}
	all := append(append([]Choice(nil), items...), nav...)
	interactive := len(items) > 0 && utf8.RuneCountInString(text)+1+utf8.RuneCountInString(navLine) <= maxChatBody
	switch {
	case interactive && fits(all, cloudapi.MaxButtons, cloudapi.MaxButtonTitle):
		ch.Kind, ch.Body, ch.Choices = ChatButtons, text, all
	case interactive && fits(items, cloudapi.MaxButtons, cloudapi.MaxButtonTitle):
		ch.Kind, ch.Body, ch.Choices = ChatButtons, joinLines(text, navLine), items
	case interactive && fits(all, cloudapi.MaxListRows, cloudapi.MaxRowTitle):
		ch.Kind, ch.Body, ch.Choices, ch.Button = ChatList, text, all, w.choose
	case interactive && fits(items, cloudapi.MaxListRows, cloudapi.MaxRowTitle):
		ch.Kind, ch.Body, ch.Choices, ch.Button = ChatList, joinLines(text, navLine), items, w.choose
	default:
		body := compose(Screen{Text: text, Items: sc.Items})
		if !sc.Top {
			body += screen.Nav(sc.Kind, w.labels)
		}
		ch.Body = cutRunes(strings.TrimPrefix(body, "\n"), maxChatText)
	}
	if ch.Body == "" {
		// An interactive message needs a body; a bare menu gets its button's word.
		ch.Body = w.choose
	}
	return ch
}

// fits reports whether choices fit in n rows or buttons of titles of at
// most title characters.
func fits(choices []Choice, n, title int) bool {
	if len(choices) == 0 || len(choices) > n {
		return false
	}
	for _, c := range choices {
		if c.Title == "" || utf8.RuneCountInString(c.Title) > title {
			return false
		}
	}
	return true
}

func joinLines(a, b string) string {
	if a == "" || b == "" {
		return a + b
	}
	return a + "\n" + b
}

// cutRunes shortens s to at most n characters (not bytes: WhatsApp counts
// characters, and a cut inside one would break it).
func cutRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
