package sms_test

import (
	"testing"

	"github.com/chanjo-health/chanjo/gsm"
	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/sms"
)

// The decision on a registration reads in her language, names the code and
// fits one SMS.
func TestRegistrationNotice(t *testing.T) {
	notice := sms.RegistrationNotice(shipped(t), "*384*123#")
	cases := []struct {
		approved bool
		lang     string
		want     string
	}{
		{true, "en", "Chanjo: welcome! Your registration is approved. Dial *384*123# for lessons, quizzes and stock calculators."},
		{true, "sw", "Chanjo: karibu! Usajili wako umekubaliwa. Piga *384*123# kwa masomo, mazoezi na vikokotoo."},
		{false, "en", "Chanjo: your registration was not approved. If you work in the programme, ask your supervisor, then dial *384*123# again."},
		{false, "sw", "Chanjo: usajili wako haukukubaliwa. Kama unafanya kazi katika mpango huu, muulize msimamizi wako, kisha piga *384*123# tena."},
	}
	for _, c := range cases {
		got := notice.Rejected.In(c.lang)
		if c.approved {
			got = notice.Approved.In(c.lang)
		}
		if got != c.want {
			t.Errorf("RegistrationNotice(%v, %s) = %q, want %q", c.approved, c.lang, got, c.want)
		}
		if n := gsm.Segments(got).Segments; n != 1 {
			t.Errorf("RegistrationNotice(%v, %s) is %d segments, want 1", c.approved, c.lang, n)
		}
	}
}

// shipped returns the embedded pack, whose catalogue words the SMS.
func shipped(t *testing.T) *lessons.Pack {
	t.Helper()
	p, err := lessons.Default()
	if err != nil {
		t.Fatal(err)
	}
	return p
}
