package ussd

// The states of Settings.
const (
	StSetLang State = "set.lang"
	StSetSMS  State = "set.sms"
	StAbout   State = "set.about"
)

var settingsTree = []Node{
	{State: StSettings, Show: showSettings},
	{State: StSetLang, Show: showSetLang, Input: setLangInput},
	{State: StSetSMS, Show: showSetSMS, Input: setSMSInput},
	{State: StAbout, Show: showAbout},
}

func showSettings(c *Ctx) (Screen, error) {
	sms := c.T("SMS messages: on", "Ujumbe wa SMS: umewashwa")
	if c.S.Nurse.OptedOut {
		sms = c.T("SMS messages: off", "Ujumbe wa SMS: umezimwa")
	}
	return Menu(c.T("Settings", "Mipangilio"),
		Item{Label: c.T("Language: English", "Lugha: Kiswahili"), State: StSetLang},
		Item{Label: sms, State: StSetSMS},
		Item{Label: c.T("About Chanjo", "Kuhusu Chanjo"), State: StAbout}), nil
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
		Item{Label: "English"}, Item{Label: "Kiswahili"}), nil
}

// setLangInput stores the language on the worker before the next screen,
// which is already in the new language.
func setLangInput(c *Ctx, in string) (Move, error) {
	lang := map[string]string{"1": "en", "2": "sw"}[in]
	if lang == "" {
		return c.Invalid(), nil
	}
	if err := c.Store().SetLanguage(c, c.S.Nurse.ID, lang); err != nil {
		return Move{}, err
	}
	c.S.Nurse.Lang = lang
	return Back().Say(c.T("Language saved.", "Lugha imehifadhiwa.")), nil
}

func showSetSMS(c *Ctx) (Screen, error) {
	if c.S.Nurse.OptedOut {
		return Menu(c.T("SMS tips and reminders are off.", "Vidokezo na vikumbusho vya SMS vimezimwa."),
			Item{Label: c.T("Turn on", "Washa")}), nil
	}
	return Menu(c.T("SMS tips and reminders are on.", "Vidokezo na vikumbusho vya SMS vimewashwa."),
		Item{Label: c.T("Turn off", "Zima")}), nil
}

func setSMSInput(c *Ctx, in string) (Move, error) {
	if in != "1" {
		return c.Invalid(), nil
	}
	out := !c.S.Nurse.OptedOut
	if _, err := c.Store().SetOptOut(c, c.Phone, out); err != nil {
		return Move{}, err
	}
	c.S.Nurse.OptedOut = out
	if out {
		return Back().Say(c.T("SMS messages turned off.", "Ujumbe wa SMS umezimwa.")), nil
	}
	return Back().Say(c.T("SMS messages turned on.", "Ujumbe wa SMS umewashwa.")), nil
}
