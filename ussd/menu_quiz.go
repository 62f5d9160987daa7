package ussd

import (
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/percent"
	"github.com/chanjo-health/chanjo/store"
)

// The states of "2 Quiz": the menu (StQuiz) lists the topics to practise
// and the assessments open now; a question; the explanation of the answer
// (practice only); the score; the screen of an assessment already taken.
// The quiz under way is Work.Quiz.
const (
	StQuizQuestion State = "qz.q"     // N: question index
	StQuizExplain  State = "qz.x"     // N: question index
	StQuizScore    State = "qz.score" // the score of Work.Quiz
	StQuizTaken    State = "qz.taken" // Key: the form taken
	StQuizRefused  State = "qz.no"    // Key: the form refused
)

// practiceLen is the number of questions of a practice quiz.
const practiceLen = 5

var quizTree = []Node{
	{State: StQuiz, Show: showQuiz},
	{State: StQuizQuestion, Show: showQuestion, Input: questionInput},
	{State: StQuizExplain, Show: showExplain, Input: explainInput},
	{State: StQuizScore, Show: showScore},
	{State: StQuizTaken, Show: showTaken},
	{State: StQuizRefused, Show: showRefused},
}

func showQuiz(c *Ctx) (Screen, error) {
	forms, err := openForms(c)
	if err != nil {
		return Screen{}, err
	}
	var items []Item
	for _, t := range c.Pack().Topics {
		items = append(items, Item{Label: t.Title.In(c.Lang()), Do: practise(t.ID)})
	}
	for _, f := range forms {
		items = append(items, Item{Label: formName(c, f), Do: assess(f)})
	}
	return Menu(c.Say("quiz.title"), items...), nil
}

// openForms returns the assessments open now, read once per session.
func openForms(c *Ctx) ([]lessons.Form, error) {
	if c.S.Open == nil {
		ws, err := storeOf[learningStore](c).OpenAssessments(c, c.Now())
		if err != nil {
			return nil, err
		}
		open := &OpenForms{}
		for _, w := range ws {
			open.Forms = append(open.Forms, lessons.Form(w.Form))
		}
		c.S.Open = open
	}
	return c.S.Open.Forms, nil
}

// practise starts a practice quiz on topic, or takes up the one she left
// midway at its first question without an answer.
func practise(topic string) func(c *Ctx) (Move, error) {
	return func(c *Ctx) (Move, error) {
		if q := c.S.Quiz; q != nil && q.Form == lessons.Practice && q.Topic == topic {
			if n := q.next(); n < len(q.Chosen) {
				return Go(Frame{State: StQuizQuestion, N: n}), nil
			}
		}
		seed := seedFor(c, topic)
		id, missed, err := storeOf[learningStore](c).StartPractice(c, c.S.Nurse.ID, topic, seed)
		if err != nil {
			return Move{}, err
		}
		q := &Quiz{Attempt: id, Seed: seed, Form: lessons.Practice, Topic: topic}
		for _, x := range pickPractice(c.Pack().Practice(topic), missed, uint64(seed), practiceLen) {
			q.Questions = append(q.Questions, x.ID)
			q.Chosen = append(q.Chosen, -1)
		}
		c.S.Quiz = q
		return Go(Frame{State: StQuizQuestion}), nil
	}
}

// assess starts an assessment form (startAssessment).
func assess(form lessons.Form) func(c *Ctx) (Move, error) {
	return func(c *Ctx) (Move, error) { return startAssessment(c, form) }
}

// pickPractice returns n questions of bank: those missed (ids, oldest miss
// first), then the others in an order drawn from seed.
func pickPractice(bank []lessons.Question, missed []string, seed uint64, n int) []lessons.Question {
	var picked, rest []lessons.Question
	for _, id := range missed {
		if i := slices.IndexFunc(bank, func(q lessons.Question) bool { return q.ID == id }); i >= 0 && len(picked) < n {
			picked = append(picked, bank[i])
		}
	}
	for _, q := range bank {
		if !slices.Contains(missed, q.ID) {
			rest = append(rest, q)
		}
	}
	rng := rand.New(rand.NewPCG(seed, uint64(len(bank))))
	rng.Shuffle(len(rest), func(i, j int) { rest[i], rest[j] = rest[j], rest[i] })
	return append(picked, rest[:min(len(rest), n-len(picked))]...)
}

// seedFor returns the seed of a new attempt: drawn from the nurse, the
// clock and what she starts, so that a test clock gives the same quiz.
func seedFor(c *Ctx, what string) int64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d|%d|%s", c.S.Nurse.ID, c.Now().UnixNano(), what)
	return int64(h.Sum64() >> 1)
}

// startAssessment starts an assessment form, or resumes it at its first
// question without an answer; a form she finished is not taken again, and
// a later form is not started before the one before it (docs/domain.md
// "Assessment": the report compares the same nurses).
func startAssessment(c *Ctx, form lessons.Form) (Move, error) {
	st := storeOf[learningStore](c)
	a, err := st.AssessmentAttempt(c, c.S.Nurse.ID, string(form))
	if errors.Is(err, store.ErrNotFound) {
		before, err := st.AssessmentBlocker(c, c.S.Nurse.ID, string(form))
		if err != nil {
			return Move{}, err
		}
		if before != "" {
			return Go(Frame{State: StQuizRefused, Key: string(form)}), nil
		}
	}
	if errors.Is(err, store.ErrNotFound) {
		seed := seedFor(c, string(form))
		var id int64
		id, err = st.StartAttempt(c, c.S.Nurse.ID, string(form), "", seed)
		a = store.Attempt{ID: id, Seed: seed}
		if errors.Is(err, store.ErrAlreadyTaken) {
			a, err = st.AssessmentAttempt(c, c.S.Nurse.ID, string(form))
		}
	}
	if err != nil {
		return Move{}, err
	}
	if a.Finished.Valid {
		return Go(Frame{State: StQuizTaken, Key: string(form)}), nil
	}
	q := &Quiz{Attempt: a.ID, Seed: a.Seed, Form: form}
	for _, x := range c.Pack().Assessment(form) {
		chosen, ok := a.Answers[x.ID]
		if !ok {
			chosen = -1
		}
		q.Chosen = append(q.Chosen, chosen)
	}
	c.S.Quiz = q
	if n := q.next(); n < len(q.Chosen) {
		return Go(Frame{State: StQuizQuestion, N: n}), nil
	}
	return Go(Frame{State: StQuizScore}), finishQuiz(c, nil)
}

func showQuestion(c *Ctx) (Screen, error) {
	q, qs, n, ok := quizAt(c)
	if !ok {
		return Menu(c.Say("quiz.ended")), nil
	}
	x := qs[n]
	// The options are items without an action: their number goes to
	// questionInput, which records it. The screen reads as QuestionScreen,
	// the text the lint measured.
	head, options := c.Pack().QuestionParts(x, lessons.Shuffle(x, uint64(q.Seed)), n+1, len(qs), c.Lang())
	items := make([]Item, len(options))
	for i, o := range options {
		items[i] = Item{Label: o}
	}
	return Menu(head, items...), nil
}

// questionInput records the answer before anything else is shown. The
// options are the screen's items (Pack.QuestionParts), shuffled per attempt: lessons.Pick says which one a
// number is (the screen's items carry no action). Practice shows the explanation of the option chosen; an
// assessment goes on to the next question without telling right from
// wrong, and gives the score at the end (see the package doc).
func questionInput(c *Ctx, in string) (Move, error) {
	q, qs, n, ok := quizAt(c)
	if !ok {
		return c.Invalid(), nil
	}
	x := qs[n]
	chosen, ok := lessons.Pick(lessons.Shuffle(x, uint64(q.Seed)), in)
	if !ok {
		return c.Invalid(), nil
	}
	a := store.Answer{Attempt: q.Attempt, Question: x.ID, Topic: x.Topic, Chosen: chosen, Correct: chosen == x.Answer()}
	was := q.Chosen[n]
	q.Chosen[n] = chosen
	if q.next() < len(q.Chosen) {
		err := storeOf[learningStore](c).RecordAnswer(c, a.Attempt, a.Question, a.Topic, a.Chosen, a.Correct)
		if err != nil {
			q.Chosen[n] = was
			return Move{}, err
		}
	} else if err := finishQuiz(c, &a); err != nil {
		q.Chosen[n] = was
		return Move{}, err
	}
	if q.Form == lessons.Practice {
		return Replace(Frame{State: StQuizExplain, N: n}), nil
	}
	return nextQuestion(c, n), nil
}

func showExplain(c *Ctx) (Screen, error) {
	q, qs, n, ok := quizAt(c)
	if !ok || q.Chosen[n] < 0 {
		return Menu(c.Say("quiz.ended")), nil
	}
	return Page(c.Pack().ExplainScreen(qs[n], q.Chosen[n], c.Lang())), nil
}

func explainInput(c *Ctx, in string) (Move, error) {
	_, _, n, ok := quizAt(c)
	if in != "1" || !ok {
		return c.Invalid(), nil
	}
	return nextQuestion(c, n), nil
}

// nextQuestion moves on from question n: to the next question, to one left
// without an answer, or to the score (the quiz was finished by its last
// answer, finishQuiz), saying that it completed the topic when it did.
func nextQuestion(c *Ctx, n int) Move {
	q := c.S.Quiz
	if n+1 < len(q.Chosen) {
		return Replace(Frame{State: StQuizQuestion, N: n + 1})
	}
	if next := q.next(); next < len(q.Chosen) {
		return Replace(Frame{State: StQuizQuestion, N: next})
	}
	notice := ""
	if t, won := c.Pack().Topic(c.S.Won); won && q.Form == lessons.Practice {
		notice = c.Say("quiz.topic_won", "topic", t.Title.In(c.Lang()))
	}
	c.S.Won = ""
	return Replace(Frame{State: StQuizScore}).Say(notice)
}

// finishQuiz records the score of Work.Quiz with its last answer (nil when
// every answer is recorded) and, for practice, the topic's completion when
// the score completes it, in one commit (store.EndAttempt); notes the score
// in the learner; and keeps the topic won in Work.Won for the score screen.
func finishQuiz(c *Ctx, last *store.Answer) error {
	q := c.S.Quiz
	r := lessons.Score(q.questions(c.Pack()), q.Chosen)
	l, err := learnerOf(c)
	if err != nil {
		return err
	}
	end := store.QuizEnd{Attempt: q.Attempt, Last: last, Right: r.Right, Total: r.Total}
	if q.Form == lessons.Practice {
		l.Scored(q.Topic, r)
		end.Completion, err = completion(c, l, q.Topic)
		if err != nil {
			return err
		}
	} else {
		l.Assessed[q.Form] = r
	}
	won, err := storeOf[learningStore](c).EndAttempt(c, end)
	if err != nil {
		return err
	}
	if end.Completion != nil {
		l.complete(q.Topic)
	}
	if won {
		c.S.Won = q.Topic
	}
	keepLearner(c, l)
	return nil
}

func showScore(c *Ctx) (Screen, error) {
	q := c.S.Quiz
	if q == nil {
		return Menu(c.Say("quiz.ended")), nil
	}
	r := lessons.Score(q.questions(c.Pack()), q.Chosen)
	score := fmt.Sprintf("%d/%d (%d%%)", r.Right, r.Total, percent.Whole(r.Right, r.Total))
	switch {
	case q.Form != lessons.Practice:
		return Menu(c.Say("quiz.form_score", "form", formName(c, q.Form), "score", score)), nil
	case r.Right < r.Total:
		return Menu(c.Say("quiz.score_missed", "score", score)), nil
	}
	return Menu(c.Say("quiz.score_all", "score", score)), nil
}

// showTaken shows the score of an assessment she took already.
func showTaken(c *Ctx) (Screen, error) {
	form, ok := formAt(c)
	if !ok {
		return Menu(c.Say("quiz.ended")), nil
	}
	a, err := storeOf[learningStore](c).AssessmentAttempt(c, c.S.Nurse.ID, string(form))
	if err != nil {
		return Screen{}, err
	}
	return Menu(c.Say("quiz.taken", "form", strings.ToLower(formName(c, form)), "score", fmt.Sprintf("%d/%d", a.Score, a.Total))), nil
}

// showRefused says why a later assessment cannot start: she has not taken
// the one before, and only her supervisor can exempt her from it.
func showRefused(c *Ctx) (Screen, error) {
	form, ok := formAt(c)
	if !ok {
		return Menu(c.Say("quiz.ended")), nil
	}
	before, err := storeOf[learningStore](c).AssessmentBlocker(c, c.S.Nurse.ID, string(form))
	if err != nil {
		return Screen{}, err
	}
	return Menu(c.Say("quiz.refused", "form", strings.ToLower(formName(c, form)), "other", strings.ToLower(formName(c, lessons.Form(before))))), nil
}

// formAt returns the assessment form of the current frame, false for
// one the pack does not have.
func formAt(c *Ctx) (lessons.Form, bool) {
	f := lessons.Form(c.S.Top().Key)
	return f, slices.Contains(lessons.Assessments, f)
}

// formName names an assessment form for a menu line.
func formName(c *Ctx, f lessons.Form) string {
	switch f {
	case lessons.Baseline:
		return c.Say("quiz.baseline")
	case lessons.Midline:
		return c.Say("quiz.midline")
	case lessons.Endline:
		return c.Say("quiz.endline")
	}
	return c.Say("quiz.practice")
}

// questions returns the questions of q: a practice quiz's by their ids,
// an assessment's its form's in the pack.
func (q *Quiz) questions(p *lessons.Pack) []lessons.Question {
	if q.Form != lessons.Practice {
		return p.Assessment(q.Form)
	}
	qs := make([]lessons.Question, 0, len(q.Questions))
	for _, id := range q.Questions {
		if x, ok := p.Question(id); ok {
			qs = append(qs, x)
		}
	}
	return qs
}

// next returns the first question without an answer, len(Chosen) when
// every one has one.
func (q *Quiz) next() int {
	for i, c := range q.Chosen {
		if c < 0 {
			return i
		}
	}
	return len(q.Chosen)
}

// quizAt returns the quiz in the session, its questions and the question
// of the current frame; false when there is none (it ended, or the pack
// changed).
func quizAt(c *Ctx) (*Quiz, []lessons.Question, int, bool) {
	q, n := c.S.Quiz, c.S.Top().N
	if q == nil {
		return nil, nil, 0, false
	}
	qs := q.questions(c.Pack())
	return q, qs, n, n >= 0 && n < len(qs) && len(q.Chosen) == len(qs)
}
