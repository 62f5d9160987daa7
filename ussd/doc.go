// Package ussd is Chanjo's USSD service: the gateway's callbacks (POST /ussd,
// POST /ussd/events), the menu state machine, its sessions in Redis and the
// screen renderer.
//
// # A hop
//
// Service.Hop reads the session (under the gateway's sessionId) and the
// phone's last position in one Redis round trip, lets Machine.Advance
// compute the answer, and writes both back in one more. Advance reconciles
// the gateway's cumulative text with the text of the previous hop: a
// repeated hop gets the stored answer and writes nothing; a text that
// extends the previous one by "*" carries one input (which may contain '*');
// any other text is replayed from the first screen, where a free-text
// screen (FreeText) takes the rest of the text up to the parts the screens
// after it accept. A dial offers
// "1 Continue / 2 Start again" when the phone's last session was dropped
// away from the main menu less than LastTTL ago. A failure anywhere answers
// END with an apology and writes nothing, so the last good state stays.
//
// # Adding a menu tree
//
// A feature adds a file (menu_lessons.go) that declares its states, with a
// prefix of its own, the store interface it needs (learningStore), and a
// tree: a []Node in which each Node has a Show (the screen of the state)
// and, for an Entry screen or a Page's "1 Next", an Input. It lists the tree
// in trees.go and its store interface in Store; the items of the main menu
// lead to the entry states (StLessons, StQuiz, StStock, StAsk, StVisit) its
// trees define. Nothing else changes:
//
//	const StLessonPage State = "les.page" // Key: lesson id; N: its screen
//
//	var lessonsTree = []Node{
//		{State: StLessons, Show: showTopics},
//		{State: StLessonPage, Show: showPage, Input: pageInput},
//	}
//
//	func showTopics(c *Ctx) (Screen, error) {
//		var items []Item
//		for _, ls := range c.Pack().Lessons {
//			items = append(items, Item{Label: ls.Title.In(c.Lang()),
//				To: Frame{State: StLessonPage, Key: ls.ID}})
//		}
//		return Menu(c.Say("lessons.title"), items...), nil
//	}
//
// An item carries what it does: To opens a screen (a Frame with typed
// arguments: Key a name, N a position, ID a database row; never a string
// to parse), Do runs an action and returns the move (record an answer,
// send a job aid). Choosing an item runs what that item carries, whatever
// its place in the list; for Do the screen is shown again to find it,
// which is why Show only reads: the move that reaches a screen records what
// reaching it means (a lesson page is marked by the item or "1 Next" that
// opens it, never by its Show).
//
// Screens are built with Menu, Page, Entry, FreeText and End; the renderer
// adds the item numbers, "98 More" pages of long text and long lists, and
// the navigation lines ("0 Back 00 Home", or "00 Back" on Entry screens,
// where 0 is a number). "0", "00", "98" and the item numbers are handled
// before Input is called. Moves: Go (push screens; Back returns), Replace,
// Reset, Back, Home, Stay, Retry (same screen under a notice) and
// c.Invalid(); Say adds a notice.
//
// What a handler may use: c.S is the next session, whose Work has a typed
// field per tree for what it keeps between screens (Quiz, Calc, Visit,
// Question, Reg) and whose Nurse is the cached worker (ID, Name, Role,
// Lang, Status, OptedOut); c.S.Top() is the current frame; c.Say(key,
// name, value…) gives the catalogue's words in her language (the pack's
// messages-<area>.yaml, keys "<area>.<word>"; docs/content.md), c.Lang()
// her language, c.Pack() the content pack, c.Now() the clock,
// c.Phone the number, and storeOf[learningStore](c) the tree's store (c is
// itself a context.Context: pass c). A tree adds a field to Work, with its
// lines in session_codec.go, rather than encode state in a string. Answers
// that must be kept (quiz answers, registrations) are written in Do or
// Input, before the next screen is shown; an error there becomes the
// apology and the session stays as it was. A replayed or resumed hop may
// run them again, so writes must be idempotent (ON CONFLICT). Work for
// later, such as an SMS, is not done in the hop: it goes into the outbox
// through the store (store.Enqueue with a dedupe key), for the dispatcher
// to send. A tree that writes adds its write to the dry store of replay.go.
//
// # Lessons, quizzes and assessments
//
// The lesson, quiz and progress menus read the nurse's learning once per
// session (Store.ProgressSummary) into the session's Learning and keep
// it up to date as she reads and answers, so that turning pages and
// "My progress" cost no SQL. The page she reaches is handed to Progress,
// which writes it behind the hop in batches, at most a second late, holds
// it through a database outage (in a real Redis, or in memory) and writes
// it at shutdown; the lesson, its page and the screens under it are also the
// session's frames, so a redial within LastTTL resumes the very page, and
// "Lessons" continues the last unfinished lesson from the store however
// long ago. Quiz answers are written (Store.RecordAnswer) before the next
// screen. A practice quiz shows the explanation of each option chosen and
// asks first the questions she missed the last time. An assessment
// (baseline, midline, endline) gives no verdict and no explanation between
// questions, only the score at the end: it measures what she knows at that
// point, and an explanation would teach the answer to the next question of
// the same topic. Each form is taken once; a dropped one resumes at its
// first question without an answer.
//
// # WhatsApp
//
// Service.Chat runs the same machine for a WhatsApp message (chat.go): it
// continues the phone's last session, kept ChatTTL, and renders each
// screen with chatOf (render_whatsapp.go), the one place that knows
// WhatsApp's limits, as layout knows USSD's: buttons, a list or numbered
// text, whose choices carry the numbers a nurse would type.
package ussd
