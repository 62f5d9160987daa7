package store

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/jmoiron/sqlx"
)

// Erasure keeps her rows where reports count them (lessons, quizzes,
// assessments, visits, SMS counts) but takes out what says who she was: her
// name and number become an anonymous id everywhere, and what she wrote or
// was written goes.
var sqlEraseOwn = []string{
	// Queued messages to her will never go: suppressed, which the counts see
	// as a status change like an opt-out's.
	`UPDATE outbox SET body = '',
	    status = CASE WHEN status = 'queued' THEN 'suppressed' ELSE status END,
	    failure_reason = CASE WHEN status = 'queued' THEN 'erased' ELSE failure_reason END
	 WHERE worker_id = :id OR phone = :phone`,
	`UPDATE inbound_sms SET body = '', link_id = '' WHERE worker_id = :id OR phone = :phone`,
	// What she wrote to her peer groups, and its copies to the members.
	`UPDATE outbox SET body = '' WHERE group_message_id IN (SELECT id FROM group_messages WHERE sender_id = :id)`,
	`UPDATE group_messages SET body = '' WHERE sender_id = :id`,
	// What she posted in her mentor circle's WhatsApp group from SMS.
	`UPDATE circle_posts SET body = '' WHERE sender_id = :id`,
	`UPDATE questions SET body = '', answer = '' WHERE worker_id = :id`,
	`UPDATE ussd_sessions SET input = '', error = '' WHERE phone = :phone`,
	`UPDATE whatsapp_messages SET body = '', reply_id = '' WHERE phone = :phone`,
	// Her latest answers are there only to ask her misses again: the
	// reports count her answers in quiz_answers, which are kept.
	`DELETE FROM practice_latest WHERE worker_id = :id`,
	`UPDATE reminders SET status = 'cancelled', updated_at = :now WHERE worker_id = :id AND status = 'scheduled'`,
	`UPDATE workers SET name = :anon, phone = :anon, opted_out = TRUE,
	    opted_out_at = COALESCE(opted_out_at, :now), updated_at = :now WHERE id = :id`,
}

// ErasePerson removes or anonymises every row that names the worker with the
// +254… number p (ErrNotFound when there is none): her worker row keeps its
// id, facility, role and status so every count is unchanged, but its name
// and number become an anonymous id (returned), which also replaces her
// name and number in every text column of every table (relayed messages,
// inbox payloads, audit rows). The erasure is audited under userID with her
// worker id only.
func (db *DB) ErasePerson(ctx context.Context, userID int64, p string) (string, error) {
	w, err := db.WorkerByPhone(ctx, p)
	if err != nil {
		return "", err
	}
	anon := fmt.Sprintf("erased-%d", w.ID)
	args := personArgs(w)
	args["anon"], args["now"] = anon, db.Now()
	err = db.Tx(ctx, func(tx *Tx) error {
		for _, stmt := range sqlEraseOwn {
			q, a, err := sqlx.Named(stmt, args)
			if err != nil {
				return fmt.Errorf("store: erase person: %w", err)
			}
			if _, err := tx.ExecContext(ctx, db.Rebind(q), a...); err != nil {
				return fmt.Errorf("store: erase person: %w", err)
			}
		}
		// The raw webhooks go before the messages applied from them lose
		// her number, by which the webhooks are found.
		if err := db.eraseWhatsAppInbox(ctx, tx, args, waID(w.Phone), anon); err != nil {
			return err
		}
		n, err := db.sweep(ctx, tx, newEraser(w.Name, w.Phone, anon))
		if err != nil {
			return err
		}
		return db.Audit(ctx, tx, userID, "person.erase", fmt.Sprintf("worker:%d", w.ID),
			fmt.Sprintf("name and number replaced by %s in %d values", anon, n))
	})
	if err != nil {
		return "", err
	}
	return anon, nil
}

// eraser finds a person's name and number in text.
type eraser struct {
	re     *regexp.Regexp
	likes  []string // lower-case LIKE patterns that take every value re may match
	anonID string
}

// newEraser matches her number in its three spellings and her name as the
// messages write it: whole, and shortened to its leading words as relayed
// questions show it (sms.shorten keeps the words that fit in 20
// characters, at least the first).
func newEraser(name, phone, anon string) eraser {
	digits := strings.TrimPrefix(phone, "+254")
	alts := []string{regexp.QuoteMeta(phone), `\b254` + digits + `\b`, `\b0` + digits + `\b`}
	likes := []string{"%" + digits + "%"}
	words := strings.Fields(name)
	for i := len(words); i >= 1; i-- {
		if i == 1 && len(words) > 1 && len(words[0])+1+len(words[1]) <= 20 {
			break // her first name alone is never what a message shows of her
		}
		part := strings.Join(words[:i], " ")
		if len(part) < 3 {
			continue
		}
		alts = append(alts, `\b`+regexp.QuoteMeta(part)+`\b`)
		likes = append(likes, "%"+escapeLike(strings.ToLower(part))+"%")
	}
	return eraser{re: regexp.MustCompile(`(?i)` + strings.Join(alts, "|")), likes: likes, anonID: anon}
}

// textType reports whether a column type (as the schema spells it) holds
// text.
func textType(t string) bool {
	return strings.Contains(t, "text") || strings.Contains(t, "char")
}

// sweep replaces e's matches in every text column of every table and
// returns how many distinct values changed. Rows are updated by value, so
// tables without a key are covered too.
func (db *DB) sweep(ctx context.Context, tx *Tx, e eraser) (int, error) {
	cols, err := db.Columns(ctx, tx)
	if err != nil {
		return 0, err
	}
	changed := 0
	for _, c := range cols {
		if !textType(c.Type) || c.Table == "schema_migrations" {
			continue
		}
		n, err := db.sweepColumn(ctx, tx, c, e)
		if err != nil {
			return 0, err
		}
		changed += n
	}
	return changed, nil
}

// sweepColumn replaces the person's name and number in the text column c.
// Its statements name the column and its table, which come from the
// schema (Columns), a closed set no user writes: identifiers cannot be
// bound, so they are quoted into the statement; the values are bound, one
// LIKE a pattern of e.
func (db *DB) sweepColumn(ctx context.Context, tx *Tx, c Column, e eraser) (int, error) {
	col, table := `"`+c.Name+`"`, `"`+c.Table+`"`
	conds := make([]string, len(e.likes))
	args := make([]any, len(e.likes))
	for i, l := range e.likes {
		conds[i] = `LOWER(` + col + `) LIKE ? ESCAPE '\'`
		args[i] = l
	}
	var values []string
	q := `SELECT DISTINCT ` + col + ` FROM ` + table + ` WHERE ` + strings.Join(conds, " OR ")
	if err := tx.SelectContext(ctx, &values, db.Rebind(q), args...); err != nil {
		return 0, fmt.Errorf("store: erase person: %s.%s: %w", c.Table, c.Name, err)
	}
	n := 0
	for _, v := range values {
		nv := e.re.ReplaceAllLiteralString(v, e.anonID)
		if nv == v {
			continue
		}
		upd := `UPDATE ` + table + ` SET ` + col + ` = ? WHERE ` + col + ` = ?`
		if _, err := tx.ExecContext(ctx, db.Rebind(upd), nv, v); err != nil {
			return 0, fmt.Errorf("store: erase person: %s.%s: %w", c.Table, c.Name, err)
		}
		n++
	}
	return n, nil
}
