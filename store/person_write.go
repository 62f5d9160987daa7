package store

import (
	"archive/zip"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// WriteJSON writes the export as one JSON document: per table its columns
// and rows, so a column with no value still shows.
func (d PersonData) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(d); err != nil {
		return fmt.Errorf("store: write person json: %w", err)
	}
	return nil
}

// WriteCSVZip writes the export as a zip of one CSV file per table
// (TABLE.csv, a header row then her rows), tables without rows included,
// so the reader sees every place that was searched.
func (d PersonData) WriteCSVZip(w io.Writer) error {
	z := zip.NewWriter(w)
	for _, t := range d.Tables {
		f, err := z.Create(t.Name + ".csv")
		if err != nil {
			return fmt.Errorf("store: write person csv: %w", err)
		}
		c := csv.NewWriter(f)
		c.Write(t.Columns)
		for _, row := range t.Rows {
			rec := make([]string, len(row))
			for i, v := range row {
				if str, ok := v.(string); ok {
					rec[i] = csvText(str)
				} else if v != nil {
					rec[i] = fmt.Sprint(v)
				}
			}
			c.Write(rec)
		}
		if c.Flush(); c.Error() != nil {
			return fmt.Errorf("store: write person csv: %w", c.Error())
		}
	}
	if err := z.Close(); err != nil {
		return fmt.Errorf("store: write person csv: %w", err)
	}
	return nil
}

// phoneLike is a +254… number, which a spreadsheet reads as a number, not a
// formula.
var phoneLike = regexp.MustCompile(`^\+\d+$`)

// csvText keeps a spreadsheet from reading text someone typed (a name, a
// question) as a formula, as the console's CSV files do.
func csvText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) && !phoneLike.MatchString(s) {
		return "'" + s
	}
	return s
}
