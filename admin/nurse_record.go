package admin

import (
	"context"
	"fmt"
	"time"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/percent"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/whatsapp"
)

// topicProgress is a nurse's progress on one topic of the content pack.
type topicProgress struct {
	Title         string
	Done, Lessons int    // lessons completed, and in the topic
	Quizzes       int    // practice quizzes finished
	Best, Average string // their best and average scores, "" without one
}

// assessmentTaken is an assessment she finished.
type assessmentTaken struct {
	Form    string
	Percent string
}

// nurseProgress is her progress per topic of the pack and her assessment
// scores, baseline first.
type nurseProgress struct {
	Topics      []topicProgress
	Assessments []assessmentTaken
}

// scorePercent is a score as "7/10 (70%)".
func scorePercent(s store.Score) string {
	if s.Total == 0 {
		return ""
	}
	return fmt.Sprintf("%d/%d (%d%%)", s.Right, s.Total, percent.Whole(s.Right, s.Total))
}

// progressOf reads the worker's lessons and quizzes against the pack.
func (h *Console) progressOf(ctx context.Context, workerID int64) (nurseProgress, error) {
	pack := h.Pack
	if pack == nil {
		p, err := lessons.Default()
		if err != nil {
			return nurseProgress{}, fmt.Errorf("admin: nurse progress: %w", err)
		}
		pack = p
	}
	done, err := h.db.LessonProgress(ctx, workerID)
	if err != nil {
		return nurseProgress{}, err
	}
	quizzes, err := h.db.QuizResults(ctx, workerID)
	if err != nil {
		return nurseProgress{}, err
	}
	var out nurseProgress
	for _, t := range pack.Topics {
		p := topicProgress{Title: t.Title.In("en")}
		for _, l := range pack.Lessons {
			if l.Topic == t.ID {
				p.Lessons++
				if done[l.ID].Done {
					p.Done++
				}
			}
		}
		q := quizzes.Practice[t.ID]
		p.Quizzes, p.Best, p.Average = q.Attempts, scorePercent(q.Best), scorePercent(q.All)
		out.Topics = append(out.Topics, p)
	}
	for _, form := range []string{store.FormBaseline, store.FormMidline, store.FormEndline} {
		if s, ok := quizzes.Assessments[form]; ok {
			out.Assessments = append(out.Assessments, assessmentTaken{Form: form, Percent: scorePercent(s)})
		}
	}
	return out, nil
}

// nurseChannel is how messages reach her: the channel she chose and the one
// in effect, her WhatsApp opt-in, the last status of a message sent to her
// there, and her 24-hour window (free-form messages inside it, templates
// outside).
type nurseChannel struct {
	store.WorkerChannelState
	// LastStatus is the latest status of a WhatsApp message to her; HasStatus
	// false when none was sent.
	LastStatus store.WhatsAppStatus
	HasStatus  bool
	// LastIn is when she last wrote on WhatsApp, zero when never;
	// WindowUntil is when her window closes (in the past: closed).
	LastIn, WindowUntil time.Time
	WindowOpen          bool
}

// channelOf reads the worker's channel, opt-in, reachability and window.
func (h *Console) channelOf(ctx context.Context, workerID int64, phone string) (nurseChannel, error) {
	var out nurseChannel
	var err error
	if out.WorkerChannelState, err = h.db.WorkerChannel(ctx, workerID); err != nil {
		return out, err
	}
	if out.LastStatus, out.HasStatus, err = h.db.LastWhatsAppStatusTo(ctx, phone); err != nil {
		return out, err
	}
	rcp, err := h.db.WhatsAppRecipientOf(ctx, phone)
	if err != nil {
		return out, err
	}
	if !rcp.LastIn.IsZero() {
		out.LastIn, out.WindowUntil = rcp.LastIn, rcp.LastIn.Add(whatsapp.Window)
		out.WindowOpen = h.db.Now().Before(out.WindowUntil)
	}
	return out, nil
}
