package store_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// workerColumn names a column that points at a health worker or holds a
// phone number.
var workerColumn = regexp.MustCompile(`worker|mentor|mentee|answered_by|phone`)

// A migration that adds a table naming workers must add it to the export
// (store/person.go personTables), or her export and erasure would miss it.
func TestPersonTablesCoverTheSchema(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		cols, err := db.Columns(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		covered := store.PersonTableNames()
		for _, c := range cols {
			if workerColumn.MatchString(c.Name) && !slices.Contains(covered, c.Table) &&
				!notAboutWorkers[c.Table] {
				t.Errorf("table %s has column %s naming a worker, but the person export does not cover it", c.Table, c.Name)
			}
		}
	})
}

// notAboutWorkers are tables whose matching columns name no health worker.
var notAboutWorkers = map[string]bool{}

const (
	herName  = "Wanjiru Kamau"
	herPhone = "+254711000001"
)

// Raw WhatsApp webhooks as Meta sends them: a batch with her message and
// another nurse's, a status of a message to her, and another nurse's alone.
const (
	waBatch = `{"object":"whatsapp_business_account","entry":[{"id":"WABA","changes":[{"field":"messages","value":{
 "contacts":[{"profile":{"name":"Wanjiru K"},"wa_id":"254711000001"},{"profile":{"name":"Otieno"},"wa_id":"254722000009"}],
 "messages":[{"from":"254711000001","id":"wamid.1","timestamp":"1764576000","type":"text","text":{"body":"Habari, nina swali"}},
  {"from":"254722000009","id":"wamid.2","timestamp":"1764576001","type":"text","text":{"body":"Jambo from Otieno"}}]}}]}]}`
	waStatusToHer = `{"entry":[{"changes":[{"value":{"statuses":[{"id":"wamid.OUT1","status":"read","timestamp":"1764576060",
 "recipient_id":"254711000001","biz_opaque_callback_data":"outbox:7","pricing":{"category":"service"}}]}}]}]}`
	waOther = `{"entry":[{"changes":[{"value":{"messages":[{"from":"254722000009","id":"wamid.3","type":"text","text":{"body":"Habari"}}]}}]}]}`
)

// seedPerson puts her (a nurse) and Grace (her mentor) in every table that
// can name a worker, and returns her worker id.
func seedPerson(t *testing.T, db *store.DB) int64 {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	stmts := []struct {
		q    string
		args []any
	}{
		{`INSERT INTO facilities (id, code, name, sub_county, created_at, updated_at) VALUES (1, '12345', 'Kisumu HC', 'Kisumu East', ?, ?)`, []any{now, now}},
		{`INSERT INTO workers (id, phone, name, role, facility_id, status, last_dial_at, created_at, updated_at) VALUES (1, ?, ?, 'nurse', 1, 'active', ?, ?, ?)`, []any{herPhone, herName, db.Now(), now, now}},
		{`INSERT INTO workers (id, phone, name, role, facility_id, status, last_dial_at, created_at, updated_at) VALUES (2, '+254711000002', 'Grace Otieno', 'mentor', 1, 'active', ?, ?, ?)`, []any{now, now, now}},
		{`INSERT INTO lesson_progress (worker_id, lesson_id, page, completed_at, updated_at) VALUES (1, 'rec-1', 3, ?, ?)`, []any{now, now}},
		{`INSERT INTO topic_completions (worker_id, topic, completed_at) VALUES (1, 'recording', ?)`, []any{now}},
		{`INSERT INTO quiz_attempts (id, worker_id, form, topic, seed, started_at, finished_at, score, total) VALUES (1, 1, 'practice', 'recording', 7, ?, ?, 3, 5)`, []any{now, now}},
		{`INSERT INTO quiz_attempts (id, worker_id, form, topic, seed, started_at, finished_at, score, total) VALUES (2, 1, 'baseline', '', 7, ?, ?, 6, 10)`, []any{now, now}},
		{`INSERT INTO quiz_answers (attempt_id, question_id, topic, chosen, correct, answered_at) VALUES (2, 'q1', 'recording', 1, TRUE, ?)`, []any{now}},
		{`INSERT INTO quiz_answers (attempt_id, question_id, topic, chosen, correct, answered_at) VALUES (1, 'r1', 'recording', 0, FALSE, ?)`, []any{now}},
		{`INSERT INTO assessment_exemptions (worker_id, form, recorded_by, reason, created_at) VALUES (1, 'midline', 'amina', 'on leave', ?)`, []any{now}},
		{`INSERT INTO privacy_notices (worker_id, due_at, notice_at) VALUES (1, ?, ?)`, []any{now, now}},
		{`INSERT INTO certificates (code, worker_id, topic, issued_at) VALUES ('ABCD2345', 1, 'recording', ?)`, []any{now}},
		{`INSERT INTO stock_calculations (worker_id, facility_id, calculator, inputs, result, status, created_at) VALUES (1, 1, 'forecast', '{}', '{}', 'ok', ?)`, []any{now}},
		{`INSERT INTO questions (worker_id, body, source, asked_at, answer, answered_by, answered_at) VALUES (1, 'Can I open a BCG vial twice Wanjiru Kamau', 'sms', ?, 'Yes, within 6 hours', 2, ?)`, []any{now, now}},
		{`INSERT INTO visits (id, mentor_id, mentee_id, scheduled_at, status, done_at, created_at, updated_at) VALUES (1, 2, 1, ?, 'done', ?, ?, ?)`, []any{now, now, now, now}},
		{`INSERT INTO checklist_answers (visit_id, item_id, answer, answered_at) VALUES (1, 'tally', 'done', ?)`, []any{now}},
		{`INSERT INTO visit_notes (visit_id, notes, saved_at) VALUES (1, 'Wanjiru Kamau will update the tally sheet daily', ?)`, []any{now}},
		{`INSERT INTO reminders (worker_id, rule, anchor, due_at, status, created_at, updated_at) VALUES (1, 'after_visit', 'v1', ?, 'scheduled', ?, ?)`, []any{now.Add(48 * time.Hour), now, now}},
		{`INSERT INTO mentor_pairs (mentor_id, mentee_id, created_at) VALUES (2, 1, ?)`, []any{now}},
		{`INSERT INTO groups (id, name, created_at) VALUES (1, 'Kisumu nurses', ?)`, []any{now}},
		{`INSERT INTO group_members (group_id, worker_id) VALUES (1, 1)`, nil},
		{`INSERT INTO group_messages (id, group_id, sender_id, body, source, inbound_key, recipients, created_at) VALUES (1, 1, 1, 'Wanjiru Kamau (Kisumu HC): who has BCG diluent', 'sms', 'sms:g1', 1, ?)`, []any{now}},
		{`INSERT INTO circle_groups (id, mentor_id, graph_group_id, invite_link, state, created_at, updated_at) VALUES (1, 1, 'G1', 'https://chat.whatsapp.com/X', 'active', ?, ?)`, []any{now, now}},
		{`INSERT INTO circle_members (circle_id, worker_id, state, changed_at) VALUES (1, 1, 'joined', ?)`, []any{now}},
		{`INSERT INTO circle_posts (circle_id, sender_id, body, dedupe_key, state, created_at) VALUES (1, 1, 'Wanjiru Kamau (SMS): who has BCG diluent', 'circle:sms:g1', 'sent', ?)`, []any{now}},
		{`INSERT INTO outbox (dedupe_key, kind, priority, phone, body, worker_id, status, not_before, sub_county, created_at, updated_at, group_message_id) VALUES ('g1:2', 'nudge', 1, '+254711000002', 'Wanjiru Kamau (Kisumu HC): who has BCG diluent', 2, 'delivered', ?, 'Kisumu East', ?, ?, 1)`, []any{now, now, now}},
		{`INSERT INTO inbound_sms (gateway_id, phone, body, worker_id, sent_at, received_at) VALUES ('g1', ?, 'Can I open a BCG vial twice', 1, ?, ?)`, []any{herPhone, now, now}},
		{`INSERT INTO broadcasts (id, audience, body, send_at, recipients, segments, created_at) VALUES (1, '{}', 'Stock count Friday', ?, 2, 2, ?)`, []any{now, now}},
		{`INSERT INTO outbox (dedupe_key, kind, priority, phone, body, worker_id, broadcast_id, status, not_before, sub_county, created_at, updated_at) VALUES ('b1', 'broadcast', 3, ?, 'Stock count Friday', 1, 1, 'delivered', ?, 'Kisumu East', ?, ?)`, []any{herPhone, now, now, now}},
		{`INSERT INTO outbox (dedupe_key, kind, priority, phone, body, worker_id, broadcast_id, status, not_before, sub_county, created_at, updated_at) VALUES ('b2', 'broadcast', 3, '+254711000002', 'Stock count Friday', 2, 1, 'delivered', ?, 'Kisumu East', ?, ?)`, []any{now, now, now}},
		{`INSERT INTO outbox (dedupe_key, kind, priority, phone, body, worker_id, status, not_before, sub_county, created_at, updated_at) VALUES ('q1', 'reply', 1, '+254711000002', 'Q1 from Wanjiru Kamau (Kisumu HC): Can I open a BCG vial twice Call 0711000001. Reply A1', 2, 'delivered', ?, 'Kisumu East', ?, ?)`, []any{now, now, now}},
		{`INSERT INTO opt_outs (phone, worker_id, channel, reason, opted_out_at) VALUES (?, 1, 'sms', 'keyword', ?)`, []any{herPhone, now}},
		{`INSERT INTO ussd_sessions (session_id, phone, status, input, ended_at) VALUES ('s1', ?, 'done', '1*Wanjiru Kamau*12345', ?)`, []any{herPhone, now}},
		{`INSERT INTO worker_consents (worker_id, via, given_at) VALUES (1, 'ussd', ?)`, []any{now}},
		{`INSERT INTO whatsapp_inbox (id, body, received_at, processed_at) VALUES (1, ?, ?, ?)`, []any{[]byte(waBatch), now, now}},
		{`INSERT INTO whatsapp_inbox (id, body, received_at, processed_at) VALUES (2, ?, ?, ?)`, []any{[]byte(waStatusToHer), now, now}},
		{`INSERT INTO whatsapp_inbox (id, body, received_at, processed_at) VALUES (3, ?, ?, ?)`, []any{[]byte(waOther), now, now}},
		{`INSERT INTO whatsapp_statuses (wamid, status, rank, recipient, opaque, status_at, updated_at) VALUES ('wamid.OUT1', 'read', 3, '254711000001', 'outbox:7', ?, ?)`, []any{now, now}},
		{`INSERT INTO whatsapp_messages (wamid, phone, kind, reply_id, body, sent_at, received_at, inbox_id) VALUES ('wamid.1', ?, 'text', '', 'Habari, Wanjiru Kamau here', ?, ?, 1)`, []any{herPhone, now, now}},
		{`INSERT INTO users (name, role, password_hash, created_at) VALUES ('amina', 'admin', 'x', ?)`, []any{now}},
		{`INSERT INTO audit_log (action, subject, detail, created_at) VALUES ('worker.update', 'worker:1', 'name Wanjiru Kamau; phone +254711000001', ?)`, []any{now}},
		{`INSERT INTO audit_log (action, subject, detail, created_at) VALUES ('pair.create', 'worker:12', 'mentor worker:2', ?)`, []any{now}},
	}
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, db.Rebind(s.q), s.args...); err != nil {
			t.Fatalf("seed %q: %v", s.q, err)
		}
	}
	return 1
}

func TestExportPersonListsEveryTable(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedPerson(t, db)
		data, err := db.ExportPerson(ctx, 0, herPhone)
		if err != nil {
			t.Fatal(err)
		}
		tables, err := tableNames(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, pt := range data.Tables {
			got[pt.Name] = len(pt.Rows)
		}
		for _, name := range store.PersonTableNames() {
			if !tables[name] || name == "users" || name == "sms_optouts" {
				continue // a dropped table; her number is no console user's
			}
			if got[name] == 0 {
				t.Errorf("export of %s: no rows, want hers", name)
			}
		}
		if got["audit_log"] != 1 {
			t.Errorf("export of audit_log: %d rows, want 1 (worker:12 is not worker:1)", got["audit_log"])
		}
		if got["whatsapp_inbox"] != 2 {
			t.Errorf("export of whatsapp_inbox: %d rows, want 2 (her message's batch and a status to her)", got["whatsapp_inbox"])
		}
		if got["outbox"] != 1 {
			t.Errorf("export of outbox: %d rows, want 1 (the broadcast to her)", got["outbox"])
		}
		if _, err := db.ExportPerson(ctx, 0, "+254799999999"); err != store.ErrNotFound {
			t.Errorf("ExportPerson(unknown) = %v, want ErrNotFound", err)
		}
		if log, _ := db.AuditLog(ctx, 1); len(log) != 1 || log[0].Action != "person.export" || log[0].Subject != "worker:1" {
			t.Errorf("audit after export = %+v, want person.export worker:1", log)
		}
	})
}

func tableNames(ctx context.Context, db *store.DB) (map[string]bool, error) {
	cols, err := db.Columns(ctx, db)
	set := map[string]bool{}
	for _, c := range cols {
		set[c.Table] = true
	}
	return set, err
}

// reportCounts are the counts the console's reports show.
type reportCounts struct {
	Dashboard  store.Dashboard
	Scores     []store.AssessmentScore
	Broadcasts []store.Broadcast
	Evaluation int
}

func countReports(t *testing.T, db *store.DB) reportCounts {
	t.Helper()
	ctx := context.Background()
	sc := store.Scope{Admin: true}
	var r reportCounts
	var err error
	if r.Dashboard, err = db.Dashboard(ctx, sc, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if r.Scores, err = db.AssessmentScores(ctx, sc, store.ReportFilter{}); err != nil {
		t.Fatal(err)
	}
	if r.Broadcasts, err = db.Broadcasts(ctx, sc, 10); err != nil {
		t.Fatal(err)
	}
	ev, err := db.EvaluationAnswers(ctx, sc, store.ReportFilter{})
	if err != nil {
		t.Fatal(err)
	}
	r.Evaluation = len(ev)
	return r
}

func TestErasePersonLeavesNoTraceAndTheCounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedPerson(t, db)
		before := countReports(t, db)
		if before.Dashboard.ActiveThisWeek != 1 || len(before.Broadcasts) != 1 || len(before.Scores) == 0 {
			t.Fatalf("reports before erasure = %+v, want her counted", before)
		}
		if missed, err := db.MissedQuestions(ctx, 1, "recording"); err != nil || len(missed) != 1 {
			t.Fatalf("MissedQuestions before erasure = %v, %v, want her miss r1", missed, err)
		}
		anon, err := db.ErasePerson(ctx, 0, herPhone)
		if err != nil {
			t.Fatal(err)
		}
		if anon != "erased-1" {
			t.Errorf("ErasePerson = %q, want erased-1", anon)
		}
		if diff := cmp.Diff(before, countReports(t, db)); diff != "" {
			t.Errorf("reports' counts changed by the erasure (-before +after):\n%s", diff)
		}
		for _, hit := range textHits(t, db, "wanjiru", "kamau", "711000001") {
			t.Errorf("after erasure %s", hit)
		}
		var relay string
		if err := db.GetContext(ctx, &relay, `SELECT body FROM outbox WHERE dedupe_key = 'q1'`); err != nil {
			t.Fatal(err)
		}
		if want := "Q1 from erased-1 (Kisumu HC): Can I open a BCG vial twice Call erased-1. Reply A1"; relay != want {
			t.Errorf("relayed question = %q, want %q", relay, want)
		}
		log, _ := db.AuditLog(ctx, 1)
		if len(log) != 1 || log[0].Action != "person.erase" || log[0].Subject != "worker:1" {
			t.Errorf("audit after erasure = %+v, want person.erase worker:1", log)
		}
		if _, err := db.WorkerByPhone(ctx, herPhone); err != store.ErrNotFound {
			t.Errorf("WorkerByPhone(her number) after erasure = %v, want ErrNotFound", err)
		}
		checkWhatsAppErased(t, db)
		// Her misses go: a number given her again starts with none.
		if missed, err := db.MissedQuestions(ctx, 1, "recording"); err != nil || len(missed) != 0 {
			t.Errorf("MissedQuestions after erasure = %v, %v, want none", missed, err)
		}
	})
}

// checkWhatsAppErased checks that her WhatsApp messages and the raw webhooks
// they came in hold nothing she wrote and not her number or profile name,
// while another nurse's message in the same batch is kept whole.
func checkWhatsAppErased(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	var body string
	if err := db.GetContext(ctx, &body, `SELECT body FROM whatsapp_messages WHERE wamid = 'wamid.1'`); err != nil {
		t.Fatal(err)
	}
	if body != "" {
		t.Errorf("her WhatsApp message after erasure = %q, want it empty", body)
	}
	var raws []struct {
		ID   int64  `db:"id"`
		Body []byte `db:"body"`
	}
	if err := db.SelectContext(ctx, &raws, `SELECT id, body FROM whatsapp_inbox ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	for _, r := range raws {
		for _, w := range []string{"711000001", "Wanjiru", "nina swali", "biz_opaque"} {
			if strings.Contains(string(r.Body), w) {
				t.Errorf("raw webhook %d after erasure holds %q: %s", r.ID, w, r.Body)
			}
		}
	}
	if len(raws) != 3 || !strings.Contains(string(raws[0].Body), "Jambo from Otieno") || string(raws[2].Body) != waOther {
		t.Errorf("raw webhooks after erasure = %+v, want the other nurse's messages kept", raws)
	}
	if !strings.Contains(string(raws[0].Body), `"id":"wamid.1"`) {
		t.Errorf("raw webhook 1 after erasure = %s, want her message's id kept (deduplication)", raws[0].Body)
	}
}

// textHits searches every text column of every table for each word,
// case-insensitively, and names where it is found.
func textHits(t *testing.T, db *store.DB, words ...string) []string {
	t.Helper()
	ctx := context.Background()
	cols, err := db.Columns(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	var hits []string
	for _, c := range cols {
		if !strings.Contains(c.Type, "text") && !strings.Contains(c.Type, "char") {
			continue
		}
		for _, w := range words {
			var vals []string
			q := fmt.Sprintf(`SELECT "%s" FROM "%s" WHERE LOWER("%s") LIKE ?`, c.Name, c.Table, c.Name)
			if err := db.SelectContext(ctx, &vals, db.Rebind(q), "%"+w+"%"); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				hits = append(hits, fmt.Sprintf("%s.%s holds %q", c.Table, c.Name, v))
			}
		}
	}
	return hits
}

// The CSV export is one file per table; typed text cannot run as a formula
// in a spreadsheet, and her number reads as written.
func TestPersonCSVZip(t *testing.T) {
	data := store.PersonData{Tables: []store.PersonTable{
		{Name: "workers", Columns: []string{"id", "phone", "name"}, Rows: [][]any{{int64(1), "+254711000001", "=HYPERLINK(\"x\")"}}},
		{Name: "questions", Columns: []string{"id"}, Rows: [][]any{}},
	}}
	var buf bytes.Buffer
	if err := data.WriteCSVZip(&buf); err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(r)
		r.Close()
		got[f.Name] = string(b)
	}
	want := map[string]string{
		"workers.csv":   "id,phone,name\n1,+254711000001,\"'=HYPERLINK(\"\"x\"\")\"\n",
		"questions.csv": "id\n",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CSV zip (-want +got):\n%s", diff)
	}
}
