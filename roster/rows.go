package roster

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/chanjo-health/chanjo/phone"
)

// maxText is the longest name, facility or group a row may give: longer text
// is a pasted paragraph, not a name, and would not fit an SMS.
const maxText = 100

// parseRow checks one record on its own, its language against langs, and
// returns the row and every reason it is bad (none for a good row).
func parseRow(cols columns, rec []string, langs []string) (Row, []string) {
	if len(rec) != cols.n {
		return Row{}, []string{fmt.Sprintf("has %d fields, the header has %d (a comma inside a field needs quotes)", len(rec), cols.n)}
	}
	row := Row{
		Name:         cols.get(rec, colName),
		Role:         strings.ToLower(cols.get(rec, colRole)),
		Language:     strings.ToLower(cols.get(rec, colLanguage)),
		FacilityCode: cols.get(rec, colFacilityCode),
		FacilityName: cols.get(rec, colFacilityName),
		SubCounty:    cols.get(rec, colSubCounty),
		County:       cols.get(rec, colCounty),
		Groups:       splitGroups(cols.get(rec, colGroup)),
		Channel:      strings.ToLower(cols.get(rec, colChannel)),
	}
	var reasons []string
	bad := func(format string, args ...any) { reasons = append(reasons, fmt.Sprintf(format, args...)) }
	for _, f := range []struct{ col, v string }{
		{colName, row.Name}, {colFacilityName, row.FacilityName}, {colSubCounty, row.SubCounty}, {colCounty, row.County},
	} {
		switch {
		case f.v == "":
			bad("%s is empty", f.col)
		case utf8.RuneCountInString(f.v) > maxText:
			bad("%s is longer than %d characters", f.col, maxText)
		}
	}
	var err error
	if row.Phone, err = readPhone(cols.get(rec, colPhone)); err != nil {
		bad("phone %v", err)
	}
	if row.Role != RoleNurse && row.Role != RoleMentor {
		bad("role %q is not nurse or mentor", row.Role)
	}
	if row.Channel != "" && row.Channel != "sms" && row.Channel != "whatsapp" {
		bad("channel %q is not sms or whatsapp", row.Channel)
	}
	if !slices.Contains(langs, row.Language) {
		bad("language %q is not %s", row.Language, strings.Join(langs, " or "))
	}
	if !isMFLCode(row.FacilityCode) {
		bad("facility_code %q is not a Kenya MFL code (digits only)", row.FacilityCode)
	}
	if mp := cols.get(rec, colMentorPhone); mp != "" {
		if row.MentorPhone, err = readPhone(mp); err != nil {
			bad("mentor_phone %v", err)
		} else if row.MentorPhone == row.Phone {
			bad("mentor_phone is the row's own phone: a worker cannot mentor herself")
		}
	}
	for _, g := range row.Groups {
		if utf8.RuneCountInString(g) > maxText {
			bad("group %q is longer than %d characters", g, maxText)
		}
	}
	return row, reasons
}

// readPhone normalises a phone column; the error reads after the column name.
func readPhone(v string) (string, error) {
	if v == "" {
		return "", fmt.Errorf("is empty")
	}
	p, err := phone.Normalize(v)
	if err != nil {
		return "", fmt.Errorf("%q is %w", v, err)
	}
	return p, nil
}

// isMFLCode reports whether s looks like a Kenya Master Facility List code:
// digits only, at most 10 of them.
func isMFLCode(s string) bool {
	if s == "" || len(s) > 10 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// splitGroups reads "Cohort A; Kithimani" as two groups, dropping empty
// names and repeats (compared without regard to case).
func splitGroups(v string) []string {
	var groups []string
	seen := map[string]bool{}
	for _, g := range strings.Split(v, ";") {
		g = strings.TrimSpace(g)
		if g == "" || seen[strings.ToLower(g)] {
			continue
		}
		seen[strings.ToLower(g)] = true
		groups = append(groups, g)
	}
	return groups
}
