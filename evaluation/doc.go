// Package evaluation measures the programme's claim of improvement: the same
// nurses' change in each gap from the baseline assessment to a later one
// (docs/api.md "Reports", docs/domain.md section 8). It pairs each nurse's
// scores, summarises the changes (mean, 95% confidence interval, paired
// t-test, shares improved, stayed and declined, McNemar per item) overall,
// by sub-county and by facility, and counts the nurses lost. It is pure
// arithmetic on what the store reads: no SQL, no HTTP.
package evaluation
