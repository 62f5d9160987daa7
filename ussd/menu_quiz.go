package ussd

import (
	"errors"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/store"
)

// The states of "2 Quiz": the menu (StQuiz) lists the topics to practise
// and the assessments open now; a question; the explanation of the answer
// (practice only); the score; the screen of an assessment already taken.
const (
	StQuizQuestion State = "quiz.q"     // Arg: question index
	StQuizExplain  State = "quiz.x"     // Arg: question index
	StQuizScore    State = "quiz.score" // Arg: form ":" right ":" total
	StQuizTaken    State = "quiz.taken" // Arg: form ":" right ":" total
	StQuizRefused  State = "quiz.no"    // Arg: form ":" the form to take first
)

// practiceLen is the number of questions of a practice quiz.
const practiceLen = 5

// The session keeps the quiz under way: its attempt and seed, its form and
// topic, the question ids (practice only: an assessment's are the pack's),
// and the options chosen, one digit a question ("-" unanswered). Once per
// session it keeps the assessments open ("-": none).
const (
	varQuizAttempt   = "q.a"
	varQuizSeed      = "q.s"
	varQuizForm      = "q.f"
	varQuizTopic     = "q.t"
	varQuizQuestions = "q.q"
	varQuizChosen    = "q.c"
	varQuizOpen      = "q.o"
)

var quizTree = []Node{
	{State: StQuiz, Show: showQuiz, Input: quizInput},
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
	for _, t := range c.m.pack.Topics {
		items = append(items, Item{Label: t.Title.In(c.Lang())})
	}
	for _, f := range forms {
		items = append(items, Item{Label: formName(c, f)})
	}
	return Menu(c.T("Quiz: practise a topic", "Zoezi: jizoeze mada"), items...), nil
}

// quizInput starts what the nurse chose: a practice quiz, or an assessment.
func quizInput(c *Ctx, in string) (Move, error) {
	forms, err := openForms(c)
	if err != nil {
		return Move{}, err
	}
	n, err := strconv.Atoi(in)
	topics := c.m.pack.Topics
	switch {
	case err != nil || n < 1 || n > len(topics)+len(forms):
		return c.Invalid(), nil
	case n <= len(topics):
		return startPractice(c, topics[n-1].ID)
	}
	return startAssessment(c, forms[n-1-len(topics)])
}

// openForms returns the assessments open now, read once per session.
func openForms(c *Ctx) ([]lessons.Form, error) {
	v := c.S.Var(varQuizOpen)
	if v == "" {
		ws, err := c.Store().OpenAssessments(c, c.m.now())
		if err != nil {
			return nil, err
		}
		names := []string{"-"}
		for _, w := range ws {
			names = append(names, w.Form)
		}
		v = strings.Join(names, ",")
		c.S.SetVar(varQuizOpen, v)
	}
	var forms []lessons.Form
	for _, f := range strings.Split(v, ",")[1:] {
		forms = append(forms, lessons.Form(f))
	}
	return forms, nil
}

// startPractice starts a practice quiz on topic: the questions she missed
// the last time first, then others drawn at random.
func startPractice(c *Ctx, topic string) (Move, error) {
	missed, err := c.Store().MissedQuestions(c, c.S.Nurse.ID, topic)
	if err != nil {
		return Move{}, err
	}
	seed := seedFor(c, topic)
	id, err := c.Store().StartAttempt(c, c.S.Nurse.ID, store.FormPractice, topic, seed)
	if err != nil {
		return Move{}, err
	}
	qs := pickPractice(c.m.pack.Practice(topic), missed, uint64(seed), practiceLen)
	q := quiz{attempt: id, seed: seed, form: lessons.Practice, topic: topic, qs: qs}
	q.keep(c)
	return Go(StQuizQuestion, "0"), nil
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
	fmt.Fprintf(h, "%d|%d|%s", c.S.Nurse.ID, c.m.now().UnixNano(), what)
	return int64(h.Sum64() >> 1)
}

// startAssessment starts an assessment form, or resumes it at its first
// question without an answer; a form she finished is not taken again, and
// a later form is not started before the one before it (design.md
// "Evaluation": the report compares the same nurses).
func startAssessment(c *Ctx, form lessons.Form) (Move, error) {
	a, err := c.Store().AssessmentAttempt(c, c.S.Nurse.ID, string(form))
	if errors.Is(err, store.ErrNotFound) {
		before, err := c.Store().AssessmentBlocker(c, c.S.Nurse.ID, string(form))
		if err != nil {
			return Move{}, err
		}
		if before != "" {
			return Go(StQuizRefused, string(form)+":"+before), nil
		}
	}
	if errors.Is(err, store.ErrNotFound) {
		seed := seedFor(c, string(form))
		var id int64
		id, err = c.Store().StartAttempt(c, c.S.Nurse.ID, string(form), "", seed)
		a = store.Attempt{ID: id, Seed: seed}
		if errors.Is(err, store.ErrAlreadyTaken) {
			a, err = c.Store().AssessmentAttempt(c, c.S.Nurse.ID, string(form))
		}
	}
	if err != nil {
		return Move{}, err
	}
	if a.Finished.Valid {
		return Go(StQuizTaken, resultArg(form, lessons.Result{Right: a.Score, Total: a.Total})), nil
	}
	q := quiz{attempt: a.ID, seed: a.Seed, form: form, qs: c.m.pack.Assessment(form)}
	next := len(q.qs)
	for i, x := range q.qs {
		chosen, ok := a.Answers[x.ID]
		if !ok {
			chosen, next = -1, min(next, i)
		}
		q.chosen = append(q.chosen, chosen)
	}
	if next == len(q.qs) {
		return finishQuiz(c, q)
	}
	q.keep(c)
	return Go(StQuizQuestion, strconv.Itoa(next)), nil
}

func showQuestion(c *Ctx) (Screen, error) {
	q, n, ok := quizAt(c)
	if !ok {
		return Menu(c.T("This quiz has ended.", "Zoezi hili limekwisha.")), nil
	}
	x := q.qs[n]
	return Menu(c.m.pack.QuestionScreen(x, lessons.Shuffle(x, uint64(q.seed)), n+1, len(q.qs), c.Lang())), nil
}

// questionInput records the answer before anything else is shown. Practice
// shows the explanation of the option chosen; an assessment goes on to the
// next question without telling right from wrong, and gives the score at
// the end (see the package doc).
func questionInput(c *Ctx, in string) (Move, error) {
	q, n, ok := quizAt(c)
	if !ok {
		return c.Invalid(), nil
	}
	x := q.qs[n]
	chosen, ok := lessons.Pick(lessons.Shuffle(x, uint64(q.seed)), in)
	if !ok {
		return c.Invalid(), nil
	}
	if err := c.Store().RecordAnswer(c, q.attempt, x.ID, x.Topic, chosen, chosen == x.Answer()); err != nil {
		return Move{}, err
	}
	q.chosen[n] = chosen
	q.keep(c)
	if q.form == lessons.Practice {
		return Replace(StQuizExplain, strconv.Itoa(n)), nil
	}
	return nextQuestion(c, q, n)
}

func showExplain(c *Ctx) (Screen, error) {
	q, n, ok := quizAt(c)
	if !ok || q.chosen[n] < 0 {
		return Menu(c.T("This quiz has ended.", "Zoezi hili limekwisha.")), nil
	}
	return Page(c.m.pack.ExplainScreen(q.qs[n], q.chosen[n], c.Lang())), nil
}

func explainInput(c *Ctx, in string) (Move, error) {
	q, n, ok := quizAt(c)
	if in != "1" || !ok {
		return c.Invalid(), nil
	}
	return nextQuestion(c, q, n)
}

func nextQuestion(c *Ctx, q quiz, n int) (Move, error) {
	if n+1 < len(q.qs) {
		return Replace(StQuizQuestion, strconv.Itoa(n+1)), nil
	}
	return finishQuiz(c, q)
}

// finishQuiz records the score, notes it in the learner and, for practice,
// records the topic's completion when the score completes it.
func finishQuiz(c *Ctx, q quiz) (Move, error) {
	r := lessons.Score(q.qs, q.chosen)
	if err := c.Store().FinishAttempt(c, q.attempt, r.Right, r.Total); err != nil {
		return Move{}, err
	}
	l, err := learnerOf(c)
	if err != nil {
		return Move{}, err
	}
	notice := ""
	if q.form == lessons.Practice {
		l.Scored(q.topic, r)
		won, err := completeTopic(c, l, q.topic)
		if err != nil {
			return Move{}, err
		}
		if t, _ := c.m.pack.Topic(q.topic); won {
			notice = fmt.Sprintf(c.T("You completed the topic %s! An SMS is on its way.", "Umekamilisha mada %s! Utapata SMS."), t.Title.In(c.Lang()))
		}
	} else {
		l.Assessed[q.form] = r
	}
	keepLearner(c, l)
	for _, k := range []string{varQuizAttempt, varQuizSeed, varQuizForm, varQuizTopic, varQuizQuestions, varQuizChosen} {
		delete(c.S.Vars, k)
	}
	return Replace(StQuizScore, resultArg(q.form, r)).Say(notice), nil
}

func showScore(c *Ctx) (Screen, error) {
	form, r := resultOf(c.Arg())
	score := fmt.Sprintf("%d/%d (%d%%)", r.Right, r.Total, percent(r))
	switch {
	case form != lessons.Practice:
		return Menu(fmt.Sprintf(c.T("%s done. Your score: %s. Thank you!", "%s imekamilika. Alama zako: %s. Asante!"), formName(c, form), score)), nil
	case r.Right < r.Total:
		return Menu(c.T("Your score: ", "Alama zako: ") + score + c.T(". Questions you missed come back in your next quiz.",
			". Maswali uliyokosa yatarudi kwenye zoezi lijalo.")), nil
	}
	return Menu(c.T("Your score: ", "Alama zako: ") + score + c.T(". Well done!", ". Hongera!")), nil
}

func showTaken(c *Ctx) (Screen, error) {
	form, r := resultOf(c.Arg())
	return Menu(fmt.Sprintf(c.T("You have already taken the %s (score %d/%d). Each assessment is taken once.",
		"Umeshafanya %s (alama %d/%d). Kila tathmini hufanywa mara moja tu."),
		strings.ToLower(formName(c, form)), r.Right, r.Total)), nil
}

// showRefused says why a later assessment cannot start: she has not taken
// the one before, and only her supervisor can exempt her from it.
func showRefused(c *Ctx) (Screen, error) {
	form, before, _ := strings.Cut(c.Arg(), ":")
	return Menu(fmt.Sprintf(c.T("You cannot take the %s: you have not taken the %s. Your supervisor can record an exemption.",
		"Huwezi kufanya %s: hujafanya %s. Msimamizi wako anaweza kuandika ruhusa."),
		strings.ToLower(formName(c, lessons.Form(form))), strings.ToLower(formName(c, lessons.Form(before))))), nil
}

// formName names an assessment form for a menu line.
func formName(c *Ctx, f lessons.Form) string {
	switch f {
	case lessons.Baseline:
		return c.T("Baseline assessment", "Tathmini ya awali")
	case lessons.Midline:
		return c.T("Midline assessment", "Tathmini ya kati")
	case lessons.Endline:
		return c.T("Endline assessment", "Tathmini ya mwisho")
	}
	return c.T("Quiz", "Zoezi")
}

// percent is a score in whole percent, rounded down as the store reports it.
func percent(r lessons.Result) int {
	if r.Total == 0 {
		return 0
	}
	return r.Right * 100 / r.Total
}

func resultArg(form lessons.Form, r lessons.Result) string {
	return string(form) + ":" + strconv.Itoa(r.Right) + ":" + strconv.Itoa(r.Total)
}

func resultOf(arg string) (lessons.Form, lessons.Result) {
	parts := strings.Split(arg, ":")
	if len(parts) != 3 {
		return lessons.Practice, lessons.Result{}
	}
	right, _ := strconv.Atoi(parts[1])
	total, _ := strconv.Atoi(parts[2])
	return lessons.Form(parts[0]), lessons.Result{Right: right, Total: total}
}

// quiz is the quiz under way, as the session keeps it.
type quiz struct {
	attempt int64
	seed    int64
	form    lessons.Form
	topic   string
	qs      []lessons.Question
	chosen  []int // index in the question's options, -1 unanswered
}

func (q quiz) keep(c *Ctx) {
	var ids []string
	if q.form == lessons.Practice {
		for _, x := range q.qs {
			ids = append(ids, x.ID)
		}
	}
	chosen := make([]byte, len(q.qs))
	for i := range chosen {
		chosen[i] = '-'
		if i < len(q.chosen) && q.chosen[i] >= 0 {
			chosen[i] = byte('0' + q.chosen[i])
		}
	}
	c.S.SetVar(varQuizAttempt, strconv.FormatInt(q.attempt, 10))
	c.S.SetVar(varQuizSeed, strconv.FormatInt(q.seed, 10))
	c.S.SetVar(varQuizForm, string(q.form))
	c.S.SetVar(varQuizTopic, q.topic)
	c.S.SetVar(varQuizQuestions, strings.Join(ids, ","))
	c.S.SetVar(varQuizChosen, string(chosen))
}

// quizAt returns the quiz in the session and the question of the current
// frame; false when there is none (it ended, or the pack changed).
func quizAt(c *Ctx) (quiz, int, bool) {
	q := quiz{form: lessons.Form(c.S.Var(varQuizForm)), topic: c.S.Var(varQuizTopic)}
	var err1, err2 error
	q.attempt, err1 = strconv.ParseInt(c.S.Var(varQuizAttempt), 10, 64)
	q.seed, err2 = strconv.ParseInt(c.S.Var(varQuizSeed), 10, 64)
	if q.form == lessons.Practice {
		for _, id := range strings.Split(c.S.Var(varQuizQuestions), ",") {
			if x, ok := c.m.pack.Question(id); ok {
				q.qs = append(q.qs, x)
			}
		}
	} else {
		q.qs = c.m.pack.Assessment(q.form)
	}
	for _, b := range []byte(c.S.Var(varQuizChosen)) {
		q.chosen = append(q.chosen, int(b)-'0')
		if b == '-' {
			q.chosen[len(q.chosen)-1] = -1
		}
	}
	n, err := strconv.Atoi(c.Arg())
	ok := err1 == nil && err2 == nil && err == nil && n >= 0 && n < len(q.qs) && len(q.chosen) == len(q.qs)
	return q, n, ok
}
