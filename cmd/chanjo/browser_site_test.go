package main

import (
	"context"
	"net"
	"slices"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/sms/fakegateway"
	"github.com/chanjo-health/chanjo/sms/fakegateway/fakegatewaytest"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// The supervisor of the browser test and what she sends.
const (
	supervisorName     = "wanjiru"
	supervisorPassword = "kibra-supervisor-2025"
	broadcastBody      = "Chanjo: the measles-rubella campaign starts Monday. Check your MR vials and cold chain today."
	browserToken       = "browser-test-callback-token"
)

// rosterNurses are the Kibra nurses of the uploaded roster; the last one
// sends STOP before the broadcast.
var rosterNurses = []struct{ name, phone, lang string }{
	{"Amina Wekesa", "+254711000001", "sw"},
	{"Achieng Otieno", "+254711000002", "en"},
	{"Njeri Kamau", "+254711000003", "sw"},
	{"Fatuma Hassan", "+254711000004", "en"},
	{"Chebet Koech", "+254711000005", "sw"},
}

// rosterBadLine is the line of the roster's bad row (a short phone number).
const rosterBadLine = 8

// rosterCSV is the uploaded roster: the nurses, their mentor, a bad row.
func rosterCSV() string {
	rows := []string{"name,phone,role,language,facility_code,facility_name,sub_county,county,group"}
	for _, n := range rosterNurses {
		rows = append(rows, n.name+","+n.phone+",nurse,"+n.lang+",13023,Kibra Health Centre,Kibra,Nairobi,Kibra EPI")
	}
	rows = append(rows, "Grace Mutua,+254722000009,mentor,en,13023,Kibra Health Centre,Kibra,Nairobi,",
		"Pendo Ali,07123,nurse,en,13023,Kibra Health Centre,Kibra,Nairobi,Kibra EPI")
	return strings.Join(rows, "\n") + "\n"
}

// site is the service as serve runs it, with its workers, on a loopback
// port, sending SMS to a fake gateway that posts its delivery reports back.
type site struct {
	a    *app
	url  string
	fake *fakegatewaytest.Server
}

func startSite(t *testing.T) *site {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &site{url: "http://" + ln.Addr().String()}
	s.fake = fakegatewaytest.NewServer(fakegateway.Options{CallbackURL: s.url + "/sms/delivery?token=" + browserToken})
	t.Cleanup(s.fake.Close)
	s.a, _ = testApp(t, map[string]string{"AT_USERNAME": "sandbox", "AT_API_KEY": fakegateway.DefaultAPIKey,
		"AT_BASE_URL": s.fake.URL, "CALLBACK_TOKEN": browserToken, "SMS_QUIET_HOURS": "off", "SMS_RATE": "0"})
	hash, err := bcrypt.GenerateFromPassword([]byte(supervisorPassword), bcrypt.MinCost)
	if err == nil {
		_, err = s.a.db.CreateUser(context.Background(), store.NewUser{Name: supervisorName, Role: store.RoleSupervisor,
			PasswordHash: string(hash), SubCounties: []string{"Kibra"}})
	}
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.a.serve(ctx, ln, s.a.router()) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return s
}

// stop sends STOP from phone through the fake gateway, as a nurse would.
func (s *site) stop(t *testing.T, phone string) {
	t.Helper()
	in := fakegateway.Incoming{From: phone, Text: "STOP"}
	if _, err := s.fake.PostIncoming(context.Background(), s.url+"/sms/inbound?token="+browserToken, in); err != nil {
		t.Fatal(err)
	}
}

// seedLearning records what the nurses did over USSD this week: each dialled,
// finished some lessons, took practice quizzes and the baseline and midline
// assessments, better at midline.
func (s *site) seedLearning(t *testing.T) {
	t.Helper()
	ctx, db, pack := context.Background(), s.a.db, s.a.pack
	for i, n := range rosterNurses {
		w, err := db.WorkerByPhone(ctx, n.phone)
		if err == nil {
			err = db.TouchDial(ctx, w.ID)
		}
		var marks []store.PageMark
		for _, l := range pack.Lessons[:3+3*i] {
			marks = append(marks, store.PageMark{WorkerID: w.ID, Lesson: l.ID, Page: len(l.Pages), Done: true})
		}
		if err == nil {
			err = db.SaveLessonPages(ctx, marks)
		}
		for j, topic := range pack.Topics {
			if err == nil {
				err = s.quiz(w.ID, store.FormPractice, topic.ID, pack.Practice(topic.ID)[:3], 2+(i+j)%3)
			}
		}
		if err == nil {
			err = s.quiz(w.ID, store.FormBaseline, "", pack.Assessment(lessons.Baseline), 2+i%3)
		}
		if err == nil {
			err = s.quiz(w.ID, store.FormMidline, "", pack.Assessment(lessons.Midline), 4+i%3)
		}
		if err != nil {
			t.Fatalf("seed learning of nurse %d: %v", i, err)
		}
	}
}

// quiz records a finished attempt at qs in which every wrong-th question is
// answered wrong.
func (s *site) quiz(workerID int64, form, topic string, qs []lessons.Question, wrong int) error {
	ctx, db := context.Background(), s.a.db
	id, err := db.StartAttempt(ctx, workerID, form, topic, 1)
	score := 0
	for k, q := range qs {
		right := (k+1)%wrong != 0
		chosen := q.Answer()
		if right {
			score++
		} else {
			chosen = (chosen + 1) % len(q.Options)
		}
		if err == nil {
			err = db.RecordAnswer(ctx, id, q.ID, q.Topic, chosen, right)
		}
	}
	if err == nil {
		err = db.FinishAttempt(ctx, id, score, len(qs))
	}
	return err
}

// broadcastStates lists the status and gateway status of every broadcast
// SMS, for the message of a failed wait.
func (s *site) broadcastStates(t *testing.T) []string {
	var rows []string
	for _, o := range storetest.OutWhere(t, s.a.db, func(o storetest.Out) bool { return o.Kind == store.KindBroadcast }) {
		rows = append(rows, o.Status+"/"+o.GatewayStatus)
	}
	return rows
}

// firstTopicTitle is the English title of the topic whose id sorts first:
// the dashboard lists quiz averages by topic id.
func (s *site) firstTopicTitle() string {
	first := slices.MinFunc(s.a.pack.Topics, func(a, b lessons.Topic) int { return strings.Compare(a.ID, b.ID) })
	return first.Title.In("en")
}
