package ussd

import "context"

// The states of Settings.
const (
	StSetLang State = "set.lang"
	StSetSMS  State = "set.sms"
	StAbout   State = "set.about"
)

// settingsStore is what Settings needs of the database.
type settingsStore interface {
	SetLanguage(ctx context.Context, workerID int64, lang string) error
	SetOptOut(ctx context.Context, phone string, out bool) (bool, error)
}

var settingsTree = []Node{
	{State: StSettings, Show: showSettings},
	{State: StSetLang, Show: showSetLang},
	{State: StSetSMS, Show: showSetSMS},
	{State: StAbout, Show: showAbout},
}

func showSettings(c *Ctx) (Screen, error) {
	sms := c.T("SMS messages: on", "Ujumbe wa SMS: umewashwa")
	if c.S.Nurse.OptedOut {
		sms = c.T("SMS messages: off", "Ujumbe wa SMS: umezimwa")
	}
	return Menu(c.T("Settings", "Mipangilio"),
		Item{Label: c.T("Language: English", "Lugha: Kiswahili"), To: Frame{State: StSetLang}},
		Item{Label: sms, To: Frame{State: StSetSMS}},
		Item{Label: c.T("About Chanjo", "Kuhusu Chanjo"), To: Frame{State: StAbout}}), nil
}

// showAbout is longer than one screen: it is read with "98 More".
func showAbout(c *Ctx) (Screen, error) {
	return Menu(c.T(
		"Chanjo helps immunization nurses learn on any phone: short lessons, quizzes, stock calculators and questions to your mentor.\n"+
			"Tips come by SMS to this number: reply STOP to end them, START to get them again, HELP for the USSD code.\n"+
			"Your supervisor sees your progress.",
		"Chanjo inasaidia wauguzi wa chanjo kujifunza kwa simu yoyote: masomo mafupi, mazoezi, hesabu ya akiba na maswali kwa mshauri wako.\n"+
			"Vidokezo huja kwa SMS kwa namba hii: jibu ACHA kuvisimamisha, START kuvipata tena, HELP kwa namba ya USSD.\n"+
			"Msimamizi wako huona maendeleo yako.")), nil
}

func showSetLang(c *Ctx) (Screen, error) {
	return Menu(c.T("Choose your language", "Chagua lugha yako"),
		Item{Label: "English", Do: setLang("en")}, Item{Label: "Kiswahili", Do: setLang("sw")}), nil
}

// setLang stores the language on the worker before the next screen, which
// is already in the new language.
func setLang(lang string) func(c *Ctx) (Move, error) {
	return func(c *Ctx) (Move, error) {
		if err := storeOf[settingsStore](c).SetLanguage(c, c.S.Nurse.ID, lang); err != nil {
			return Move{}, err
		}
		c.S.Nurse.Lang = lang
		return Back().Say(c.T("Language saved.", "Lugha imehifadhiwa.")), nil
	}
}

func showSetSMS(c *Ctx) (Screen, error) {
	if c.S.Nurse.OptedOut {
		return Menu(c.T("SMS tips and reminders are off.", "Vidokezo na vikumbusho vya SMS vimezimwa."),
			Item{Label: c.T("Turn on", "Washa"), Do: switchSMS}), nil
	}
	return Menu(c.T("SMS tips and reminders are on.", "Vidokezo na vikumbusho vya SMS vimewashwa."),
		Item{Label: c.T("Turn off", "Zima"), Do: switchSMS}), nil
}

// switchSMS turns her SMS tips and reminders off when on, on when off.
func switchSMS(c *Ctx) (Move, error) {
	out := !c.S.Nurse.OptedOut
	if _, err := storeOf[settingsStore](c).SetOptOut(c, c.Phone, out); err != nil {
		return Move{}, err
	}
	c.S.Nurse.OptedOut = out
	if out {
		return Back().Say(c.T("SMS messages turned off.", "Ujumbe wa SMS umezimwa.")), nil
	}
	return Back().Say(c.T("SMS messages turned on.", "Ujumbe wa SMS umewashwa.")), nil
}
