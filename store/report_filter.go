package store

import "time"

// ReportFilter narrows a report inside a scope: to one facility, to the
// members of one group, and to a period of the report's own dates (an
// assessment's finishing, a lesson's completion, a visit's, a
// calculation's). Its zero value narrows nothing.
type ReportFilter struct {
	Facility string    // a facility's code; "" for every facility
	Group    int64     // a group's id; 0 for every nurse
	From, To time.Time // from From (inclusive) to To (exclusive); zero for no bound
}

// binds returns the binds of a report statement's conditions on the rows of
// workers w at facilities f inside the scope and the filter, written out in
// full as
//
//	(? OR f.sub_county IN (?))
//	AND (? = '' OR f.code = ?)
//	AND (? = 0 OR w.id IN (SELECT gm.worker_id FROM group_members gm WHERE gm.group_id = ?))
//
// each condition off when its first bind says so.
func (fl ReportFilter) binds(sc Scope) []any {
	admin, subCounties := sc.inArgs()
	return []any{admin, subCounties, fl.Facility, fl.Facility, fl.Group, fl.Group}
}

// periodBinds returns the binds of a report statement's period on its own
// dated column col, written out in full as
//
//	(? OR col >= ?) AND (? OR col < ?)
//
// each bound off when its first bind is true.
func (fl ReportFilter) periodBinds() []any {
	return []any{fl.From.IsZero(), fl.From.UTC(), fl.To.IsZero(), fl.To.UTC()}
}
