package roster

import (
	"fmt"
	"sort"
	"strings"
)

// crossCheck checks rows against each other: a phone repeated with other
// data, a facility code given with other names, a mentor_phone that points
// at a nurse or at a rejected row. The first row of a phone or a facility
// code is taken as written; later rows that contradict it are rejected. bad
// maps the phone of each row already rejected to its line.
func crossCheck(rows []Row, problems []Problem, bad map[string]int) ([]Row, []Problem) {
	reject := func(r Row, format string, args ...any) {
		problems = append(problems, Problem{r.Line, fmt.Sprintf(format, args...)})
		if _, ok := bad[r.Phone]; !ok {
			bad[r.Phone] = r.Line
		}
	}
	byPhone := map[string]Row{}
	byCode := map[string]Row{}
	var ok []Row
	for _, r := range rows {
		if f, seen := byPhone[r.Phone]; seen {
			if diff := differences(f, r); diff != "" {
				reject(r, "phone %s is also on line %d with a different %s", r.Phone, f.Line, diff)
				continue
			}
		}
		if f, seen := byCode[r.FacilityCode]; seen && !sameFacility(f, r) {
			reject(r, "facility_code %s is %s on line %d, but %s here", r.FacilityCode, facility(f), f.Line, facility(r))
			continue
		}
		if _, seen := byPhone[r.Phone]; !seen {
			byPhone[r.Phone] = r
		}
		if _, seen := byCode[r.FacilityCode]; !seen {
			byCode[r.FacilityCode] = r
		}
		ok = append(ok, r)
	}
	// Rejecting a mentor rejects her mentees too, which may be mentors
	// themselves: repeat until nothing more is rejected.
	for changed := true; changed; {
		changed = false
		good := map[string]Row{}
		for _, r := range ok {
			good[r.Phone] = r
		}
		next := ok[:0:0]
		for _, r := range ok {
			if reason := mentorReason(r, good, bad); reason != "" {
				reject(r, "%s", reason)
				changed = true
				continue
			}
			next = append(next, r)
		}
		ok = next
	}
	return ok, problems
}

// mentorReason says what is wrong with the row's mentor_phone, if anything.
// A mentor who is not in the file is left to the store, which knows the
// mentors already enrolled.
func mentorReason(r Row, good map[string]Row, bad map[string]int) string {
	if r.MentorPhone == "" {
		return ""
	}
	if m, ok := good[r.MentorPhone]; ok {
		if m.Role != RoleMentor {
			return fmt.Sprintf("mentor_phone %s is a %s on line %d, not a mentor", r.MentorPhone, m.Role, m.Line)
		}
		return ""
	}
	if line, ok := bad[r.MentorPhone]; ok {
		return fmt.Sprintf("mentor_phone %s is the worker on line %d, which is rejected", r.MentorPhone, line)
	}
	return ""
}

// differences names the columns in which two rows of the same phone differ.
func differences(a, b Row) string {
	var d []string
	for _, c := range []struct {
		col  string
		x, y string
	}{
		{colName, a.Name, b.Name},
		{colRole, a.Role, b.Role},
		{colLanguage, a.Language, b.Language},
		{colFacilityCode, a.FacilityCode, b.FacilityCode},
		{colMentorPhone, a.MentorPhone, b.MentorPhone},
		{colGroup, groupSet(a.Groups), groupSet(b.Groups)},
	} {
		if !strings.EqualFold(c.x, c.y) {
			d = append(d, c.col)
		}
	}
	return strings.Join(d, ", ")
}

// groupSet writes groups in a canonical order, for comparison.
func groupSet(groups []string) string {
	s := make([]string, len(groups))
	for i, g := range groups {
		s[i] = strings.ToLower(g)
	}
	sort.Strings(s)
	return strings.Join(s, ";")
}

func sameFacility(a, b Row) bool {
	return strings.EqualFold(a.FacilityName, b.FacilityName) &&
		strings.EqualFold(a.SubCounty, b.SubCounty) && strings.EqualFold(a.County, b.County)
}

// facility describes a row's facility columns for a message: name, sub-county
// and county.
func facility(r Row) string {
	return fmt.Sprintf("%q (%s, %s)", r.FacilityName, r.SubCounty, r.County)
}
