// Package lessonstest makes content packs for tests: a copy of the shipped
// pack that speaks one more language, so a test shows that a language is
// data (texts and one line in settings.yaml) and never code.
package lessonstest

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/chanjo-health/chanjo/lessons"
)

// WithLanguage writes to a directory of t's a copy of the shipped pack that
// also speaks language code, named name in its own words (for example
// "kam", "Kikamba"), and returns the directory (for CONTENT_DIR or
// lessons.LoadDir). Every text in the new language is a machine-made
// stand-in: the pack's first language in capitals, its <parameters> left as
// they are, so it has the same length and a test sees at once which
// language a screen is in ("MAIN MENU").
func WithLanguage(t testing.TB, code, name string) string {
	t.Helper()
	src := lessons.Embedded()
	dir := t.TempDir()
	names, err := fs.Glob(src, "*")
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range names {
		data, err := fs.ReadFile(src, file)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(file, ".yaml") {
			data = addLanguage(t, file, data, code, name)
		}
		if err := os.WriteFile(filepath.Join(dir, file), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// PackWithLanguage loads the pack of WithLanguage.
func PackWithLanguage(t testing.TB, code, name string) *lessons.Pack {
	t.Helper()
	p, err := lessons.LoadDir(WithLanguage(t, code, name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// addLanguage adds code to the languages of settings.yaml and a stand-in
// in code to every text of one file.
func addLanguage(t testing.TB, file string, data []byte, code, name string) []byte {
	t.Helper()
	shipped, err := lessons.Default()
	if err != nil {
		t.Fatal(err)
	}
	langs := shipped.Languages()
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	var skip *yaml.Node
	if file == "settings.yaml" {
		skip = value(doc.Content[0], "languages")
		skip.Content = append(skip.Content, scalar(code), scalar(name))
	}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n == skip {
			return
		}
		if src, ok := isText(n, langs); ok {
			n.Content = append(n.Content, scalar(code), scalar(standIn(src)))
			return
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(&doc)
	out, err := yaml.Marshal(&doc)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return out
}

// isText reports whether n is a text (a mapping with a scalar for every
// language of langs) and returns its words in the first language.
func isText(n *yaml.Node, langs []lessons.Language) (string, bool) {
	if n.Kind != yaml.MappingNode {
		return "", false
	}
	for _, l := range langs {
		v := value(n, l.Code)
		if v == nil || v.Kind != yaml.ScalarNode {
			return "", false
		}
	}
	return value(n, langs[0].Code).Value, true
}

// value returns the value of key in mapping n, or nil.
func value(n *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func scalar(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s, Style: yaml.DoubleQuotedStyle}
}

var param = regexp.MustCompile(`<[a-z_]+>`)

// standIn is s in capitals but for its <parameters>.
func standIn(s string) string {
	var b strings.Builder
	last := 0
	for _, m := range param.FindAllStringIndex(s, -1) {
		b.WriteString(strings.ToUpper(s[last:m[0]]))
		b.WriteString(s[m[0]:m[1]])
		last = m[1]
	}
	b.WriteString(strings.ToUpper(s[last:]))
	return b.String()
}
