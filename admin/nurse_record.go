package admin

import (
	"context"
	"fmt"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/percent"
	"github.com/chanjo-health/chanjo/store"
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
