package store

import (
	"context"
	"fmt"
	"time"
)

// WhatsApp forms of a settled row (outbox.wa_form): free-form inside her
// 24-hour window, or an approved template.
const (
	WAFree     = "free"
	WATemplate = "template"
)

// WhatsAppCost is how a WhatsApp row went and what Meta charges for it
// (whatsapp-api.md §4.4): Form is WAFree or WATemplate, Category the
// template's (marketing, utility, authentication), Cost the estimate in the
// SMS cost's currency (0: free, or no price set).
type WhatsAppCost struct {
	Form     string  `db:"wa_form"`
	Category string  `db:"wa_category"`
	Cost     float64 `db:"wa_cost"`
}

// sqlSettleWhatsApp records the form of a row the owner's lease holds. It
// sets none of the columns the SMS counters' triggers count.
const sqlSettleWhatsApp = `UPDATE outbox SET wa_form = ?, wa_category = ?, wa_cost = ?
WHERE id = ? AND channel = 'whatsapp' AND lease_owner = ?`

// SettleWhatsApp records how the WhatsApp row id, leased by owner, was sent,
// before its result is recorded (Finish).
func (db *DB) SettleWhatsApp(ctx context.Context, owner string, id int64, c WhatsAppCost) error {
	if _, err := db.ExecContext(ctx, db.Rebind(sqlSettleWhatsApp), c.Form, c.Category, c.Cost, id, owner); err != nil {
		return fmt.Errorf("store: settle whatsapp %d: %w", id, err)
	}
	return nil
}

// WhatsAppMonth is the month's WhatsApp messages sent: the free-form ones,
// and the templates by category with their estimated cost.
type WhatsAppMonth struct {
	Free      int
	Templates []WhatsAppCategory
}

// WhatsAppCategory counts the templates of one category and their cost.
type WhatsAppCategory struct {
	Category string  `db:"wa_category"`
	N        int     `db:"n"`
	Cost     float64 `db:"cost"`
}

// sqlWhatsAppMonth counts the settled WhatsApp rows created since ? inside
// the scope, along the partial index outbox_whatsapp_created.
const sqlWhatsAppMonth = `SELECT wa_form, wa_category, COUNT(*) AS n, COALESCE(SUM(wa_cost), 0) AS cost
FROM outbox WHERE channel = 'whatsapp' AND created_at >= ? AND wa_form <> '' AND (? OR sub_county IN (?))
GROUP BY wa_form, wa_category ORDER BY wa_form, wa_category`

// whatsAppMonth counts the WhatsApp messages created since monthStart inside
// the scope by how they went.
func (db *DB) whatsAppMonth(ctx context.Context, sc Scope, monthStart time.Time) (WhatsAppMonth, error) {
	admin, subCounties := sc.inArgs()
	var rows []struct {
		Form string `db:"wa_form"`
		WhatsAppCategory
	}
	if err := db.inSelect(ctx, db, &rows, sqlWhatsAppMonth, monthStart.UTC(), admin, subCounties); err != nil {
		return WhatsAppMonth{}, fmt.Errorf("store: dashboard whatsapp: %w", err)
	}
	var m WhatsAppMonth
	for _, r := range rows {
		if r.Form == WAFree {
			m.Free += r.N
		} else {
			m.Templates = append(m.Templates, r.WhatsAppCategory)
		}
	}
	return m, nil
}
