package ussd

import "fmt"

var progressTree = []Node{
	{State: StProgress, Show: showProgress},
}

// showProgress reads the nurse's counts: the one main-menu screen that costs
// SQL each time it is shown, since the numbers change as she learns.
func showProgress(c *Ctx) (Screen, error) {
	p, err := c.Store().WorkerProgress(c, c.S.Nurse.ID)
	if err != nil {
		return Screen{}, err
	}
	if c.Lang() == "sw" {
		return Menu(fmt.Sprintf("Maendeleo yangu\nMasomo yaliyokamilika: %d\nMaswali yaliyofanywa: %d\nWastani wa alama: %d%%",
			p.LessonsDone, p.Quizzes, p.QuizPercent)), nil
	}
	return Menu(fmt.Sprintf("My progress\nLessons completed: %d\nQuizzes done: %d\nQuiz average: %d%%",
		p.LessonsDone, p.Quizzes, p.QuizPercent)), nil
}
