package ussd

import (
	"context"
	"strings"
	"time"
	"unicode"

	"github.com/chanjo-health/chanjo/lessons/screen"
	"github.com/chanjo-health/chanjo/store"
)

// The states of registration, where an unknown number starts. What she
// types is kept in Work.Reg.
const (
	StRegister    State = "reg"
	StRegName     State = "reg.name"
	StRegFacility State = "reg.fac"
	StRegConfirm  State = "reg.ok" // Key: the sub-county she picked, if any
	StRegConsent  State = "reg.consent"
	StRegRefused  State = "reg.refused"
	StRegPlace    State = "reg.place"
)

// registerStore is what registration needs of the database.
type registerStore interface {
	Register(ctx context.Context, r store.Registration) (store.Worker, error)
	RecordConsent(ctx context.Context, workerID int64, via string, at time.Time) error
	FacilityKnown(ctx context.Context, code string) (bool, error)
	SubCounties(ctx context.Context) ([]string, error)
}

var registerTree = []Node{
	{State: StRegister, Show: showRegister},
	{State: StRegName, Show: showRegName, Input: regNameInput},
	{State: StRegFacility, Show: showRegFacility, Input: regFacilityInput},
	{State: StRegConfirm, Show: showRegConfirm},
	{State: StRegConsent, Show: showRegConsent},
	{State: StRegRefused, Show: showRegRefused},
	{State: StRegPlace, Show: showRegPlace},
}

// showRegister asks for the language first, in every language, so that every later
// screen of registration is in the nurse's own.
func showRegister(c *Ctx) (Screen, error) {
	sc := Menu(inEveryLanguage(c, "register.choose")+":", languageItems(c, registerIn)...)
	sc.Top = true
	return sc, nil
}

// registerIn starts registration in lang.
func registerIn(lang string) func(c *Ctx) (Move, error) {
	return func(c *Ctx) (Move, error) {
		c.S.Nurse.Lang = lang
		c.S.Reg = &RegDraft{}
		return Go(Frame{State: StRegConsent}), nil
	}
}

// inEveryLanguage is the catalogue's text key in every language the pack
// declares, joined by " / ": what a screen says before she chose hers.
func inEveryLanguage(c *Ctx, key string) string {
	var texts []string
	for _, l := range c.Pack().Languages() {
		texts = append(texts, c.Pack().Say(l.Code, key))
	}
	return strings.Join(texts, " / ")
}

// draft returns the registration being typed, new when the session lost it.
func draft(c *Ctx) *RegDraft {
	if c.S.Reg == nil {
		c.S.Reg = &RegDraft{}
	}
	return c.S.Reg
}

// showRegConsent tells her, in her language, what is kept and why and how
// to stop, before anything about her is kept (docs/privacy.md).
func showRegConsent(c *Ctx) (Screen, error) {
	return Menu(c.Say("register.consent"),
		Item{Label: c.Say("register.agree"), Do: agree},
		Item{Label: c.Say("register.no"), Do: func(*Ctx) (Move, error) { return Reset(Frame{State: StRegRefused}), nil }}), nil
}

// agree notes when she agreed, recorded with her registration.
func agree(c *Ctx) (Move, error) {
	draft(c).Consent = c.Now().Unix()
	return Go(Frame{State: StRegName}), nil
}

func showRegRefused(c *Ctx) (Screen, error) {
	return End(c.Say("register.refused")), nil
}

func showRegName(c *Ctx) (Screen, error) {
	return FreeText(c.Say("register.name")), nil
}

const maxNameLen = 40

// regNameInput accepts a name of letters that a screen can show, as it is
// shown back in greetings.
func regNameInput(c *Ctx, in string) (Move, error) {
	name := strings.Join(strings.Fields(in), " ")
	if !validName(name) {
		return Retry(c.Say("register.bad_name")), nil
	}
	draft(c).Name = name
	return Go(Frame{State: StRegFacility}), nil
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
	return Entry(c.Say("register.facility")), nil
}

func regFacilityInput(c *Ctx, in string) (Move, error) {
	code := strings.TrimSpace(in)
	if len(code) < 4 || len(code) > 8 || strings.Trim(code, "0123456789") != "" {
		return Retry(c.Say("register.bad_facility")), nil
	}
	known, err := storeOf[registerStore](c).FacilityKnown(c, code)
	if err != nil {
		return Move{}, err
	}
	d := draft(c)
	d.Facility, d.Known = code, known
	if !known {
		return Go(Frame{State: StRegPlace}), nil
	}
	return Go(Frame{State: StRegConfirm}), nil
}

// showRegPlace lets a nurse whose facility code the roster does not know
// pick her sub-county from the roster's, so her supervisor sees her; a long
// list goes on over "98 More" pages.
func showRegPlace(c *Ctx) (Screen, error) {
	places, err := storeOf[registerStore](c).SubCounties(c)
	if err != nil {
		return Screen{}, err
	}
	items := make([]Item, 0, len(places)+1)
	for _, p := range places {
		items = append(items, Item{Label: cut(p, 30), To: Frame{State: StRegConfirm, Key: p}})
	}
	items = append(items, Item{Label: c.Say("register.not_listed"), To: Frame{State: StRegConfirm}})
	return Menu(c.Say("register.place"), items...), nil
}

func showRegConfirm(c *Ctx) (Screen, error) {
	d := draft(c)
	facility := c.Say("register.confirm_facility", "code", d.Facility)
	if !d.Known {
		facility = c.Say("register.confirm_unknown", "code", d.Facility)
	}
	text := c.Say("register.confirm", "name", d.Name) + "\n" + facility
	if place := c.S.Top().Key; place != "" {
		text += "\n" + c.Say("register.confirm_place", "place", place)
	}
	return Menu(text, Item{Label: c.Say("register.register"), Do: register}), nil
}

// register saves the registration before the next screen: pending, or
// active at once with open enrolment.
func register(c *Ctx) (Move, error) {
	d, st := draft(c), storeOf[registerStore](c)
	w, err := st.Register(c, store.Registration{
		Phone: c.Phone, Name: d.Name, FacilityCode: d.Facility, SubCounty: c.S.Top().Key,
		Language: c.Lang(), Active: c.OpenEnrolment(),
	})
	if err != nil {
		return Move{}, err
	}
	// A session that lost when she agreed records now.
	agreed := c.Now()
	if d.Consent != 0 {
		agreed = time.Unix(d.Consent, 0)
	}
	if err := st.RecordConsent(c, w.ID, store.ConsentUSSD, agreed); err != nil {
		return Move{}, err
	}
	c.S.Work = Work{}
	c.S.Nurse = nurseOf(w, c.Now())
	if w.Status != store.StatusActive {
		return Reset(Frame{State: StPending}), nil
	}
	return Reset(Frame{State: StHome}).Say(c.Say("register.welcome")), nil
}
