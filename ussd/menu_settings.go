package ussd

import (
	"context"

	"github.com/chanjo-health/chanjo/store"
)

// The states of Settings.
const (
	StSetLang State = "set.lang"
	StSetSMS  State = "set.sms"
	StAbout   State = "set.about"
	// StSetChannel chooses the channel of her reminders, answers and job aids.
	StSetChannel State = "set.channel"
)

// settingsStore is what Settings needs of the database.
type settingsStore interface {
	SetLanguage(ctx context.Context, workerID int64, lang string) error
	SetOptOut(ctx context.Context, phone string, out bool) (bool, error)
	WorkerChannel(ctx context.Context, workerID int64) (store.WorkerChannelState, error)
	SetWorkerChannel(ctx context.Context, workerID int64, channel string) error
}

var settingsTree = []Node{
	{State: StSettings, Show: showSettings},
	{State: StSetLang, Show: showSetLang},
	{State: StSetSMS, Show: showSetSMS},
	{State: StAbout, Show: showAbout},
	{State: StSetChannel, Show: showSetChannel},
}

func showSettings(c *Ctx) (Screen, error) {
	sms := c.Say("prefs.sms_on")
	if c.S.Nurse.OptedOut {
		sms = c.Say("prefs.sms_off")
	}
	ch, err := storeOf[settingsStore](c).WorkerChannel(c, c.S.Nurse.ID)
	if err != nil {
		return Screen{}, err
	}
	return Menu(c.Say("prefs.title"),
		Item{Label: c.Say("prefs.language", "language", languageName(c, c.Lang())), To: Frame{State: StSetLang}},
		Item{Label: sms, To: Frame{State: StSetSMS}},
		Item{Label: c.Say("prefs.about_item"), To: Frame{State: StAbout}},
		Item{Label: c.Say("prefs.channel", "channel", channelName(c, ch.Effective)), To: Frame{State: StSetChannel}}), nil
}

// showAbout is longer than one screen: it is read with "98 More".
func showAbout(c *Ctx) (Screen, error) {
	return Menu(c.Say("prefs.about_what") + "\n" + c.Say("prefs.about_sms") + "\n" + c.Say("prefs.about_who")), nil
}

// showSetLang lists the languages the pack declares, each by its own name.
func showSetLang(c *Ctx) (Screen, error) {
	return Menu(c.Say("prefs.choose_language"), languageItems(c, setLang)...), nil
}

// languageItems are the pack's languages, by their own names, each doing
// what do returns for its code.
func languageItems(c *Ctx, do func(code string) func(c *Ctx) (Move, error)) []Item {
	langs := c.Pack().Languages()
	items := make([]Item, len(langs))
	for i, l := range langs {
		items[i] = Item{Label: l.Name, Do: do(l.Code)}
	}
	return items
}

// languageName is the name of language code in itself.
func languageName(c *Ctx, code string) string {
	for _, l := range c.Pack().Languages() {
		if l.Code == code {
			return l.Name
		}
	}
	return code
}

// setLang stores the language on the worker before the next screen, which
// is already in the new language.
func setLang(lang string) func(c *Ctx) (Move, error) {
	return func(c *Ctx) (Move, error) {
		if err := storeOf[settingsStore](c).SetLanguage(c, c.S.Nurse.ID, lang); err != nil {
			return Move{}, err
		}
		c.S.Nurse.Lang = lang
		return Back().Say(c.Say("prefs.language_saved")), nil
	}
}

func showSetSMS(c *Ctx) (Screen, error) {
	if c.S.Nurse.OptedOut {
		return Menu(c.Say("prefs.sms_are_off"), Item{Label: c.Say("prefs.turn_on"), Do: switchSMS}), nil
	}
	return Menu(c.Say("prefs.sms_are_on"), Item{Label: c.Say("prefs.turn_off"), Do: switchSMS}), nil
}

// switchSMS turns her SMS tips and reminders off when on, on when off.
func switchSMS(c *Ctx) (Move, error) {
	out := !c.S.Nurse.OptedOut
	if _, err := storeOf[settingsStore](c).SetOptOut(c, c.Phone, out); err != nil {
		return Move{}, err
	}
	c.S.Nurse.OptedOut = out
	if out {
		return Back().Say(c.Say("prefs.sms_turned_off")), nil
	}
	return Back().Say(c.Say("prefs.sms_turned_on")), nil
}

// channelName is the channel's name in the catalogue.
func channelName(c *Ctx, channel string) string {
	if channel == store.ChannelWhatsApp {
		return c.Say("prefs.channel_whatsapp")
	}
	return c.Say("prefs.channel_sms")
}

// showSetChannel offers the channels of her reminders, answers and job
// aids, the same screen on USSD and WhatsApp. Here and in Settings she
// reads the channel in effect: WhatsApp chosen before she opted in there
// still means SMS.
func showSetChannel(c *Ctx) (Screen, error) {
	ch, err := storeOf[settingsStore](c).WorkerChannel(c, c.S.Nurse.ID)
	if err != nil {
		return Screen{}, err
	}
	return Menu(c.Say("prefs.choose_channel", "channel", channelName(c, ch.Effective)),
		Item{Label: channelName(c, store.ChannelSMS), Do: setChannel(store.ChannelSMS)},
		Item{Label: channelName(c, store.ChannelWhatsApp), Do: setChannel(store.ChannelWhatsApp)}), nil
}

// setChannel records her choice. WhatsApp takes effect only once she has
// opted in there (store.WorkerChannel's rule), so a nurse who has not yet
// written to the number is told to, her choice kept for when she does.
func setChannel(channel string) func(c *Ctx) (Move, error) {
	return func(c *Ctx) (Move, error) {
		s := storeOf[settingsStore](c)
		if err := s.SetWorkerChannel(c, c.S.Nurse.ID, channel); err != nil {
			return Move{}, err
		}
		if channel == store.ChannelWhatsApp {
			ch, err := s.WorkerChannel(c, c.S.Nurse.ID)
			if err != nil {
				return Move{}, err
			}
			if !ch.OptInAt.Valid {
				return Back().Say(c.Say("prefs.channel_write_first")), nil
			}
		}
		return Back().Say(c.Say("prefs.channel_saved", "channel", channelName(c, channel))), nil
	}
}
