package whatsapp

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/phone"
	"github.com/chanjo-health/chanjo/whatsapp/cloudapi"
)

// mediaReuse is how long an uploaded job aid's media id is sent again:
// Meta keeps an upload 30 days (whatsapp-api.md §2.5); a day's margin.
const mediaReuse = 29 * 24 * time.Hour

// jobAidFile is a job aid in one language, sent on WhatsApp as a document.
type jobAidFile struct {
	name, title, text string
}

// jobAidDocs turns the outbox's job aids into documents: a job aid is
// queued as its SMS text (one row serves both channels, and a number
// WhatsApp cannot reach gets the SMS), so a WhatsApp row whose body is a
// job aid's text in one of its languages is that job aid. Each is uploaded
// once (a plain-text file) and its media id reused until mediaReuse.
type jobAidDocs struct {
	byText map[string]jobAidFile

	mu       sync.Mutex
	uploaded map[string]uploadedMedia // by file name
}

type uploadedMedia struct {
	id string
	at time.Time
}

func newJobAidDocs(aids []lessons.JobAid) *jobAidDocs {
	d := &jobAidDocs{byText: map[string]jobAidFile{}, uploaded: map[string]uploadedMedia{}}
	for _, a := range aids {
		for lang, text := range a.SMS {
			d.byText[text] = jobAidFile{name: a.ID + "-" + lang + ".txt", title: a.Title.In(lang), text: text}
		}
	}
	return d
}

// document returns m's body as its job aid's document to, false when the
// body is no job aid or its upload failed (the text goes instead: she
// still gets the job aid).
func (d *Dispatcher) document(ctx context.Context, to, body string) (cloudapi.Message, bool) {
	f, ok := d.aids.byText[body]
	if !ok {
		return cloudapi.Message{}, false
	}
	d.aids.mu.Lock()
	defer d.aids.mu.Unlock()
	now := d.Now()
	u, ok := d.aids.uploaded[f.name]
	if !ok || now.Sub(u.at) >= mediaReuse {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), d.cfg.SendTimeout)
		id, err := d.sender.UploadMedia(sctx, f.name, "text/plain", strings.NewReader(f.text))
		cancel()
		if err != nil {
			d.Log.Warn("job aid upload failed, sent as text", "component", "whatsapp", phone.LogKey, phone.Mask(to), "file", f.name, "err", err)
			return cloudapi.Message{}, false
		}
		u = uploadedMedia{id: id, at: now}
		d.aids.uploaded[f.name] = u
	}
	return cloudapi.Document(to, u.id, f.name, f.title), true
}
