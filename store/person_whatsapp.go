package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/jmoiron/sqlx"
)

// A raw WhatsApp webhook body names a person by her number as Meta writes it
// (digits, no "+") in these fields: a message's sender, a contact's id, a
// status's recipient.
var waNumberFields = []string{"from", "wa_id", "recipient_id"}

// waKeptFields are what an erased event keeps besides its number fields:
// enough to deduplicate and count it, nothing she wrote or Meta said about
// her.
var waKeptFields = map[string]bool{"id": true, "timestamp": true, "type": true, "status": true}

// sqlWhatsAppInboxNaming finds the raw webhook bodies that name her: the ones
// her stored messages came in, and any other (statuses of messages to her,
// bodies not yet applied) that holds her number. The body is bytes in both
// dialects, so the number is searched as bytes.
func sqlWhatsAppInboxNaming(d Dialect) string {
	contains := `instr(body, :waidBytes) > 0`
	if d == Postgres {
		contains = `position(:waidBytes IN body) > 0`
	}
	return `id IN (SELECT inbox_id FROM whatsapp_messages WHERE phone = :phone) OR ` + contains
}

const sqlUpdateWhatsAppInboxBody = `UPDATE whatsapp_inbox SET body = ? WHERE id = ?`

// eraseWhatsAppInbox rewrites every raw webhook body that names the person
// with WhatsApp id waid: each event of hers keeps only its id, time, type
// and status, with anon in place of her number. Other people's events in the
// same batch stay as Meta sent them, so a body not yet applied still
// applies for them.
func (db *DB) eraseWhatsAppInbox(ctx context.Context, tx *Tx, args map[string]any, waid, anon string) error {
	q, a, err := sqlx.Named(sqlWhatsAppInboxNaming(db.Dialect), args)
	if err != nil {
		return fmt.Errorf("store: erase whatsapp inbox: %w", err)
	}
	var hooks []WhatsAppWebhook
	if err := tx.SelectContext(ctx, &hooks, db.Rebind(`SELECT id, body FROM whatsapp_inbox WHERE `+q), a...); err != nil {
		return fmt.Errorf("store: erase whatsapp inbox: %w", err)
	}
	for _, h := range hooks {
		body, err := eraseWhatsAppBody(h.Body, waid, anon)
		if err != nil {
			return fmt.Errorf("store: erase whatsapp inbox %d: %w", h.ID, err)
		}
		if _, err := tx.ExecContext(ctx, db.Rebind(sqlUpdateWhatsAppInboxBody), body, h.ID); err != nil {
			return fmt.Errorf("store: erase whatsapp inbox: %w", err)
		}
	}
	return nil
}

// eraseWhatsAppBody returns the webhook body with every object that names
// waid cut down to waKeptFields and her number replaced by anon. A body
// that is not JSON (Meta signed it, but it could not be read) cannot be
// cut apart and is emptied.
func eraseWhatsAppBody(body []byte, waid, anon string) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return []byte("{}"), nil
	}
	return json.Marshal(eraseWhatsAppValue(v, waid, anon))
}

func eraseWhatsAppValue(v any, waid, anon string) any {
	switch x := v.(type) {
	case []any:
		for i := range x {
			x[i] = eraseWhatsAppValue(x[i], waid, anon)
		}
	case map[string]any:
		if namesWhatsApp(x, waid) {
			for k := range x {
				if !waKeptFields[k] && !slices.Contains(waNumberFields, k) {
					delete(x, k)
				}
			}
			for _, f := range waNumberFields {
				if _, ok := x[f]; ok {
					x[f] = anon
				}
			}
			return x
		}
		for k := range x {
			x[k] = eraseWhatsAppValue(x[k], waid, anon)
		}
	}
	return v
}

func namesWhatsApp(m map[string]any, waid string) bool {
	for _, f := range waNumberFields {
		if s, ok := m[f].(string); ok && s == waid {
			return true
		}
	}
	return false
}

// waID is the number p (+254…) as WhatsApp writes it.
func waID(p string) string {
	return strings.TrimPrefix(p, "+")
}
