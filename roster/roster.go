// Package roster reads the roster CSV of docs/roster.md: one row per health worker
// with her facility, mentor and groups. It checks every row on its own and
// against the other rows of the file, and returns the good rows and one
// problem per bad row, with the row's line in the file. The command line and
// the console share it; applying the rows is the store's job, and a row is
// the store's RosterEntry (the one project type it takes from the store,
// beside chanjo/phone).
package roster

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/chanjo-health/chanjo/store"
)

// Row is one good row of a roster, normalised: the phones are +254…, role and
// language lower case, every text trimmed. It is the store's RosterEntry, so
// a parsed file goes to the store as it is, not copied field by field.
type Row = store.RosterEntry

// Problem is a bad row. Line 1 is the header (a bad header rejects the whole
// file); Line 0 is the file itself (it could not be read).
type Problem struct {
	Line   int
	Reason string
}

// String returns "line N: reason".
func (p Problem) String() string { return fmt.Sprintf("line %d: %s", p.Line, p.Reason) }

// Roles and languages a row may give.
const (
	RoleNurse  = "nurse"
	RoleMentor = "mentor"
)

// Column names; the header gives them in any order and any case.
const (
	colName         = "name"
	colPhone        = "phone"
	colRole         = "role"
	colLanguage     = "language"
	colFacilityCode = "facility_code"
	colFacilityName = "facility_name"
	colSubCounty    = "sub_county"
	colCounty       = "county"
	colMentorPhone  = "mentor_phone"
	colGroup        = "group"
	colChannel      = "channel"
)

var (
	required = []string{colName, colPhone, colRole, colLanguage, colFacilityCode, colFacilityName, colSubCounty, colCounty}
	optional = []string{colMentorPhone, colGroup, colChannel}
)

// Parse reads a roster and returns its good rows in file order and its
// problems in line order. A bad header is one problem on line 1 and no rows.
// langs are the language codes a worker may have: the content pack's.
func Parse(r io.Reader, langs []string) ([]Row, []Problem) {
	cr := csv.NewReader(skipBOM(r))
	cr.FieldsPerRecord = -1 // a row with too few or too many fields is reported, not fatal
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, []Problem{{1, "the file is empty: it needs a header row (" + strings.Join(required, ",") + ")"}}
	}
	if err != nil {
		return nil, []Problem{{1, csvReason(err)}}
	}
	cols, err := readHeader(header)
	if err != nil {
		return nil, []Problem{{1, err.Error()}}
	}
	var rows []Row
	var problems []Problem
	bad := map[string]int{} // phone of a rejected row → its line
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			problems = append(problems, Problem{pe.StartLine, csvReason(err)})
			continue
		}
		if err != nil {
			problems = append(problems, Problem{0, csvReason(err)})
			break
		}
		line, _ := cr.FieldPos(0)
		row, reasons := parseRow(cols, rec, langs)
		row.Line = line
		if len(reasons) > 0 {
			problems = append(problems, Problem{line, strings.Join(reasons, "; ")})
			if _, seen := bad[row.Phone]; row.Phone != "" && !seen {
				bad[row.Phone] = line
			}
			continue
		}
		rows = append(rows, row)
	}
	rows, problems = crossCheck(rows, problems, bad)
	sort.SliceStable(problems, func(i, j int) bool { return problems[i].Line < problems[j].Line })
	return rows, problems
}

// skipBOM drops the UTF-8 byte order mark that spreadsheet programs write.
func skipBOM(r io.Reader) io.Reader {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\uFEFF" {
		br.Discard(3)
	}
	return br
}

// csvReason turns a CSV syntax error into a sentence without the reader's
// own line numbers (the problem carries the line).
func csvReason(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	switch {
	case errors.Is(err, csv.ErrQuote), errors.Is(err, csv.ErrBareQuote):
		return `bad quoting: a field with a quote (") must be enclosed in quotes, and quotes inside it doubled ("")`
	default:
		return fmt.Sprintf("cannot read the file: %v", err)
	}
}

// columns maps a column name to its index in the header of n columns.
type columns struct {
	at map[string]int
	n  int
}

// readHeader checks the header: every required column once, nothing unknown.
func readHeader(header []string) (columns, error) {
	known := map[string]bool{}
	for _, c := range append(append([]string{}, required...), optional...) {
		known[c] = true
	}
	cols := columns{at: map[string]int{}, n: len(header)}
	for i, h := range header {
		name := headerName(h)
		switch {
		case name == "":
			return columns{}, fmt.Errorf("column %d has no name (delete the empty column)", i+1)
		case !known[name]:
			return columns{}, fmt.Errorf("unknown column %q (the columns are %s, and optionally %s)",
				strings.TrimSpace(h), strings.Join(required, ", "), strings.Join(optional, ", "))
		}
		if _, dup := cols.at[name]; dup {
			return columns{}, fmt.Errorf("column %q appears twice", name)
		}
		cols.at[name] = i
	}
	var missing []string
	for _, c := range required {
		if _, ok := cols.at[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return columns{}, fmt.Errorf("missing column(s): %s", strings.Join(missing, ", "))
	}
	return cols, nil
}

// headerName reads "Facility Code" and "facility-code" as facility_code.
func headerName(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	return strings.NewReplacer(" ", "_", "-", "_").Replace(h)
}

// get returns the value of column col, trimmed and with inner runs of spaces
// made one, or "" when the file has no such (optional) column.
func (c columns) get(rec []string, col string) string {
	i, ok := c.at[col]
	if !ok {
		return ""
	}
	return strings.Join(strings.Fields(rec[i]), " ")
}
