// Package rostertest writes roster files for tests: many good rows in the
// forms people really type, and one bad row of each kind of mistake, with
// the line and reason the import must report for it.
package rostertest

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
)

// Bad is a bad row of a generated roster: its line and a fragment of the
// reason the import must give.
type Bad struct {
	Line   int
	Reason string
}

// Header is the header of generated rosters, in an order of its own and mixed
// case to show that neither matters.
var Header = []string{"Phone", "name", "ROLE", "language", "facility_code", "facility_name", "sub_county", "county", "mentor_phone", "group"}

// Phone returns the i-th generated number (+254711000000 + i); the file
// writes it in one of the common Kenyan forms.
func Phone(i int) string { return fmt.Sprintf("+254711%06d", i) }

// written returns the i-th phone as a person might type it.
func written(i int) string {
	d := fmt.Sprintf("711%06d", i)
	switch i % 4 {
	case 0:
		return "0" + d
	case 1:
		return "254" + d
	case 2:
		return "+254 " + d[:3] + " " + d[3:6] + " " + d[6:]
	default:
		return d
	}
}

// Generate returns a roster of good rows plus the bad rows of BadRows mixed
// in, and where the bad ones are. Every tenth good row is a mentor; each
// nurse is paired with the mentor before her; 12 facilities; two groups
// per facility cohort. One good name holds a line break, so line numbers
// must come from the file, not from counting records.
func Generate(good int) ([]byte, []Bad) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	buf.WriteString("\uFEFF")
	w.Write(Header)
	line := 2 // the next row's line
	write := func(rec []string) int {
		at := line
		w.Write(rec)
		line += 1 + strings.Count(strings.Join(rec, ""), "\n")
		return at
	}
	var bad []Bad
	mentor := ""
	for i := 0; i < good; i++ {
		if i%25 == 12 && len(bad) < len(BadRows) {
			for _, b := range BadRows {
				bad = append(bad, Bad{write(b.Record), b.Reason})
			}
		}
		write(goodRow(i, mentor))
		if i%10 == 0 {
			mentor = Phone(i)
		}
	}
	w.Flush()
	return buf.Bytes(), bad
}

// goodRow returns the i-th good row, paired with mentor when she is a nurse.
func goodRow(i int, mentor string) []string {
	f := i % 12
	role, lang, mp := "nurse", []string{"en", "sw"}[i%2], mentor
	if i%10 == 0 {
		role, mp = "Mentor", ""
	}
	name := fmt.Sprintf("Nurse %d", i)
	if i == 7 {
		name = "Mary\nWanjiku"
	}
	return []string{written(i), "  " + name + " ", role, lang, fmt.Sprint(13000 + f), fmt.Sprintf("Facility %d Dispensary", f),
		fmt.Sprintf("Sub-county %d", f%4), "Machakos", mp, fmt.Sprintf("Cohort %d; Facility %d", i%3, f)}
}

// BadRow is a row with one mistake and a fragment of the reason it gets.
type BadRow struct {
	Record []string
	Reason string
}

// BadRows are the 20 kinds of mistakes, each as a row of Header's columns.
// Their phones are +254722… so they never collide with good rows; two of
// them refer to good rows 0 (a mentor) and 1 (a nurse).
var BadRows = []BadRow{
	{[]string{"0722000001", "", "nurse", "en", "13000", "Facility 0 Dispensary", "Sub-county 0", "Machakos", "", ""}, "name is empty"},
	{[]string{"0722 0001", "Bad Phone", "nurse", "en", "13000", "Facility 0 Dispensary", "Sub-county 0", "Machakos", "", ""}, `phone "0722 0001" is not a Kenyan phone number`},
	{[]string{"", "No Phone", "nurse", "en", "13000", "Facility 0 Dispensary", "Sub-county 0", "Machakos", "", ""}, "phone is empty"},
	{[]string{"0722000004", "A Doctor", "doctor", "en", "13000", "Facility 0 Dispensary", "Sub-county 0", "Machakos", "", ""}, `role "doctor" is not nurse or mentor`},
	{[]string{"0722000005", "Bad Mentor", "mentor", "fr", "13000", "Facility 0 Dispensary", "Sub-county 0", "Machakos", "", ""}, `language "fr" is not en or sw`},
	{[]string{"0722000006", "Bad Code", "nurse", "en", "MFL-13000", "Facility 0 Dispensary", "Sub-county 0", "Machakos", "", ""}, `facility_code "MFL-13000" is not a Kenya MFL code`},
	{[]string{"0722000007", "No Facility", "nurse", "en", "13000", "", "Sub-county 0", "Machakos", "", ""}, "facility_name is empty"},
	{[]string{"0722000008", "No Sub", "nurse", "en", "13000", "Facility 0 Dispensary", "", "Machakos", "", ""}, "sub_county is empty"},
	{[]string{"0722000009", "No County", "nurse", "en", "13000", "Facility 0 Dispensary", "Sub-county 0", "", "", ""}, "county is empty"},
	{[]string{"0722000010", "Short Row", "nurse", "en", "13000"}, "has 5 fields, the header has 10"},
	{[]string{"0722000011", "Long Row", "nurse", "en", "13000", "Facility 0 Dispensary", "Sub-county 0", "Machakos", "", "", "extra"}, "has 11 fields, the header has 10"},
	{[]string{"0722000012", "Bad Mentor Phone", "nurse", "en", "13000", "Facility 0 Dispensary", "Sub-county 0", "Machakos", "12345", ""}, `mentor_phone "12345" is not a Kenyan phone number`},
	{[]string{"0722000013", "Self Mentor", "nurse", "en", "13000", "Facility 0 Dispensary", "Sub-county 0", "Machakos", "+254722000013", ""}, "own phone"},
	{[]string{"0722000014", "Nurse Mentor", "nurse", "en", "13000", "Facility 0 Dispensary", "Sub-county 0", "Machakos", Phone(1), ""}, "is a nurse on line"},
	{[]string{"0722000015", "Unknown Mentor", "nurse", "en", "13000", "Facility 0 Dispensary", "Sub-county 0", "Machakos", "0799999999", ""}, "mentor_phone +254799999999 is not a mentor in the file or already enrolled"},
	{[]string{"0722000016", "Rejected Mentor", "nurse", "en", "13000", "Facility 0 Dispensary", "Sub-county 0", "Machakos", "0722000005", ""}, "which is rejected"},
	{[]string{written(0), "Someone Else", "mentor", "en", "13000", "Facility 0 Dispensary", "Sub-county 0", "Machakos", "", ""}, "with a different name"},
	{[]string{"0722000018", "Wrong Facility", "nurse", "en", "13000", "Facility Zero", "Sub-county 0", "Machakos", "", ""}, `facility_code 13000 is "Facility 0 Dispensary"`},
	{[]string{"0722000019", strings.Repeat("Long ", 30), "nurse", "en", "13000", "Facility 0 Dispensary", "Sub-county 0", "Machakos", "", ""}, "name is longer than 100 characters"},
	{[]string{"0722000020", "Bad Group", "nurse", "en", "13000", "Facility 0 Dispensary", "Sub-county 0", "Machakos", "", strings.Repeat("g", 101)}, "is longer than 100 characters"},
}
