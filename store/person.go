package store

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// personTable says how the rows of one table that name a health worker are
// found: a condition over :id (her worker id), :phone (her +254… number)
// and :subject (worker:ID, as audit rows name her).
type personTable struct {
	name  string
	where string
	// dialectWhere, when set, is the condition instead of where: one the
	// dialects spell differently.
	dialectWhere func(Dialect) string
}

// condition is t's condition in dialect d.
func (t personTable) condition(d Dialect) string {
	if t.dialectWhere != nil {
		return t.dialectWhere(d)
	}
	return t.where
}

// personTables lists every table that names a health worker, by id or by
// number. TestPersonTablesCoverTheSchema fails when a migration adds a table
// with a worker or phone column that is missing here, so an export never
// leaves a table out.
var personTables = []personTable{
	{"workers", "id = :id", nil},
	{"lesson_progress", "worker_id = :id", nil},
	{"topic_completions", "worker_id = :id", nil},
	{"quiz_attempts", "worker_id = :id", nil},
	{"quiz_answers", "attempt_id IN (SELECT id FROM quiz_attempts WHERE worker_id = :id)", nil},
	{"practice_latest", "worker_id = :id", nil},
	{"assessment_exemptions", "worker_id = :id", nil},
	{"certificates", "worker_id = :id", nil},
	{"privacy_notices", "worker_id = :id", nil},
	{"worker_consents", "worker_id = :id", nil},
	{"stock_calculations", "worker_id = :id", nil},
	{"questions", "worker_id = :id OR answered_by = :id", nil},
	{"reminders", "worker_id = :id", nil},
	{"visits", "mentor_id = :id OR mentee_id = :id", nil},
	{"checklist_answers", "visit_id IN (SELECT id FROM visits WHERE mentor_id = :id OR mentee_id = :id)", nil},
	{"visit_notes", "visit_id IN (SELECT id FROM visits WHERE mentor_id = :id OR mentee_id = :id)", nil},
	{"mentor_pairs", "mentor_id = :id OR mentee_id = :id", nil},
	{"group_members", "worker_id = :id", nil},
	{"group_messages", "sender_id = :id OR withdrawn_by = :id", nil},
	{"circle_groups", "mentor_id = :id", nil},
	{"circle_members", "worker_id = :id", nil},
	{"circle_posts", "sender_id = :id", nil},
	{"inbound_sms", "worker_id = :id OR phone = :phone", nil},
	{"outbox", "worker_id = :id OR phone = :phone", nil},
	{"opt_outs", "worker_id = :id OR phone = :phone", nil},
	{"sms_optouts", "phone = :phone", nil},
	{"ussd_sessions", "phone = :phone", nil},
	{"whatsapp_messages", "phone = :phone", nil},
	{name: "whatsapp_inbox", dialectWhere: sqlWhatsAppInboxNaming},
	{"whatsapp_statuses", "recipient = :waid", nil},
	{"users", "phone = :phone", nil},
	{"audit_log", "subject = :subject OR detail LIKE :subjectLike OR subject LIKE :phoneLike OR detail LIKE :phoneLike", nil},
}

// PersonData is everything Chanjo holds about one health worker: for each
// table that names her, its columns and her rows, in the order of
// personTables.
type PersonData struct {
	WorkerID int64         `json:"worker_id"`
	Phone    string        `json:"phone"`
	Tables   []PersonTable `json:"tables"`
}

// PersonTable is one table's rows about a person; values are strings,
// numbers, booleans, RFC 3339 times or nil.
type PersonTable struct {
	Name    string   `json:"table"`
	Columns []string `json:"columns"`
	Rows    [][]any  `json:"rows"`
}

// ExportPerson returns every row that names the worker with the +254…
// number p, or ErrNotFound, and audits the export under userID (0: the
// command line) with her worker id only.
func (db *DB) ExportPerson(ctx context.Context, userID int64, p string) (PersonData, error) {
	w, err := db.WorkerByPhone(ctx, p)
	if err != nil {
		return PersonData{}, err
	}
	out := PersonData{WorkerID: w.ID, Phone: w.Phone}
	err = db.Tx(ctx, func(tx *Tx) error {
		tables, err := db.tableSet(ctx, tx)
		if err != nil {
			return err
		}
		for _, t := range personTables {
			if !tables[t.name] {
				// A table a later migration dropped (sms_optouts) has nothing of her.
				out.Tables = append(out.Tables, PersonTable{Name: t.name, Rows: [][]any{}})
				continue
			}
			pt, err := db.personRows(ctx, tx, t, w)
			if err != nil {
				return err
			}
			out.Tables = append(out.Tables, pt)
		}
		return db.Audit(ctx, tx, userID, "person.export", fmt.Sprintf("worker:%d", w.ID), "")
	})
	if err != nil {
		return PersonData{}, err
	}
	return out, nil
}

// personArgs are the binds of personTables' conditions for worker w.
func personArgs(w Worker) map[string]any {
	subject := fmt.Sprintf("worker:%d", w.ID)
	return map[string]any{
		"id": w.ID, "phone": w.Phone, "subject": subject,
		"subjectLike": "%" + subject + "%", "phoneLike": "%" + w.Phone + "%",
		"waid": waID(w.Phone), "waidBytes": []byte(waID(w.Phone)),
	}
}

// workerRef finds "worker:ID" as a whole reference, so worker:4 is not
// worker:42.
func workerRef(id int64) *regexp.Regexp {
	return regexp.MustCompile(fmt.Sprintf(`worker:%d\b`, id))
}

// personRows reads the rows of table t that name w. The table's name and
// condition come from personTables, a closed set written in this package:
// an identifier cannot be bound, so the name is put into the statement;
// the worker's id and number are bound.
func (db *DB) personRows(ctx context.Context, tx *Tx, t personTable, w Worker) (PersonTable, error) {
	q, args, err := sqlx.Named(`SELECT * FROM `+t.name+` WHERE `+t.condition(db.Dialect), personArgs(w))
	if err != nil {
		return PersonTable{}, fmt.Errorf("store: export %s: %w", t.name, err)
	}
	rows, err := tx.QueryxContext(ctx, db.Rebind(q), args...)
	if err != nil {
		return PersonTable{}, fmt.Errorf("store: export %s: %w", t.name, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return PersonTable{}, fmt.Errorf("store: export %s: %w", t.name, err)
	}
	pt := PersonTable{Name: t.name, Columns: cols, Rows: [][]any{}}
	ref := workerRef(w.ID)
	for rows.Next() {
		vals, err := rows.SliceScan()
		if err != nil {
			return PersonTable{}, fmt.Errorf("store: export %s: %w", t.name, err)
		}
		for i, v := range vals {
			vals[i] = exportValue(v)
		}
		if t.name == "audit_log" && !auditNames(cols, vals, ref, w.Phone) {
			continue
		}
		pt.Rows = append(pt.Rows, vals)
	}
	if err := rows.Err(); err != nil {
		return PersonTable{}, fmt.Errorf("store: export %s: %w", t.name, err)
	}
	return pt, nil
}

// auditNames reports whether an audit row names the worker of ref or phone:
// the SQL condition's LIKE also takes worker:42 for worker:4.
func auditNames(cols []string, vals []any, ref *regexp.Regexp, phone string) bool {
	for i, c := range cols {
		s, ok := vals[i].(string)
		if ok && (c == "subject" || c == "detail") && (ref.MatchString(s) || strings.Contains(s, phone)) {
			return true
		}
	}
	return false
}

// exportValue turns a scanned value into one JSON and CSV write plainly.
func exportValue(v any) any {
	switch x := v.(type) {
	case []byte:
		return string(x)
	case time.Time:
		return x.UTC().Format(time.RFC3339)
	}
	return v
}

// Column is one column of a table of the database.
type Column struct {
	Table, Name, Type string
}

const sqlColumnsSQLite = `SELECT m.name AS tbl, p.name AS col, p.type AS typ
FROM sqlite_schema m, pragma_table_info(m.name) p
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid`

const sqlColumnsPostgres = `SELECT table_name AS tbl, column_name AS col, data_type AS typ
FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`

// Columns lists every column of every table of the database, from its
// schema rather than from code, so privacy checks see tables added later.
func (db *DB) Columns(ctx context.Context, q sqlx.QueryerContext) ([]Column, error) {
	query := sqlColumnsSQLite
	if db.Dialect == Postgres {
		query = sqlColumnsPostgres
	}
	var rows []struct {
		Table string `db:"tbl"`
		Name  string `db:"col"`
		Type  string `db:"typ"`
	}
	if err := sqlx.SelectContext(ctx, q, &rows, query); err != nil {
		return nil, fmt.Errorf("store: columns: %w", err)
	}
	cols := make([]Column, 0, len(rows))
	for _, r := range rows {
		cols = append(cols, Column{Table: r.Table, Name: r.Name, Type: strings.ToLower(r.Type)})
	}
	return cols, nil
}

// tableSet returns the names of the database's tables.
func (db *DB) tableSet(ctx context.Context, q sqlx.QueryerContext) (map[string]bool, error) {
	cols, err := db.Columns(ctx, q)
	if err != nil {
		return nil, err
	}
	set := make(map[string]bool)
	for _, c := range cols {
		set[c.Table] = true
	}
	return set, nil
}
