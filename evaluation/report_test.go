package evaluation

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// thirtyNurses are 30 nurses at two facilities who took the baseline (3 of
// 8 stock items right); nurses 1 to 24 took the endline with known
// changes in items: 12 nurses +2, 6 nurses +1, 4 no change, 2 nurses -1.
// Nurses 25 to 30 did not take it. Slot k is right when k < items right.
func thirtyNurses() ([]Score, []Answer) {
	var scores []Score
	var answers []Answer
	change := func(id int) int {
		switch {
		case id <= 12:
			return 2
		case id <= 18:
			return 1
		case id <= 22:
			return 0
		}
		return -1
	}
	for id := 1; id <= 30; id++ {
		n := Nurse{Worker: int64(id), FacilityCode: "F1", FacilityName: "Kibra HC", SubCounty: "Kibra"}
		if id > 15 {
			n = Nurse{Worker: int64(id), FacilityCode: "F2", FacilityName: "Embakasi HC", SubCounty: "Embakasi"}
		}
		right := map[string]int{Baseline: 3}
		if id <= 24 {
			right[Endline] = 3 + change(id)
		}
		for form, r := range right {
			scores = append(scores, Score{Nurse: n, Form: form, Topic: "stock", Pct: 100 * float64(r) / 8})
			for slot := range 8 {
				answers = append(answers, Answer{Worker: int64(id), Form: form, Topic: "stock", Slot: slot, Correct: slot < r})
			}
		}
	}
	return scores, answers
}

// TestReportThirtyNurses is must-show 4: the report's mean change, 95%
// confidence interval and p-value match a reference computed here by hand
// and by numerical integration, and only nurses who took both forms count.
func TestReportThirtyNurses(t *testing.T) {
	scores, answers := thirtyNurses()
	got := Build(scores, answers, []string{"recording", "stock", "recording"})
	var all, f2, mid *Comparison
	for i, c := range got {
		switch {
		case c.Group.Level == LevelAll && c.Later == Endline:
			all = &got[i]
		case c.Group.Code == "F2" && c.Later == Endline:
			f2 = &got[i]
		case c.Group.Level == LevelAll && c.Later == Midline:
			mid = &got[i]
		}
	}
	if all == nil || f2 == nil || mid == nil {
		t.Fatalf("Build = %+v, want comparisons for all nurses and F2", got)
	}
	// By hand, in percentage points (one item = 12.5): the changes are
	// 12 x 25, 6 x 12.5, 4 x 0, 2 x -12.5; sum 350, n 24, sum of squares 8,750.
	mean := 350.0 / 24                          // 14.5833
	sd := math.Sqrt((8750 - 24*mean*mean) / 23) // 12.5903
	se := sd / math.Sqrt(24)                    // 2.5700
	tStat := mean / se                          // 5.6745
	const tCrit = 2.0686576                     // t(0.975, 23); printed tables: 2.069
	pRef := simpsonTail(tStat, 23)              // 8.898e-6
	if !near(mean, 14.5833, 1e-4) || !near(sd, 12.5903, 1e-4) || !near(tStat, 5.6745, 1e-4) || !near(pRef, 8.898e-6, 1e-9) {
		t.Fatalf("reference: mean %v, sd %v, t %v, p %v; the hand figures disagree", mean, sd, tStat, pRef)
	}
	c := all.Change
	checks := []struct {
		name      string
		got, want float64
		tol       float64
	}{
		{"mean change", c.Mean, mean, 1e-9},
		{"sd", c.SD, sd, 1e-9},
		{"CI low", c.Low, mean - tCrit*se, 1e-5},   // 9.2669
		{"CI high", c.High, mean + tCrit*se, 1e-5}, // 19.8997
		{"t", c.T, tStat, 1e-9},
		{"p", c.P, pRef, 1e-10},
		{"baseline mean", all.BaselineMean, 37.5, 1e-9},
		{"endline mean", all.LaterMean, 37.5 + mean, 1e-9},
	}
	for _, ck := range checks {
		if !near(ck.got, ck.want, ck.tol) {
			t.Errorf("all nurses, %s = %.8g, want %.8g", ck.name, ck.got, ck.want)
		}
	}
	counts := []int{all.Paired, all.Lost, all.Unpaired, all.Improved, all.Stayed, all.Declined}
	if d := cmp.Diff([]int{24, 6, 0, 18, 4, 2}, counts); d != "" {
		t.Errorf("all nurses: paired, lost, unpaired, improved, stayed, declined (-want +got):\n%s", d)
	}
	if all.Share(all.Improved) != 75 {
		t.Errorf("all nurses: improved %v%%, want 75%%", all.Share(all.Improved))
	}
	wantItems := []Item{
		{Slot: 0, Paired: 24, P: 1}, {Slot: 1, Paired: 24, P: 1},
		{Slot: 2, Paired: 24, RightToWrong: 2, P: 0.5},
		{Slot: 3, Paired: 24, WrongToRight: 18, P: 2 * math.Pow(0.5, 18)},
		{Slot: 4, Paired: 24, WrongToRight: 12, P: 2 * math.Pow(0.5, 12)},
		{Slot: 5, Paired: 24, P: 1}, {Slot: 6, Paired: 24, P: 1}, {Slot: 7, Paired: 24, P: 1},
	}
	if d := cmp.Diff(wantItems, all.Items, cmpopts.EquateApprox(1e-12, 0)); d != "" {
		t.Errorf("all nurses: McNemar per item (-want +got):\n%s", d)
	}
	// F2 (nurses 16 to 30): 16-18 +12.5, 19-22 0, 23-24 -12.5; 25-30 lost.
	if f2.Paired != 9 || f2.Lost != 6 || !near(f2.Change.Mean, (3*12.5-2*12.5)/9, 1e-9) || f2.Group.Name != "Embakasi HC" {
		t.Errorf("F2: %+v, want 9 paired, 6 lost, mean 1.389", f2)
	}
	if mid.Paired != 0 || mid.Lost != 30 || mid.Change.Valid {
		t.Errorf("midline: %+v, want nobody paired and 30 lost", mid)
	}
	if len(got) != 5*2 {
		t.Errorf("Build = %d comparisons, want 10: 5 groups x 2 later forms in the one gap with a baseline", len(got))
	}
	var order []string
	for _, c := range got {
		if c.Later == Endline {
			order = append(order, c.Group.Level+":"+c.Group.Code)
		}
	}
	if d := cmp.Diff([]string{"all:", "sub_county:Embakasi", "sub_county:Kibra", "facility:F2", "facility:F1"}, order); d != "" {
		t.Errorf("groups (-want +got):\n%s", d)
	}
}
