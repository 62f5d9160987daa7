package whatsapp

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// A job aid she asked for reaches a nurse on WhatsApp as a document inside
// her window (the file uploaded once to the fake's media, its id sent
// again), as the answer template outside it; a nurse on SMS keeps the SMS.
func TestJobAidAsDocument(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		r := newSendRig(t, db, "T")
		p, err := lessons.Default()
		if err != nil {
			t.Fatal(err)
		}
		aid := p.JobAids[0]
		r.disp.aids = newJobAidDocs(p.JobAids)
		amina := r.nurse("+254711000001", "en", true)
		sms, err := db.Register(ctx, store.Registration{Phone: "+254711000002", Name: "Eve Atieno", Language: "en", FacilityCode: "12345", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		// As the lesson menu queues it (ussd sendJobAid).
		ask := func(key, p string, worker int64) {
			t.Helper()
			if _, err := db.QueueSMS(ctx, store.Outgoing{DedupeKey: key, Kind: store.KindReply, Phone: p, Body: aid.SMS.In("en"),
				WorkerID: worker, HerChannel: true}); err != nil {
				t.Fatal(err)
			}
		}
		ask("jobaid:1", "+254711000001", amina)
		ask("jobaid:2", "+254711000002", sms.ID)
		if got := r.row("jobaid:2").Channel; got != store.ChannelSMS {
			t.Errorf("job aid to the SMS nurse: channel %q, want sms", got)
		}
		r.once()
		r.settle()
		r.advance(time.Hour)
		ask("jobaid:3", "+254711000001", amina)
		r.once()
		r.settle()

		sent := r.sentTo("+254711000001")
		if len(sent) != 2 {
			t.Fatalf("the fake got %+v, want two documents", sent)
		}
		var ids []string
		for _, m := range sent {
			var body struct {
				Document struct{ ID, Link, Filename, Caption string }
			}
			if err := json.Unmarshal(m.Body, &body); err != nil {
				t.Fatal(err)
			}
			d := body.Document
			if m.Type != "document" || d.ID == "" || d.Filename != aid.ID+"-en.txt" || d.Caption != aid.Title.In("en") {
				t.Fatalf("the job aid went as %s %+v, want a document by media id named %s-en.txt", m.Type, d, aid.ID)
			}
			ids = append(ids, d.ID)
		}
		if ids[0] != ids[1] {
			t.Errorf("media ids %v: the job aid was uploaded twice, want its id sent again", ids)
		}
		if got := download(t, r.fake.URL(), ids[0]); got != aid.SMS.In("en") {
			t.Errorf("the uploaded document holds %q, want the job aid %q", got, aid.SMS.In("en"))
		}

		r.advance(Window + time.Hour)
		ask("jobaid:4", "+254711000001", amina)
		r.once()
		r.settle()
		sent = r.sentTo("+254711000001")
		if len(sent) != 3 || sent[2].Type != "template" || templateOf(t, sent[2]) != "chanjo_answer/en" {
			t.Fatalf("outside her window the fake got %+v, want the answer template", sent)
		}
	})
}

// download looks the media id up on the fake and downloads its file.
func download(t *testing.T, base, id string) string {
	t.Helper()
	get := func(url string) []byte {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("Authorization", "Bearer T")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s = %d %s", url, resp.StatusCode, b)
		}
		return b
	}
	var m struct{ URL string }
	if err := json.Unmarshal(get(base+"/v25.0/"+id), &m); err != nil {
		t.Fatal(err)
	}
	return string(get(m.URL))
}
