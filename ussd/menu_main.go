package ussd

import (
	"github.com/chanjo-health/chanjo/store"
)

// The states of the main menu and of the screens a dial can start on. The
// items of the main menu lead to the entry state of each feature's tree.
const (
	StHome     State = "home"
	StResume   State = "resume"
	StPending  State = "pending"
	StInactive State = "inactive"
	StBye      State = "bye" // "0" or "00" on the main menu

	StLessons  State = "lessons"
	StQuiz     State = "quiz"
	StStock    State = "stock"
	StProgress State = "progress"
	StAsk      State = "ask"
	StSettings State = "settings"
	StVisit    State = "visit"
)

var mainTree = []Node{
	{State: StHome, Show: showHome},
	{State: StResume, Show: showResume},
	{State: StPending, Show: showPending},
	{State: StInactive, Show: showInactive},
	{State: StBye, Show: showBye},
}

func showHome(c *Ctx) (Screen, error) {
	items := []Item{
		{Label: c.Say("main.lessons"), To: Frame{State: StLessons}},
		{Label: c.Say("main.quiz"), To: Frame{State: StQuiz}},
		{Label: c.Say("main.stock"), To: Frame{State: StStock}},
		{Label: c.Say("main.progress"), To: Frame{State: StProgress}},
		{Label: c.Say("main.ask"), To: Frame{State: StAsk}},
		{Label: c.Say("main.settings"), To: Frame{State: StSettings}},
	}
	if c.S.Nurse.Role == store.RoleMentor {
		items = append(items, Item{Label: c.Say("main.visit"), To: Frame{State: StVisit}})
	}
	// Last, so the numbers she knows keep their place.
	if it, ok, err := inboxItem(c); err != nil {
		return Screen{}, err
	} else if ok {
		items = append(items, it)
	}
	if it, ok, err := groupsItem(c); err != nil {
		return Screen{}, err
	} else if ok {
		items = append(items, it)
	}
	sc := Menu(c.Say("main.greeting", "name", firstWord(c.S.Nurse.Name)), items...)
	sc.Top = true
	return sc, nil
}

func showResume(c *Ctx) (Screen, error) {
	sc := Menu(c.Say("main.resume"),
		Item{Label: c.Say("main.continue"), Do: resume},
		Item{Label: c.Say("main.start_again"), Do: startAgain})
	sc.Top = true
	return sc, nil
}

// resume puts back the screens and work of the dropped session.
func resume(c *Ctx) (Move, error) {
	saved := c.S.Saved
	c.S.Saved = nil
	if saved == nil || len(saved.Frames) == 0 {
		return Home(), nil
	}
	c.S.Frames = append([]Frame(nil), saved.Frames...)
	c.S.Work = saved.Work
	return Stay(), nil
}

// startAgain leaves the dropped session for the main menu. A quiz under way
// stays, to be taken up where she left it when she opens it again.
func startAgain(c *Ctx) (Move, error) {
	quiz := c.S.Quiz
	if c.S.Saved != nil && c.S.Saved.Work.Quiz != nil {
		quiz = c.S.Saved.Work.Quiz
	}
	c.S.Saved = nil
	c.S.Work = Work{Quiz: quiz}
	return Home(), nil
}

func showPending(c *Ctx) (Screen, error) {
	return End(c.Say("main.pending")), nil
}

func showInactive(c *Ctx) (Screen, error) {
	return End(c.Say("main.inactive")), nil
}

// showBye ends the session politely: the main menu has no Back and no
// Home, and "0" there is how a nurse says she is done.
func showBye(c *Ctx) (Screen, error) {
	return End(c.Say("main.bye")), nil
}

// firstWord returns the first word of a name, which is how the menu greets.
func firstWord(name string) string {
	for i, r := range name {
		if r == ' ' {
			return name[:i]
		}
	}
	return name
}
