package ussd

import "fmt"

// table is the dispatch table: every state of every menu tree. A feature
// adds its tree in a file of its own (menu_lessons.go: its states, their
// Show and Input) and one entry to this list. Two trees that define one
// state stop the program at start (and every test).
var table = mustTable(mainTree, registerTree, settingsTree, progressTree, stockTree, lessonsTree, quizTree, visitTree, visitDoneTree, askTree, inboxTree)

func mustTable(trees ...[]Node) map[State]Node {
	t := map[State]Node{}
	for _, tree := range trees {
		for _, n := range tree {
			if _, dup := t[n.State]; dup || n.Show == nil {
				panic(fmt.Sprintf("ussd: state %q defined twice or without Show", n.State))
			}
			t[n.State] = n
		}
	}
	return t
}
