package ussd

import "fmt"

// trees are every menu tree. A feature adds its tree in a file of its own
// (menu_lessons.go: its states, their Show and Input, the store interface
// it needs) and one entry to this list, and its store interface to Store.
var trees = [][]Node{mainTree, registerTree, settingsTree, progressTree, stockTree, lessonsTree, quizTree, visitTree, visitDoneTree, askTree, inboxTree, groupTree}

// tableOf returns the dispatch table of trees: every state of every tree.
// Two trees that define one state are refused (New fails, and every test).
func tableOf(trees ...[]Node) (map[State]Node, error) {
	t := map[State]Node{}
	for _, tree := range trees {
		for _, n := range tree {
			if _, dup := t[n.State]; dup || n.Show == nil {
				return nil, fmt.Errorf("ussd: state %q defined twice or without Show", n.State)
			}
			t[n.State] = n
		}
	}
	return t, nil
}
