package storetest_test

import (
	"bufio"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// sqlStatement is a line that writes or reads a table by hand.
var sqlStatement = regexp.MustCompile(`(INSERT INTO|UPDATE [a-z_]+ SET|DELETE FROM|SELECT .* FROM)`)

// TestNoSQLInTestsOutsideStore: tests outside the store set up and read
// rows through this package or the store's functions, so that a schema
// change touches the store alone (issue 17).
func TestNoSQLInTestsOutsideStore(t *testing.T) {
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if rel, _ := filepath.Rel(root, path); rel == "store" || strings.HasPrefix(d.Name(), ".") && rel != "." || d.Name() == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		s := bufio.NewScanner(f)
		for n := 1; s.Scan(); n++ {
			if sqlStatement.MatchString(s.Text()) {
				t.Errorf("%s:%d writes SQL; use a store/storetest helper: %s", path, n, strings.TrimSpace(s.Text()))
			}
		}
		return s.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
}
