package store

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/chanjo-health/chanjo/gsm"
)

// Audience says who a broadcast goes to. Inside a field any value matches;
// the fields combine with AND; an empty field does not narrow. The caller's
// Scope always narrows further.
type Audience struct {
	SubCounties []string `json:"sub_counties"`
	Facilities  []string `json:"facilities"` // facility codes
	Groups      []string `json:"groups"`     // group names
	Roles       []string `json:"roles"`      // nurse | mentor
}

// Scan reads an audience stored as JSON.
func (a *Audience) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case string:
		b = []byte(v)
	case []byte:
		b = v
	default:
		return fmt.Errorf("store: audience: cannot scan %T", src)
	}
	return json.Unmarshal(b, a)
}

// Value stores the audience as JSON.
func (a Audience) Value() (driver.Value, error) {
	b, err := json.Marshal(a)
	return string(b), err
}

// String is the audience for people: "sub-county Kibra; role nurse".
func (a Audience) String() string {
	var parts []string
	for _, f := range []struct {
		name string
		vals []string
	}{{"sub-county", a.SubCounties}, {"facility", a.Facilities}, {"group", a.Groups}, {"role", a.Roles}} {
		if len(f.vals) > 0 {
			parts = append(parts, f.name+" "+strings.Join(f.vals, ", "))
		}
	}
	if len(parts) == 0 {
		return "everyone"
	}
	return strings.Join(parts, "; ")
}

// clean trims the values and drops empty ones and repeats.
func (a Audience) clean() Audience {
	tidy := func(vs []string) []string {
		var out []string
		for _, v := range vs {
			if v = strings.TrimSpace(v); v != "" && !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
		return out
	}
	return Audience{tidy(a.SubCounties), tidy(a.Facilities), tidy(a.Groups), tidy(a.Roles)}
}

// InputError is bad input to a broadcast; Field names the input ("body",
// "audience.groups", ...) and Message says what is wrong, for people. It
// wraps ErrInvalid.
type InputError struct {
	Field, Message string
}

func (e *InputError) Error() string { return e.Field + ": " + e.Message }

// Unwrap makes errors.Is(err, ErrInvalid) hold.
func (e *InputError) Unwrap() error { return ErrInvalid }

// MaxUnconfirmedSegments is the longest broadcast, in SMS segments, that
// needs no explicit confirmation: every segment is paid for every nurse.
const MaxUnconfirmedSegments = 3

// MaxBroadcastSegments bounds a broadcast's body even when confirmed.
const MaxBroadcastSegments = 10

// sqlAudience selects the audience's live recipients inside the scope:
// active workers whose number has not opted out, of the sub-counties, the
// facilities, the roles and the groups the audience names (a list it leaves
// empty keeps everyone). Audience.binds gives its binds.
const sqlAudience = ` FROM workers w LEFT JOIN facilities f ON f.id = w.facility_id
WHERE (? OR f.sub_county IN (?))
  AND w.status = 'active' AND NOT w.opted_out AND NOT EXISTS (SELECT 1 FROM sms_optouts o WHERE o.phone = w.phone)
  AND (? OR f.sub_county IN (?))
  AND (? OR f.code IN (?))
  AND (? OR w.role IN (?))
  AND (? OR EXISTS (SELECT 1 FROM group_members gm JOIN groups g ON g.id = gm.group_id WHERE gm.worker_id = w.id AND g.name IN (?)))`

const (
	sqlAudienceCount      = `SELECT COUNT(*)` + sqlAudience
	sqlAudienceRecipients = `SELECT w.id, w.phone, COALESCE(f.sub_county, '') AS sub_county` + sqlAudience + ` ORDER BY w.id`
)

// binds returns the binds of sqlAudience for the audience inside the scope.
func (a Audience) binds(sc Scope) []any {
	admin, subCounties := sc.inArgs()
	args := []any{admin, subCounties}
	for _, list := range [][]string{a.SubCounties, a.Facilities, a.Roles, a.Groups} {
		every, vals := optionalIn(list)
		args = append(args, every, vals)
	}
	return args
}

// checkAudience refuses an audience naming what the scope does not hold or
// what does not exist, so that a typo is an error rather than zero recipients.
func (db *DB) checkAudience(ctx context.Context, q sqlx.QueryerContext, sc Scope, a Audience) error {
	for _, r := range a.Roles {
		if r != "nurse" && r != "mentor" {
			return &InputError{"audience.roles", fmt.Sprintf("%q is not a role: use nurse or mentor", r)}
		}
	}
	for _, s := range a.SubCounties {
		if !sc.Allows(s) {
			return &InputError{"audience.sub_counties", s + " is not one of your sub-counties"}
		}
	}
	admin, subCounties := sc.inArgs()
	if err := db.checkNames(ctx, q, a.Facilities, "facilities", "facility", sqlScopeFacilityCodes, admin, subCounties, a.Facilities); err != nil {
		return err
	}
	return db.checkNames(ctx, q, a.Groups, "groups", "group", sqlGroupNames, a.Groups)
}

// The names an audience may give: the codes of the scope's facilities and
// the groups' names, each of the listed.
const (
	sqlScopeFacilityCodes = `SELECT code FROM facilities WHERE (? OR sub_county IN (?)) AND code IN (?)`
	sqlGroupNames         = `SELECT name FROM groups WHERE name IN (?)`
)

// checkNames returns an *InputError for the first of want that query, a
// SELECT of the names among want (with its binds args), does not return.
func (db *DB) checkNames(ctx context.Context, q sqlx.QueryerContext, want []string, field, noun, query string, args ...any) error {
	if len(want) == 0 {
		return nil
	}
	var have []string
	if err := db.inSelect(ctx, q, &have, query, args...); err != nil {
		return err
	}
	for _, v := range want {
		if !slices.Contains(have, v) {
			return &InputError{"audience." + field, "no " + noun + " " + v + " in your sub-counties"}
		}
	}
	return nil
}

// Preview is what a broadcast would cost before it is sent.
type Preview struct {
	Recipients int
	// Text is the SMS exactly as each recipient gets it (BroadcastText);
	// Size is its length in segments.
	Text string
	Size gsm.Count
}

// broadcastPrefix starts every broadcast SMS, so that nurses know who
// writes (docs/api.md, "Broadcasts").
const broadcastPrefix = "Chanjo: "

// BroadcastText is a broadcast's body as its recipients read it: trimmed,
// after "Chanjo: " unless the body already starts so. It is what is sent,
// counted in segments and priced.
func BroadcastText(body string) string {
	body = strings.TrimSpace(body)
	if p := strings.TrimSpace(broadcastPrefix); len(body) >= len(p) && strings.EqualFold(body[:len(p)], p) {
		return body
	}
	return broadcastPrefix + body
}

// Price is the cost of one SMS segment (SMS_SEGMENT_COST).
type Price struct {
	PerSegment float64
	Currency   string
}

// Of returns the cost of sending segments segments to recipients numbers.
func (p Price) Of(recipients, segments int) float64 {
	return float64(recipients*segments) * p.PerSegment
}

// Format writes an amount in the price's currency: "KES 8.00".
func (p Price) Format(amount float64) string {
	return strings.TrimSpace(fmt.Sprintf("%s %.2f", p.Currency, amount))
}

// PreviewBroadcast counts the audience's live recipients inside the scope
// (active workers whose number has not opted out) and sizes the body.
func (db *DB) PreviewBroadcast(ctx context.Context, sc Scope, a Audience, body string) (Preview, error) {
	return previewBroadcast(ctx, db, db, sc, a.clean(), body)
}

func previewBroadcast(ctx context.Context, db *DB, q sqlx.QueryerContext, sc Scope, a Audience, body string) (Preview, error) {
	if err := db.checkAudience(ctx, q, sc, a); err != nil {
		return Preview{}, fmt.Errorf("store: preview broadcast: %w", err)
	}
	text := BroadcastText(body)
	p := Preview{Text: text, Size: gsm.Segments(text)}
	if err := db.inGet(ctx, q, &p.Recipients, sqlAudienceCount, a.binds(sc)...); err != nil {
		return Preview{}, fmt.Errorf("store: preview broadcast: %w", err)
	}
	return p, nil
}

// NewBroadcast is a broadcast to be sent.
type NewBroadcast struct {
	Audience Audience
	Body     string
	// Urgent lets the broadcast go out during quiet hours.
	Urgent bool
	// SendAt schedules the broadcast; zero means now.
	SendAt time.Time
	// ConfirmLong is the sender's explicit yes to a body of more than
	// MaxUnconfirmedSegments segments.
	ConfirmLong bool
}

// check returns an *InputError for a body or schedule the store refuses.
func (nb NewBroadcast) check(now time.Time) error {
	n := gsm.Segments(BroadcastText(nb.Body)).Segments
	switch {
	case nb.Body == "":
		return &InputError{"body", "write the message"}
	case n > MaxBroadcastSegments:
		return &InputError{"body", fmt.Sprintf("the message is %d SMS long; the most is %d", n, MaxBroadcastSegments)}
	case n > MaxUnconfirmedSegments && !nb.ConfirmLong:
		return &InputError{"confirm_long", fmt.Sprintf("the message is %d SMS long (more than %d): confirm that every nurse should get %d SMS", n, MaxUnconfirmedSegments, n)}
	case !nb.SendAt.IsZero() && nb.SendAt.Before(now.Add(-5*time.Minute)):
		return &InputError{"send_at", "the time is in the past"}
	}
	return nil
}

// ErrNoRecipients wraps the error for an audience with no live recipient.
var ErrNoRecipients = &InputError{"audience", "no nurse in this audience can receive SMS"}

// CreateBroadcast writes the broadcast, one outbox row per live recipient
// inside the scope and the audit log row in one transaction, and returns it
// with its counts. Bad input is an *InputError (wrapping ErrInvalid) and
// creates nothing.
func (db *DB) CreateBroadcast(ctx context.Context, sc Scope, userID int64, nb NewBroadcast) (Broadcast, error) {
	var id int64
	err := db.Tx(ctx, func(tx *Tx) error {
		var err error
		id, err = db.createBroadcast(ctx, tx, sc, userID, nb)
		return err
	})
	if err != nil {
		return Broadcast{}, err
	}
	return db.Broadcast(ctx, sc, id)
}

type recipient struct {
	ID        int64  `db:"id"`
	Phone     string `db:"phone"`
	SubCounty string `db:"sub_county"`
}

const sqlInsertBroadcast = `INSERT INTO broadcasts (user_id, audience, body, urgent, send_at, recipients, segments, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`

// createBroadcast is CreateBroadcast inside the caller's transaction.
func (db *DB) createBroadcast(ctx context.Context, tx *Tx, sc Scope, userID int64, nb NewBroadcast) (int64, error) {
	now := db.Now().UTC()
	nb.Body, nb.Audience = strings.TrimSpace(nb.Body), nb.Audience.clean()
	if err := nb.check(now); err != nil {
		return 0, fmt.Errorf("store: create broadcast: %w", err)
	}
	if err := db.checkAudience(ctx, tx, sc, nb.Audience); err != nil {
		return 0, fmt.Errorf("store: create broadcast: %w", err)
	}
	var rs []recipient
	if err := db.inSelect(ctx, tx, &rs, sqlAudienceRecipients, nb.Audience.binds(sc)...); err != nil {
		return 0, fmt.Errorf("store: create broadcast: %w", err)
	}
	if len(rs) == 0 {
		return 0, fmt.Errorf("store: create broadcast: %w", ErrNoRecipients)
	}
	sendAt := now
	if nb.SendAt.After(now) {
		sendAt = nb.SendAt.UTC()
	}
	text := BroadcastText(nb.Body)
	segs := gsm.Segments(text).Segments
	var id int64
	err := tx.GetContext(ctx, &id, db.Rebind(sqlInsertBroadcast), nullID(userID), nb.Audience, nb.Body, nb.Urgent, sendAt, len(rs), segs, now)
	if err != nil {
		return 0, fmt.Errorf("store: create broadcast: %w", err)
	}
	msgs := make([]Outgoing, len(rs))
	for i, r := range rs {
		msgs[i] = Outgoing{DedupeKey: fmt.Sprintf("broadcast:%d:%d", id, r.ID), Kind: KindBroadcast, Phone: r.Phone,
			SubCounty: r.SubCounty, Body: text, WorkerID: r.ID, BroadcastID: id, Urgent: nb.Urgent, NotBefore: sendAt}
	}
	if _, err := db.Enqueue(ctx, tx, msgs...); err != nil {
		return 0, fmt.Errorf("store: create broadcast: %w", err)
	}
	detail := fmt.Sprintf("%d recipients; %d segments; %s; urgent %t; send at %s", len(rs), segs, nb.Audience, nb.Urgent, sendAt.Format(time.RFC3339))
	if err := db.Audit(ctx, tx, userID, "broadcast.create", fmt.Sprintf("broadcast:%d", id), detail); err != nil {
		return 0, err
	}
	return id, nil
}
