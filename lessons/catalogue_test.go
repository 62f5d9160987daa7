package lessons_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chanjo-health/chanjo/lessons"
)

// keyPattern is a catalogue key: lowercase words joined by dots.
var keyPattern = regexp.MustCompile(`^[a-z0-9_]+(\.[a-z0-9_]+)+$`)

// codeKeys returns every string literal in the module's Go code (tests
// aside) that looks like a key of one of the catalogue's areas, with where
// it is, and every call of a Say method whose key is such a literal.
func codeKeys(t *testing.T, areas map[string]bool) (map[string]string, []sayCall) {
	t.Helper()
	keys := map[string]string{}
	var calls []sayCall
	fset := token.NewFileSet()
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != ".." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BasicLit:
				if key, ok := literalKey(n, areas); ok {
					keys[key] = fset.Position(n.Pos()).String()
				}
			case *ast.CallExpr:
				if call, ok := say(n, areas); ok {
					call.at = fset.Position(n.Pos()).String()
					calls = append(calls, call)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return keys, calls
}

// sayCall is a call of Say with a literal key and the parameter names it
// gives, when they are literals too.
type sayCall struct {
	at, key string
	params  []string
	literal bool // every parameter name is a literal
}

func literalKey(n ast.Expr, areas map[string]bool) (string, bool) {
	lit, ok := n.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	if err != nil || !keyPattern.MatchString(s) {
		return "", false
	}
	area, _, _ := strings.Cut(s, ".")
	return s, areas[area]
}

// say recognises c.Say(key, name, value, ...) and p.Say(lang, key, name,
// value, ...): the key is the first of the first two arguments that is a
// key literal.
func say(n *ast.CallExpr, areas map[string]bool) (sayCall, bool) {
	sel, ok := n.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Say" {
		return sayCall{}, false
	}
	for i := 0; i < 2 && i < len(n.Args); i++ {
		key, ok := literalKey(n.Args[i], areas)
		if !ok {
			continue
		}
		c := sayCall{key: key, literal: n.Ellipsis == token.NoPos}
		for j := i + 1; j < len(n.Args); j += 2 {
			lit, ok := n.Args[j].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				c.literal = false
				break
			}
			name, _ := strconv.Unquote(lit.Value) // the parser accepted it
			c.params = append(c.params, name)
		}
		return c, true
	}
	return sayCall{}, false
}

// TestCatalogueKeysInCode: every key the code names is in the shipped
// catalogue, every key of the catalogue is named by the code (no dead
// text), and every Say call fills exactly the parameters its text has.
// A key counts where it is written as a string literal, in a Say call or a
// table, so keys are written out whole, never assembled.
func TestCatalogueKeysInCode(t *testing.T) {
	p, err := lessons.Default()
	if err != nil {
		t.Fatal(err)
	}
	areas := map[string]bool{}
	for _, k := range p.MessageKeys() {
		area, _, _ := strings.Cut(k, ".")
		areas[area] = true
	}
	keys, calls := codeKeys(t, areas)
	for key, at := range keys {
		if _, ok := p.Message(key); !ok {
			t.Errorf("%s: key %q is not in the catalogue (lessons/content/messages-*.yaml)", at, key)
		}
	}
	for _, key := range p.MessageKeys() {
		if _, ok := keys[key]; !ok {
			t.Errorf("catalogue key %q is used nowhere in the code: remove it or use it", key)
		}
	}
	for _, c := range calls {
		if _, ok := p.Message(c.key); !ok || !c.literal {
			continue
		}
		want := p.MessageParams(c.key)
		got := slices.Sorted(slices.Values(c.params))
		if !slices.Equal(got, want) {
			t.Errorf("%s: Say(%q) gives parameters %v, its text has %v", c.at, c.key, got, want)
		}
	}
}
