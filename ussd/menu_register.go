package ussd

import (
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/chanjo-health/chanjo/lessons/screen"
	"github.com/chanjo-health/chanjo/store"
)

// The states of registration, where an unknown number starts.
const (
	StRegister    State = "reg"
	StRegName     State = "reg.name"
	StRegFacility State = "reg.fac"
	StRegConfirm  State = "reg.ok"
	StRegConsent  State = "reg.consent"
	StRegRefused  State = "reg.refused"
	StRegPlace    State = "reg.place" // Arg: offset in the list
)

// Vars of registration.
const (
	varName     = "reg.name"
	varFacility = "reg.fac"
	varKnown    = "reg.known"
	// varConsent holds when she agreed (Unix seconds), recorded with her
	// registration.
	varConsent = "reg.consent"
)

var registerTree = []Node{
	{State: StRegister, Show: showRegister, Input: registerInput},
	{State: StRegName, Show: showRegName, Input: regNameInput},
	{State: StRegFacility, Show: showRegFacility, Input: regFacilityInput},
	{State: StRegConfirm, Show: showRegConfirm, Input: regConfirmInput},
	{State: StRegConsent, Show: showRegConsent, Input: regConsentInput},
	{State: StRegRefused, Show: showRegRefused},
	{State: StRegPlace, Show: showRegPlace},
}

// showRegister asks for the language first, in both, so that every later
// screen of registration is in the nurse's own.
func showRegister(c *Ctx) (Screen, error) {
	sc := Menu("Welcome to Chanjo, learning for immunization nurses. To register, choose a language / Chagua lugha:",
		Item{Label: "English"}, Item{Label: "Kiswahili"})
	sc.Top = true
	return sc, nil
}

func registerInput(c *Ctx, in string) (Move, error) {
	lang := map[string]string{"1": "en", "2": "sw"}[in]
	if lang == "" {
		return Retry("Invalid choice / Chaguo si sahihi."), nil
	}
	c.S.Nurse.Lang = lang
	return Go(StRegConsent, ""), nil
}

// showRegConsent tells her, in her language, what is kept and why and how
// to stop, before anything about her is kept (design.md "Privacy and
// consent").
func showRegConsent(c *Ctx) (Screen, error) {
	return Menu(c.T("We keep your name, number, facility and scores so your mentor and supervisor can help you. SMS STOP to stop; they can erase it.",
		"Tunahifadhi jina, namba, kituo na alama zako ili mshauri na msimamizi wakusaidie. Tuma STOP kuacha; wanaweza kuzifuta."),
		Item{Label: c.T("I agree", "Nakubali")}, Item{Label: c.T("No", "Hapana")}), nil
}

func regConsentInput(c *Ctx, in string) (Move, error) {
	switch in {
	case "1":
		c.S.SetVar(varConsent, strconv.FormatInt(c.m.now().Unix(), 10))
		return Go(StRegName, ""), nil
	case "2":
		return Reset(StRegRefused, ""), nil
	}
	return c.Invalid(), nil
}

func showRegRefused(c *Ctx) (Screen, error) {
	return End(c.T("Nothing about you was kept. Dial again if you change your mind.",
		"Hakuna chochote kukuhusu kilichohifadhiwa. Piga tena ukibadilisha nia.")), nil
}

func showRegName(c *Ctx) (Screen, error) {
	return FreeText(c.T("Type your full name:", "Andika jina lako kamili:")), nil
}

const maxNameLen = 40

// regNameInput accepts a name of letters that a screen can show, as it is
// shown back in greetings.
func regNameInput(c *Ctx, in string) (Move, error) {
	name := strings.Join(strings.Fields(in), " ")
	if !validName(name) {
		return Retry(c.T("Please type your name in letters (at most 40).", "Tafadhali andika jina lako kwa herufi (hadi 40).")), nil
	}
	c.S.SetVar(varName, name)
	return Go(StRegFacility, ""), nil
}

// validName reports whether name is at most maxNameLen characters of the
// screen set with at least two letters.
func validName(name string) bool {
	letters := 0
	for _, r := range name {
		if !screen.Allowed(r) || r == '\n' {
			return false
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters >= 2 && len(name) <= maxNameLen
}

func showRegFacility(c *Ctx) (Screen, error) {
	return Entry(c.T("Type your facility code (the MFL code, numbers only):",
		"Andika namba ya kituo chako (namba ya MFL, tarakimu tu):")), nil
}

func regFacilityInput(c *Ctx, in string) (Move, error) {
	code := strings.TrimSpace(in)
	if len(code) < 4 || len(code) > 8 || strings.Trim(code, "0123456789") != "" {
		return Retry(c.T("A facility code is 4 to 8 digits.", "Namba ya kituo ni tarakimu 4 hadi 8.")), nil
	}
	known, err := c.Store().FacilityKnown(c, code)
	if err != nil {
		return Move{}, err
	}
	c.S.SetVar(varFacility, code)
	c.S.SetVar(varKnown, map[bool]string{true: "1", false: "0"}[known])
	if !known {
		return Go(StRegPlace, "0"), nil
	}
	return Go(StRegConfirm, ""), nil
}

// showRegPlace lets a nurse whose facility code the roster does not know
// pick her sub-county from the roster's, so her supervisor sees her; the
// choice is the confirmation's argument (its number in the list, 1 on).
func showRegPlace(c *Ctx) (Screen, error) {
	places, err := c.Store().SubCounties(c)
	if err != nil {
		return Screen{}, err
	}
	items := make([]Item, 0, len(places)+1)
	for i, p := range places {
		items = append(items, Item{Label: cut(p, 30), State: StRegConfirm, Arg: strconv.Itoa(i + 1)})
	}
	items = append(items, Item{Label: c.T("Not listed", "Haipo kwenye orodha"), State: StRegConfirm})
	return Menu(c.T("Facility not on our list. Your sub-county:", "Kituo hakiko kwenye orodha. Kaunti ndogo yako:"),
		window(c, items, StRegPlace)...), nil
}

// regPlace returns the sub-county picked on showRegPlace, "" for none.
func regPlace(c *Ctx) (string, error) {
	n, err := strconv.Atoi(c.Arg())
	if err != nil || n < 1 {
		return "", nil
	}
	places, err := c.Store().SubCounties(c)
	if err != nil || n > len(places) {
		return "", err
	}
	return places[n-1], nil
}

func showRegConfirm(c *Ctx) (Screen, error) {
	text := c.T("Name: ", "Jina: ") + c.S.Var(varName) + "\n" + c.T("Facility: ", "Kituo: ") + c.S.Var(varFacility)
	if c.S.Var(varKnown) != "1" {
		text += c.T(" (not on our list: your supervisor will check it)", " (haiko kwenye orodha: msimamizi ataikagua)")
	}
	place, err := regPlace(c)
	if err != nil {
		return Screen{}, err
	}
	if place != "" {
		text += "\n" + c.T("Sub-county: ", "Kaunti ndogo: ") + place
	}
	return Menu(text, Item{Label: c.T("Register", "Jisajili")}), nil
}

// regConfirmInput saves the registration before the next screen: pending,
// or active at once with open enrolment.
func regConfirmInput(c *Ctx, in string) (Move, error) {
	if in != "1" {
		return c.Invalid(), nil
	}
	place, err := regPlace(c)
	if err != nil {
		return Move{}, err
	}
	w, err := c.Store().Register(c, store.Registration{
		Phone: c.Phone, Name: c.S.Var(varName), FacilityCode: c.S.Var(varFacility), SubCounty: place,
		Language: c.Lang(), Active: c.OpenEnrolment(),
	})
	if err != nil {
		return Move{}, err
	}
	if err := c.Store().RecordConsent(c, w.ID, store.ConsentUSSD, consentTime(c)); err != nil {
		return Move{}, err
	}
	c.S.Vars = nil
	c.S.Nurse = nurseOf(w, c.m.now())
	if w.Status != store.StatusActive {
		return Reset(StPending, ""), nil
	}
	return Reset(StHome, "").Say(c.T("Welcome to Chanjo!", "Karibu Chanjo!")), nil
}

// consentTime is when she agreed on the consent screen; now for a session
// that lost it.
func consentTime(c *Ctx) time.Time {
	if sec, err := strconv.ParseInt(c.S.Var(varConsent), 10, 64); err == nil {
		return time.Unix(sec, 0)
	}
	return c.m.now()
}
