package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// PageMark is a lesson screen a nurse reached: what the write-behind batcher
// of the USSD side saves.
type PageMark struct {
	WorkerID int64
	Lesson   string
	Page     int       // the screen to resume at
	Done     bool      // she reached the end of the lesson
	At       time.Time // when she saw it; zero means now
}

// LessonState is how far a nurse got in one lesson. Its fields are those of
// lessons.Progress, so the caller converts with lessons.Progress(state).
type LessonState struct {
	Page int
	Done bool
	Seen time.Time
}

// pageChunk is the number of rows per INSERT of SaveLessonPages: 5 binds a
// row stays far below the bind limits of both dialects.
const pageChunk = 200

const sqlSavePagesHead = `INSERT INTO lesson_progress (worker_id, lesson_id, page, completed_at, updated_at) VALUES `

// A lesson once done stays done, and keeps the time it was first finished.
// A mark older than the row's (held through an outage, written by another
// instance after a newer one) does not move the page back.
const sqlSavePagesTail = ` ON CONFLICT (worker_id, lesson_id) DO UPDATE SET
page = CASE WHEN excluded.updated_at >= lesson_progress.updated_at THEN excluded.page ELSE lesson_progress.page END,
completed_at = COALESCE(lesson_progress.completed_at, excluded.completed_at),
updated_at = CASE WHEN excluded.updated_at >= lesson_progress.updated_at THEN excluded.updated_at ELSE lesson_progress.updated_at END`

// SaveLessonPages saves a batch of page marks in one transaction. When the
// batch holds several marks of one lesson, the last one counts, done if any
// of them is.
func (db *DB) SaveLessonPages(ctx context.Context, marks []PageMark) error {
	rows := lastMarks(marks, db.Now())
	err := db.Tx(ctx, func(tx *Tx) error {
		for start := 0; start < len(rows); start += pageChunk {
			chunk := rows[start:min(start+pageChunk, len(rows))]
			args := make([]any, 0, 5*len(chunk))
			for _, m := range chunk {
				var completed any
				if m.Done {
					completed = m.At
				}
				args = append(args, m.WorkerID, m.Lesson, m.Page, completed, m.At)
			}
			query := sqlSavePagesHead + rowBinds(len(chunk), 5) + sqlSavePagesTail
			if _, err := tx.ExecContext(ctx, db.Rebind(query), args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: save lesson pages: %w", err)
	}
	return nil
}

// lastMarks keeps one mark per worker and lesson, since one INSERT may not
// update a row twice, with times in UTC.
func lastMarks(marks []PageMark, now time.Time) []PageMark {
	type key struct {
		worker int64
		lesson string
	}
	at := map[key]int{}
	var rows []PageMark
	for _, m := range marks {
		if m.At.IsZero() {
			m.At = now
		}
		m.At = m.At.UTC()
		k := key{m.WorkerID, m.Lesson}
		if i, seen := at[k]; seen {
			m.Done = m.Done || rows[i].Done
			rows[i] = m
			continue
		}
		at[k] = len(rows)
		rows = append(rows, m)
	}
	return rows
}

const sqlLessonProgress = `SELECT lesson_id, page, completed_at, updated_at FROM lesson_progress WHERE worker_id = ?`

// LessonProgress returns the nurse's progress keyed by lesson id.
func (db *DB) LessonProgress(ctx context.Context, workerID int64) (map[string]LessonState, error) {
	var rows []struct {
		Lesson    string       `db:"lesson_id"`
		Page      int          `db:"page"`
		Completed sql.NullTime `db:"completed_at"`
		Updated   time.Time    `db:"updated_at"`
	}
	if err := db.SelectContext(ctx, &rows, db.Rebind(sqlLessonProgress), workerID); err != nil {
		return nil, fmt.Errorf("store: lesson progress: %w", err)
	}
	progress := make(map[string]LessonState, len(rows))
	for _, r := range rows {
		progress[r.Lesson] = LessonState{Page: r.Page, Done: r.Completed.Valid, Seen: r.Updated.UTC()}
	}
	return progress, nil
}

const sqlCompleteTopic = `INSERT INTO topic_completions (worker_id, topic, completed_at) VALUES (?, ?, ?)
ON CONFLICT (worker_id, topic) DO NOTHING`

// TopicCompletion is a nurse's completion of a topic: her certificate's code
// (NewCertificateCode), when, and the SMS that tells her, already worded.
type TopicCompletion struct {
	WorkerID int64
	Topic    string
	Code     string
	At       time.Time
	SMS      string
}

// CompleteTopic records that the nurse completed the topic, issues her
// certificate and, in the same transaction, queues c.SMS, so that she gets
// it once however often the completion is reported. It reports whether
// this call recorded the completion. The SMS is a nudge: it honours her
// opt-out and waits out quiet hours.
func (db *DB) CompleteTopic(ctx context.Context, c TopicCompletion) (bool, error) {
	var fresh bool
	err := db.Tx(ctx, func(tx *Tx) (err error) {
		fresh, err = db.completeTopic(ctx, tx, c)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("store: complete topic %s: %w", c.Topic, err)
	}
	return fresh, nil
}

// completeTopic is CompleteTopic in tx, which EndAttempt shares.
func (db *DB) completeTopic(ctx context.Context, tx *Tx, c TopicCompletion) (bool, error) {
	workerID, topic, now := c.WorkerID, c.Topic, c.At.UTC()
	res, err := tx.ExecContext(ctx, db.Rebind(sqlCompleteTopic), workerID, topic, now)
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	var phone string
	if err := tx.GetContext(ctx, &phone, db.Rebind(`SELECT phone FROM workers WHERE id = ?`), workerID); err != nil {
		return false, err
	}
	if err := db.issueCertificate(ctx, tx, workerID, topic, c.Code, now); err != nil {
		return false, err
	}
	_, err = db.Enqueue(ctx, tx, Outgoing{DedupeKey: fmt.Sprintf("topic-complete:%d:%s", workerID, topic),
		Kind: KindNudge, Phone: phone, Body: c.SMS, WorkerID: workerID})
	return err == nil, err
}

const sqlCompletedTopics = `SELECT topic FROM topic_completions WHERE worker_id = ? ORDER BY completed_at, topic`

// Summary is what "My progress" shows a nurse, in one read.
type Summary struct {
	Lessons   map[string]LessonState // by lesson id
	Quiz      QuizResults
	Completed []string     // topics completed, in the order she completed them
	NextVisit sql.NullTime // her next scheduled mentorship visit, as mentee or mentor
}

const sqlNextVisit = `SELECT scheduled_at FROM visits
WHERE (mentee_id = ? OR mentor_id = ?) AND status = 'scheduled' AND scheduled_at >= ?
ORDER BY scheduled_at LIMIT 1`

// ProgressSummary returns the nurse's lessons, quizzes, completed topics and
// next visit.
func (db *DB) ProgressSummary(ctx context.Context, workerID int64) (Summary, error) {
	var s Summary
	var err error
	if s.Lessons, err = db.LessonProgress(ctx, workerID); err != nil {
		return Summary{}, err
	}
	if s.Quiz, err = db.QuizResults(ctx, workerID); err != nil {
		return Summary{}, err
	}
	if err := db.SelectContext(ctx, &s.Completed, db.Rebind(sqlCompletedTopics), workerID); err != nil {
		return Summary{}, fmt.Errorf("store: progress summary: %w", err)
	}
	err = db.GetContext(ctx, &s.NextVisit, db.Rebind(sqlNextVisit), workerID, workerID, db.Now().UTC())
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Summary{}, fmt.Errorf("store: progress summary: next visit: %w", err)
	}
	s.NextVisit.Time = s.NextVisit.Time.UTC()
	return s, nil
}
