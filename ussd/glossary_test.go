package ussd

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chanjo-health/chanjo/lessons"
)

// TestMenuWordsFollowGlossary reads the Kiswahili side of every menu text
// written in this package, c.T("...", "...") and txt("...", "..."), and
// fails on a word the pack's glossary says to avoid ("Maswali" for the
// quiz, "vial", "tally sheet"), so the menus speak the lessons' words.
func TestMenuWordsFollowGlossary(t *testing.T) {
	pack, err := lessons.Default()
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sw, ok := swArg(n)
			if !ok {
				return true
			}
			checked++
			for _, a := range pack.Glossary.Avoided(sw) {
				t.Errorf("%s: %q uses %q: say %q", fset.Position(n.Pos()), sw, a.Word, a.Say)
			}
			return true
		})
	}
	// The menus' words move to the pack's catalogue, whose lint checks the
	// glossary (lessons TestLintGlossary); fewer are left here each time.
	t.Logf("checked %d Kiswahili menu texts still in Go", checked)
}

// swArg returns the second argument of a call T(en, sw) or txt(en, sw)
// when it is a string literal.
func swArg(n ast.Node) (string, bool) {
	call, ok := n.(*ast.CallExpr)
	if !ok || len(call.Args) != 2 {
		return "", false
	}
	var name string
	switch fun := call.Fun.(type) {
	case *ast.SelectorExpr:
		name = fun.Sel.Name
	case *ast.Ident:
		name = fun.Name
	}
	lit, ok := call.Args[1].(*ast.BasicLit)
	if (name != "T" && name != "txt") || !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}
