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

// where returns the SQL condition that keeps the rows of workers w at
// facilities f inside sc and the filter, dated by the column period ("" for
// rows the period does not apply to), and its arguments.
func (fl ReportFilter) where(sc Scope, period string) (string, []any) {
	where, args := sc.clause("f.sub_county")
	if fl.Facility != "" {
		where, args = where+" AND f.code = ?", append(args, fl.Facility)
	}
	if fl.Group != 0 {
		where, args = where+" AND w.id IN (SELECT gm.worker_id FROM group_members gm WHERE gm.group_id = ?)", append(args, fl.Group)
	}
	if period != "" && !fl.From.IsZero() {
		where, args = where+" AND "+period+" >= ?", append(args, fl.From.UTC())
	}
	if period != "" && !fl.To.IsZero() {
		where, args = where+" AND "+period+" < ?", append(args, fl.To.UTC())
	}
	return where, args
}
