package admin

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/gsm"
	"github.com/chanjo-health/chanjo/store"
)

// sendAtLayout is the value of an <input type="datetime-local">.
const sendAtLayout = "2006-01-02T15:04"

// composeForm is the compose page's form as the user filled it in.
type composeForm struct {
	Audience    store.Audience
	Facilities  string // facility codes as typed, separated by commas or spaces
	Body        string
	Urgent      bool
	SendAt      string // sendAtLayout in CHANJO_TZ; "" sends now
	ConfirmLong bool
	// Once is the form's one-time key, drawn when the empty form is shown:
	// posting the form twice (a double click, a resent request) creates one
	// broadcast.
	Once string
	// Counted is the fingerprint of the audience and message last counted
	// (countedAs); Send needs it to match, so no broadcast goes without its
	// recipients, segments and cost seen first.
	Counted string
}

// countedAs fingerprints what a count depends on: the audience and the
// message. A change after the count makes Send ask for a new count.
func (f composeForm) countedAs() string {
	b, _ := json.Marshal(struct { // strings only: cannot fail
		Audience store.Audience
		Body     string
	}{f.Audience, f.Body})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Has reports whether list holds v, for the form's checked boxes.
func (composeForm) Has(list []string, v string) bool {
	return slices.Contains(list, v)
}

// preview is the count button's answer.
type preview struct {
	Recipients int
	Text       string // the SMS exactly as each recipient gets it
	Segments   int
	UCS2       bool
	NonGSM     string // the characters that forced UCS-2
	Cost       string
	Long       bool // more than store.MaxUnconfirmedSegments segments
}

// composeData is the compose page's data.
type composeData struct {
	Form    composeForm
	Choices store.AudienceChoices
	Roles   []string
	Preview *preview
	Error   string
	Max     int
	TZ      string
}

func readCompose(c *gin.Context) composeForm {
	f := composeForm{
		Facilities:  c.PostForm("facilities"),
		Body:        strings.TrimSpace(c.PostForm("body")),
		Urgent:      c.PostForm("urgent") == "1",
		SendAt:      strings.TrimSpace(c.PostForm("send_at")),
		ConfirmLong: c.PostForm("confirm_long") == "1",
		Once:        c.PostForm("once"),
		Counted:     c.PostForm("counted"),
	}
	f.Audience = store.Audience{SubCounties: c.PostFormArray("sub_county"), Groups: c.PostFormArray("group"),
		Roles: c.PostFormArray("role"), Facilities: strings.FieldsFunc(f.Facilities, func(r rune) bool { return r == ',' || r == ' ' })}
	return f
}

// newBroadcast turns the form into a broadcast, reading the time in tz.
func (f composeForm) newBroadcast(tz *time.Location) (store.NewBroadcast, error) {
	nb := store.NewBroadcast{Audience: f.Audience, Body: f.Body, Urgent: f.Urgent, ConfirmLong: f.ConfirmLong}
	if f.SendAt != "" {
		t, err := time.ParseInLocation(sendAtLayout, f.SendAt, tz)
		if err != nil {
			return nb, &store.InputError{Field: "send_at", Message: "give the time as a date and hour, e.g. 2025-03-10T14:30"}
		}
		nb.SendAt = t
	}
	return nb, nil
}

// composePage renders the compose page with status.
func (h *Console) composePage(c *gin.Context, status int, f composeForm, p *preview, msg string) {
	ch, err := h.db.AudienceChoices(c.Request.Context(), scopeOf(c))
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, status, "broadcast_new", composeData{Form: f, Choices: ch, Roles: []string{"nurse", "mentor"}, Preview: p,
		Error: msg, Max: store.MaxUnconfirmedSegments, TZ: h.tz.String()})
}

// newBroadcastForm is GET /admin/broadcasts/new.
func (h *Console) newBroadcastForm(c *gin.Context) {
	h.composePage(c, http.StatusOK, composeForm{Once: rand.Text()}, nil, "")
}

// composeBroadcast is POST /admin/broadcasts/new: the count button
// (action=count) shows the recipients, segments and cost; send creates the
// broadcast. Refused input renders the form again with the reason and
// creates nothing.
func (h *Console) composeBroadcast(c *gin.Context) {
	f := readCompose(c)
	ctx := c.Request.Context()
	p, err := h.db.PreviewBroadcast(ctx, scopeOf(c), f.Audience, f.Body)
	var pv *preview
	counted := f.Counted == f.countedAs()
	if err == nil {
		pv, f.Counted = h.previewOf(p, f.Body), f.countedAs()
	}
	nb, ferr := f.newBroadcast(h.tz)
	if err == nil {
		err = ferr
	}
	if err == nil && c.PostForm("action") == "send" && !counted {
		err = &store.InputError{Field: "counted", Message: "check the count below first (the audience or message changed since the last count, or there was none), then press Send"}
	}
	if err == nil && c.PostForm("action") == "send" {
		var b store.Broadcast
		var created bool
		if b, created, err = h.createOnce(c, f, nb); err == nil {
			msg := fmt.Sprintf("Broadcast queued for %d recipients.", b.Recipients)
			if !created {
				msg = "This form was already sent: here is its broadcast."
			}
			h.redirect(c, fmt.Sprintf("/admin/broadcasts/%d", b.ID), msg)
			return
		}
	}
	var ie *store.InputError
	switch {
	case errors.As(err, &ie):
		h.composePage(c, http.StatusUnprocessableEntity, f, pv, ie.Message)
	case err != nil:
		h.fail(c, err)
	default:
		h.composePage(c, http.StatusOK, f, pv, "")
	}
}

// createOnce creates the form's broadcast under its one-time key. A form
// without one (a page from before the key existed) gets a fresh key, so it
// still sends, once.
func (h *Console) createOnce(c *gin.Context, f composeForm, nb store.NewBroadcast) (store.Broadcast, bool, error) {
	key := f.Once
	if key == "" {
		key = rand.Text()
	}
	b, created, err := h.db.CreateBroadcastOnce(c.Request.Context(), scopeOf(c), userOf(c).ID, "form:"+key, nb)
	if errors.Is(err, store.ErrKeyReused) {
		err = &store.InputError{Field: "once", Message: "this form was already sent with another message: open a new broadcast form"}
	}
	return b, created, err
}

func (h *Console) previewOf(p store.Preview, body string) *preview {
	return &preview{Recipients: p.Recipients, Text: p.Text, Segments: p.Size.Segments, UCS2: p.Size.Encoding == gsm.UCS2,
		NonGSM: string(gsm.NonGSM(body)), Cost: h.Price.Format(h.Price.Of(p.Recipients, p.Size.Segments)),
		Long: p.Size.Segments > store.MaxUnconfirmedSegments}
}
