package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Window is when an assessment form is open: from Opens, up to but not
// including Closes.
type Window struct {
	Form   string    `db:"form"`
	Opens  time.Time `db:"opens_at"`
	Closes time.Time `db:"closes_at"`
}

// ErrBadWindow is returned for a window that closes before it opens.
var ErrBadWindow = errors.New("the window closes before it opens")

const sqlOpenAssessment = `INSERT INTO assessment_windows (form, opens_at, closes_at, updated_at) VALUES (?, ?, ?, ?)
ON CONFLICT (form) DO UPDATE SET opens_at = excluded.opens_at, closes_at = excluded.closes_at, updated_at = excluded.updated_at`

// Windows are exclusive: every other form's window ends where the new one
// begins (a window that already ended keeps its end).
const sqlCloseOthers = `UPDATE assessment_windows
SET closes_at = CASE WHEN closes_at > ? THEN ? ELSE closes_at END, updated_at = ? WHERE form <> ?`

// OpenAssessment sets the window of an assessment form (baseline, midline or
// endline) to [from, to), replacing any earlier window of the form, and
// closes the other forms' windows at from: one form is open at a time.
func (db *DB) OpenAssessment(ctx context.Context, form string, from, to time.Time) error {
	if err := checkForm(form, false); err != nil {
		return fmt.Errorf("store: open assessment: %w", err)
	}
	if !to.After(from) {
		return fmt.Errorf("store: open assessment %s: %w", form, ErrBadWindow)
	}
	from, to, now := from.UTC(), to.UTC(), db.Now().UTC()
	err := db.Tx(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, db.Rebind(sqlCloseOthers), from, from, now, form); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, db.Rebind(sqlOpenAssessment), form, from, to, now)
		return err
	})
	db.windows.forget()
	if err != nil {
		return fmt.Errorf("store: open assessment %s: %w", form, err)
	}
	return nil
}

// A window that already closed keeps its closing time.
const sqlCloseAssessment = `UPDATE assessment_windows
SET closes_at = CASE WHEN closes_at > ? THEN ? ELSE closes_at END, updated_at = ? WHERE form = ?`

const sqlWindow = `SELECT form, opens_at, closes_at FROM assessment_windows WHERE form = ?`

// CloseAssessment closes the window of an assessment form now and returns
// it; ErrNotFound when the form was never opened.
func (db *DB) CloseAssessment(ctx context.Context, form string) (Window, error) {
	if err := checkForm(form, false); err != nil {
		return Window{}, fmt.Errorf("store: close assessment: %w", err)
	}
	now := db.Now().UTC()
	var w Window
	err := db.Tx(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, db.Rebind(sqlCloseAssessment), now, now, now, form); err != nil {
			return err
		}
		return tx.GetContext(ctx, &w, db.Rebind(sqlWindow), form)
	})
	db.windows.forget()
	if errors.Is(err, sql.ErrNoRows) {
		return Window{}, fmt.Errorf("store: close assessment %s: %w", form, ErrNotFound)
	}
	if err != nil {
		return Window{}, fmt.Errorf("store: close assessment %s: %w", form, err)
	}
	return w.utc(), nil
}

// windowsFresh is how long OpenAssessments answers from the windows it read
// last. The quiz menu asks at every quiz started: on PostgreSQL one
// statement in four of a practice quiz. A window opened or closed on
// another instance reaches this one's menus that much later; this
// instance's own changes at once (forget).
const windowsFresh = 5 * time.Second

// windowsCache is every form's window as read last, and until when it is
// used: wall-clock time, not DB.Now, which tests move.
type windowsCache struct {
	mu    sync.Mutex
	ws    []Window
	until time.Time
}

// forget makes the next read go to the database.
func (c *windowsCache) forget() {
	c.mu.Lock()
	c.until = time.Time{}
	c.mu.Unlock()
}

// OpenAssessments returns the windows open at now, the earliest opened first.
func (db *DB) OpenAssessments(ctx context.Context, now time.Time) ([]Window, error) {
	c := db.windows
	c.mu.Lock()
	defer c.mu.Unlock()
	if time.Now().After(c.until) {
		ws, err := db.AssessmentWindows(ctx)
		if err != nil {
			return nil, fmt.Errorf("store: open assessments: %w", err)
		}
		c.ws, c.until = ws, time.Now().Add(windowsFresh)
	}
	var open []Window
	for _, w := range c.ws {
		if !w.Opens.After(now) && w.Closes.After(now) {
			open = append(open, w)
		}
	}
	return open, nil
}

func (w Window) utc() Window {
	w.Opens, w.Closes = w.Opens.UTC(), w.Closes.UTC()
	return w
}

const sqlAssessmentWindows = `SELECT form, opens_at, closes_at FROM assessment_windows ORDER BY opens_at, form`

// AssessmentWindows returns every form's window, open or not, the earliest
// opened first; a form never opened has none.
func (db *DB) AssessmentWindows(ctx context.Context) ([]Window, error) {
	var ws []Window
	if err := db.SelectContext(ctx, &ws, sqlAssessmentWindows); err != nil {
		return nil, fmt.Errorf("store: assessment windows: %w", err)
	}
	for i := range ws {
		ws[i] = ws[i].utc()
	}
	return ws, nil
}

// The states of a window at a moment, for people: the CLI and the console
// say what is open.
const (
	WindowOpen      = "open"
	WindowScheduled = "scheduled"
	WindowClosed    = "closed"
	// WindowNever is a window cut before it opened: another form was opened.
	WindowNever = "never open"
)

// State is the window's state at now.
func (w Window) State(now time.Time) string {
	switch {
	case !w.Closes.After(w.Opens):
		return WindowNever
	case now.Before(w.Opens):
		return WindowScheduled
	case now.Before(w.Closes):
		return WindowOpen
	}
	return WindowClosed
}
