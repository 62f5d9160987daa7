package store

import "slices"

// Scope is what a console user or API token may see and change: everything
// for an admin, the facilities of her sub-counties for a supervisor.
type Scope struct {
	Admin       bool
	SubCounties []string
}

// Allows reports whether a facility of the sub-county is inside the scope.
func (s Scope) Allows(subCounty string) bool {
	return s.Admin || slices.Contains(s.SubCounties, subCounty)
}

// none reports whether the scope holds no sub-county: a supervisor without
// one sees nothing, so a scoped read returns nothing without asking the
// database.
func (s Scope) none() bool { return !s.Admin && len(s.SubCounties) == 0 }

// inArgs returns the two binds of a statement's scope condition, written out
// in full as "(? OR col IN (?))": whether the scope is an admin's, and its
// sub-counties for db.in to expand. An admin's list is a stand-in the OR
// never needs; a supervisor without a sub-county gets a NULL, which no
// column equals, so she sees nothing (callers may return nothing earlier,
// without asking the database, after none).
func (s Scope) inArgs() (bool, []any) {
	switch {
	case s.Admin:
		return true, []any{""}
	case len(s.SubCounties) == 0:
		return false, []any{nil}
	}
	list := make([]any, len(s.SubCounties))
	for i, c := range s.SubCounties {
		list[i] = c
	}
	return false, list
}
