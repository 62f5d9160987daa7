package mentoring

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/chanjo-health/chanjo/gsm"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/whatsapp/cloudapi"
)

// maxSegments bounds the SMS the relay writes: a question or an answer is
// cut at a word to fit.
const maxSegments = 2

// AskQuestion stores the worker's question (source "ussd" or "sms") and
// queues it to the mentors who are to answer it, as AskQuestionTx does.
func (s *Service) AskQuestion(ctx context.Context, workerID int64, body, source string) (store.Asked, error) {
	var a store.Asked
	err := s.db.Tx(ctx, func(tx *store.Tx) error {
		var err error
		a, err = s.AskQuestionTx(ctx, tx, workerID, body, source)
		return err
	})
	return a, err
}

// AskQuestionTx stores the worker's question in tx, the transaction of the
// event that brings it, and queues it to her mentors, or her groups'
// mentors when she has none (store.AskQuestion says who). The same text
// asked again within the hour sends nothing twice.
func (s *Service) AskQuestionTx(ctx context.Context, tx *store.Tx, workerID int64, body, source string) (store.Asked, error) {
	a, err := s.db.AskQuestion(ctx, tx, workerID, body, source)
	if err != nil {
		return store.Asked{}, err
	}
	if _, err := s.sendNotes(ctx, tx, a.ID, a.Notify, false); err != nil {
		return store.Asked{}, fmt.Errorf("mentoring: ask question: %w", err)
	}
	if a.To == store.AskedSupervisor && !a.Repeat {
		if err := s.alertSupervisors(ctx, tx, a.ID, false); err != nil {
			return store.Asked{}, fmt.Errorf("mentoring: ask question: supervisors: %w", err)
		}
	}
	return a, nil
}

// EscalateQuestion takes question id, unanswered for a day, to the other
// mentors of the asker's groups, if it is still neither answered nor
// escalated, and tells the supervisors of the asker's sub-county who
// registered a phone. The guarded update lets one of several instances win;
// escalated reports whether this call did, sent how many SMS it queued (0
// when the group has no other mentor, or they had it already: the question
// stays for the supervisor and whoever got it).
func (s *Service) EscalateQuestion(ctx context.Context, id int64) (escalated bool, sent int, err error) {
	err = s.db.Tx(ctx, func(tx *store.Tx) error {
		var to []store.Contact
		if escalated, to, err = s.db.EscalateQuestion(ctx, tx, id); err != nil || !escalated {
			return err
		}
		if err := s.alertSupervisors(ctx, tx, id, true); err != nil {
			return err
		}
		sent, err = s.sendNotes(ctx, tx, id, to, true)
		return err
	})
	if err != nil {
		return false, 0, fmt.Errorf("mentoring: escalate question %d: %w", id, err)
	}
	return escalated, sent, nil
}

// PassQuestion hands question id, which the mentor may answer, to the other
// mentors of the nurse's groups, as EscalateQuestion does for a question
// unanswered for a day; it reports how many were sent it (0: none in reach,
// or it was passed on before). store.ErrNotYours for a question she may not
// answer, store.ErrAlreadyAnswered for one answered.
func (s *Service) PassQuestion(ctx context.Context, id, mentorID int64) (int, error) {
	if err := s.db.CheckPass(ctx, id, mentorID); err != nil {
		return 0, err
	}
	_, sent, err := s.EscalateQuestion(ctx, id)
	return sent, err
}

// AnswerQuestion stores the mentor's answer to question id (from the USSD
// menu) and queues it to the nurse as AnswerTx does. Its errors are
// store.AnswerQuestion's.
func (s *Service) AnswerQuestion(ctx context.Context, id, mentorID int64, answer string) (store.Question, error) {
	var q store.Question
	err := s.db.Tx(ctx, func(tx *store.Tx) error {
		var err error
		q, err = s.AnswerTx(ctx, tx, id, mentorID, answer, "")
		return err
	})
	return q, err
}

// AnswerTx stores the mentor's answer to question id in tx, once, and
// queues it to the nurse, under one key whichever way it came, so the nurse
// gets one answer. A correction by the same mentor is queued under a key
// of its own event, correction (the incoming SMS's id): each is sent.
// Its errors are store.AnswerQuestion's.
func (s *Service) AnswerTx(ctx context.Context, tx *store.Tx, id, mentorID int64, answer, correction string) (store.Question, error) {
	q, err := s.db.AnswerQuestion(ctx, tx, id, mentorID, answer)
	if err != nil {
		return q, err
	}
	key := fmt.Sprintf("q:%d:answer", q.ID)
	if q.Corrected && correction != "" {
		key = fmt.Sprintf("q:%d:correction:%s", q.ID, correction)
	}
	_, err = s.db.Enqueue(ctx, tx, s.answer(q, key))
	return q, err
}

// AnswerAsStaff stores the console user's answer to question id, inside the
// scope sc, and queues it to the nurse as AnswerAsStaffTx does.
func (s *Service) AnswerAsStaff(ctx context.Context, sc store.Scope, userID, id int64, answer string) (store.Question, error) {
	var q store.Question
	err := s.db.Tx(ctx, func(tx *store.Tx) error {
		var err error
		q, err = s.AnswerAsStaffTx(ctx, tx, sc, userID, id, answer)
		return err
	})
	return q, err
}

// AnswerAsStaffTx stores the answer of a console user (the helpdesk's form
// or a supervisor's "A12 ..." by SMS) in tx and queues it to the nurse under
// the key every answer uses, so she gets one answer whoever answers first
// and however often. Its errors are store.AnswerAsStaffTx's.
func (s *Service) AnswerAsStaffTx(ctx context.Context, tx *store.Tx, sc store.Scope, userID, id int64, answer string) (store.Question, error) {
	q, err := s.db.AnswerAsStaffTx(ctx, tx, sc, userID, id, answer)
	if err != nil {
		return q, err
	}
	_, err = s.db.Enqueue(ctx, tx, s.answer(q, fmt.Sprintf("q:%d:answer", q.ID)))
	return q, err
}

// ReassignQuestion hands question id, inside the scope sc, to the mentor
// mentorID (store.ReassignQuestion says who may take it) and sends her its
// note, once per mentor and question.
func (s *Service) ReassignQuestion(ctx context.Context, sc store.Scope, userID, id, mentorID int64) error {
	return s.db.Tx(ctx, func(tx *store.Tx) error {
		m, err := s.db.ReassignQuestion(ctx, tx, sc, userID, id, mentorID)
		if err != nil {
			return err
		}
		_, err = s.sendNotes(ctx, tx, id, []store.Contact{m}, false)
		return err
	})
}

// answer is the answer to q as the nurse gets it, queued under key on her
// channel: whole on WhatsApp (up to a text message's characters), in at
// most maxSegments by SMS; one cut to fit says where to read it whole. Both
// forms are worded here, where the catalogue is, and the store keeps the
// one her channel takes (Outgoing.SMSBody): the channel is known only once
// the store resolves it, and a WhatsApp row still turns into an SMS when
// WhatsApp cannot reach her (131026), so the SMS dispatcher, which cannot
// word the pointer, never has to cut.
func (s *Service) answer(q store.Question, key string) store.Outgoing {
	whole, cut := "sms.answer.to_nurse", "sms.answer.to_nurse_cut"
	if q.Corrected {
		whole, cut = "sms.answer.correction", "sms.answer.correction_cut"
	}
	other := gsm.Shorten(q.Answerer, 20)
	compose := func(body string, isCut bool) string {
		if isCut {
			return s.pack.Say(q.Language, cut, "other", other, "q", q.ID, "text", body, "code", s.ussdCode)
		}
		return s.pack.Say(q.Language, whole, "other", other, "q", q.ID, "text", body)
	}
	text := func(m string) bool { return utf8.RuneCountInString(m) <= cloudapi.MaxText }
	return store.Outgoing{DedupeKey: key, Kind: store.KindReply, Phone: q.Phone, WorkerID: q.WorkerID, HerChannel: true,
		Body: gsm.FitFunc(q.Answer, text, compose), SMSBody: gsm.Fit(q.Answer, maxSegments, compose)}
}

// sendNotes queues the note of question id to each mentor, with the dedupe
// key "q:<id>:to:<mentor>" (a mentor gets one SMS per question), and
// returns how many were new.
func (s *Service) sendNotes(ctx context.Context, tx *store.Tx, id int64, to []store.Contact, escalated bool) (int, error) {
	if len(to) == 0 {
		return 0, nil
	}
	asker, err := s.db.QuestionAsker(ctx, tx, id)
	if err != nil {
		return 0, err
	}
	msgs := make([]store.Outgoing, len(to))
	for i, m := range to {
		msgs[i] = store.Outgoing{DedupeKey: fmt.Sprintf("q:%d:to:%d", id, m.ID), Kind: store.KindReply, Phone: m.Phone,
			Body: s.questionNote(id, asker, m.Language, escalated), WorkerID: m.ID}
	}
	return s.db.Enqueue(ctx, tx, msgs...)
}

// alertSupervisors queues, in tx, the helpdesk's note of question id to
// each supervisor of the asker's sub-county who registered a phone (once
// per supervisor and question), in the pack's first language, the
// console's: no mentor can answer it, or (escalated) it waited a day. A
// nudge: no reply to anything she sent, so quiet hours hold it till morning
// and her STOP holds it for good.
func (s *Service) alertSupervisors(ctx context.Context, tx *store.Tx, id int64, escalated bool) error {
	sups, err := s.db.QuestionSupervisors(ctx, tx, id)
	if err != nil || len(sups) == 0 {
		return err
	}
	asker, err := s.db.QuestionAsker(ctx, tx, id)
	if err != nil {
		return err
	}
	key := "sms.note.supervisor"
	if escalated {
		key = "sms.note.supervisor_escalated"
	}
	lang := s.pack.Lang("")
	msgs := make([]store.Outgoing, len(sups))
	for i, u := range sups {
		msgs[i] = store.Outgoing{DedupeKey: fmt.Sprintf("q:%d:sup:%d", id, u.ID), Kind: store.KindNudge, Phone: u.Phone,
			Body: s.note(key, id, asker, lang)}
	}
	_, err = s.db.Enqueue(ctx, tx, msgs...)
	return err
}

// questionNote words the SMS that takes question id to a mentor, in her
// language lang (note).
func (s *Service) questionNote(id int64, a store.Asker, lang string, escalated bool) string {
	key := "sms.note.question"
	if escalated {
		key = "sms.note.escalated"
	}
	return s.note(key, id, a, lang)
}

// note words the catalogue's note key of question id, asked by a, in lang,
// with the nurse's name and facility shortened and the question cut at a
// word so that it fits two segments.
func (s *Service) note(key string, id int64, a store.Asker, lang string) string {
	who := gsm.Shorten(a.Name, 20)
	if f := gsm.Shorten(a.Facility, 16); f != "" {
		who += " (" + f + ")"
	}
	return gsm.Fit(strings.Join(strings.Fields(a.Body), " "), maxSegments, func(body string, _ bool) string {
		return s.pack.Say(lang, key, "q", id, "asker", who, "text", body)
	})
}
