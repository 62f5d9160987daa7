package lessons

import (
	"slices"
	"time"
)

// Progress is how far a nurse got in one lesson.
type Progress struct {
	Page int       // the screen to resume at (see PageScreen)
	Done bool      // she reached the end of the lesson
	Seen time.Time // when she last read it
}

// NextLesson chooses the lesson to offer a nurse under "Lessons": the
// unfinished lesson she read last, at progress[id].Page; else the first
// lesson not done of her weakest topic by quiz results (a topic without
// results counts as 0 %, ties go by topic order), skipping topics whose
// lessons are all done; else "" when she has done them all. progress is
// keyed by lesson id, quiz by topic id.
func (p *Pack) NextLesson(progress map[string]Progress, quiz map[string]Result) string {
	if id := p.resume(progress); id != "" {
		return id
	}
	for _, t := range p.weakestFirst(quiz) {
		for _, l := range p.LessonsOf(t.ID) {
			if !progress[l.ID].Done {
				return l.ID
			}
		}
	}
	return ""
}

// resume returns the unfinished lesson of the pack read last, or "".
func (p *Pack) resume(progress map[string]Progress) string {
	var id string
	var last time.Time
	for _, l := range p.Lessons {
		pr, ok := progress[l.ID]
		if ok && !pr.Done && (id == "" || pr.Seen.After(last)) {
			id, last = l.ID, pr.Seen
		}
	}
	return id
}

// weakestFirst returns the topics from the lowest quiz score up, stable in
// topic order.
func (p *Pack) weakestFirst(quiz map[string]Result) []Topic {
	ts := slices.Clone(p.Topics)
	slices.SortStableFunc(ts, func(a, b Topic) int {
		switch {
		case quiz[a.ID].less(quiz[b.ID]):
			return -1
		case quiz[b.ID].less(quiz[a.ID]):
			return 1
		}
		return 0
	})
	return ts
}

// TopicComplete reports whether a nurse has completed topic: every lesson of
// it done, and best (her best quiz on it) at least PassPercent.
func (p *Pack) TopicComplete(topic string, progress map[string]Progress, best Result) bool {
	ls := p.LessonsOf(topic)
	if len(ls) == 0 || !best.Passed() {
		return false
	}
	for _, l := range ls {
		if !progress[l.ID].Done {
			return false
		}
	}
	return true
}
