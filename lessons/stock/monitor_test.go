package stock

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDropout(t *testing.T) {
	tests := []struct {
		name string
		in   DropoutInput
		want DropoutResult
	}{
		{"good access and use", DropoutInput{FirstDose: 450, LaterDose: 420, TargetPopulation: 500, Months: 12},
			DropoutResult{Dropout: valid(30.0 / 450), PeriodTarget: 500, FirstDoseCoverage: valid(0.9), Status: code(CodeGood)}},
		{"utilisation problem", DropoutInput{FirstDose: 45, LaterDose: 36, TargetPopulation: 600, Months: 1},
			DropoutResult{Dropout: valid(0.2), PeriodTarget: 50, FirstDoseCoverage: valid(0.9), Status: code(CodeUtilisation)}},
		{"access problem", DropoutInput{FirstDose: 105, LaterDose: 100, TargetPopulation: 600, Months: 3},
			DropoutResult{Dropout: valid(5.0 / 105), PeriodTarget: 150, FirstDoseCoverage: valid(0.7), Status: code(CodeAccess)}},
		{"both", DropoutInput{FirstDose: 100, LaterDose: 80, TargetPopulation: 200, Months: 12},
			DropoutResult{Dropout: valid(0.2), PeriodTarget: 200, FirstDoseCoverage: valid(0.5), Status: code(CodeAccessAndUse)}},
		{"80% coverage, 10% dropout are the edges", DropoutInput{FirstDose: 80, LaterDose: 72, TargetPopulation: 100, Months: 12},
			DropoutResult{Dropout: valid(0.1), PeriodTarget: 100, FirstDoseCoverage: valid(0.8), Status: code(CodeUtilisation)}},
		{"negative year-to-date dropout after March: check the data", DropoutInput{FirstDose: 100, LaterDose: 110, TargetPopulation: 120, Months: 12},
			DropoutResult{Dropout: valid(-0.1), PeriodTarget: 120, FirstDoseCoverage: valid(100.0 / 120), Status: code(CodeDataError)}},
		{"negative year-to-date dropout in March: expected", DropoutInput{FirstDose: 30, LaterDose: 33, TargetPopulation: 120, Months: 3},
			DropoutResult{Dropout: valid(-0.1), PeriodTarget: 30, FirstDoseCoverage: valid(1), Status: code(CodeOK)}},
		{"domain example: YTD 120, 100", DropoutInput{FirstDose: 120, LaterDose: 100, TargetPopulation: 480, Months: 3},
			DropoutResult{Dropout: valid(20.0 / 120), PeriodTarget: 120, FirstDoseCoverage: valid(1), Status: code(CodeUtilisation)}},
		{"domain example: March 35, 41 is not a data error", DropoutInput{FirstDose: 35, LaterDose: 41, TargetPopulation: 480, Months: 1, Monthly: true},
			DropoutResult{Dropout: valid(-6.0 / 35), PeriodTarget: 40, FirstDoseCoverage: valid(35.0 / 40), Status: code(CodeOK)}},
		{"coverage above 100%", DropoutInput{FirstDose: 130, LaterDose: 125, TargetPopulation: 100, Months: 12},
			DropoutResult{Dropout: valid(5.0 / 130), PeriodTarget: 100, FirstDoseCoverage: valid(1.3), Status: code(CodeDataError)}},
		{"no first doses", DropoutInput{TargetPopulation: 100, Months: 12},
			DropoutResult{PeriodTarget: 100, FirstDoseCoverage: valid(0), Status: code(CodeNA)}},
		{"no target", DropoutInput{FirstDose: 10, LaterDose: 9, Months: 12},
			DropoutResult{Dropout: valid(0.1), Status: code(CodeNA)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Dropout(tt.in)
			if err != nil {
				t.Fatalf("Dropout(%+v) error: %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got, figures); diff != "" {
				t.Errorf("Dropout(%+v) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
	for _, bad := range []struct {
		in    DropoutInput
		field string
	}{
		{DropoutInput{FirstDose: -1, Months: 1}, "first_dose"},
		{DropoutInput{FirstDose: 1, Months: 0}, "months"},
		{DropoutInput{FirstDose: 1, Months: 13}, "months"},
		{DropoutInput{FirstDose: 1, Months: 3, Monthly: true}, "months"},
	} {
		if _, err := Dropout(bad.in); fieldOf(err) != bad.field {
			t.Errorf("Dropout(%+v) error = %v, want field %q", bad.in, err, bad.field)
		}
	}
}

func TestCoverage(t *testing.T) {
	tests := []struct {
		name string
		in   CoverageInput
		want CoverageResult
	}{
		{"on target", CoverageInput{DosesThisMonth: 45, DosesToDate: 135, TargetPopulation: 600, MonthsSoFar: 3, CoverageTarget: 0.9},
			CoverageResult{MonthlyTarget: 50, Monthly: valid(0.9), ToDate: valid(0.9), Status: code(CodeOnTarget)}},
		{"below target", CoverageInput{DosesThisMonth: 40, DosesToDate: 120, TargetPopulation: 600, MonthsSoFar: 3, CoverageTarget: 0.9},
			CoverageResult{MonthlyTarget: 50, Monthly: valid(0.8), ToDate: valid(0.8), Status: code(CodeBelowTarget)}},
		{"no target to compare", CoverageInput{DosesThisMonth: 40, DosesToDate: 40, TargetPopulation: 600, MonthsSoFar: 1},
			CoverageResult{MonthlyTarget: 50, Monthly: valid(0.8), ToDate: valid(0.8), Status: code(CodeOK)}},
		{"above 100% is a data error", CoverageInput{DosesThisMonth: 60, DosesToDate: 100, TargetPopulation: 600, MonthsSoFar: 2},
			CoverageResult{MonthlyTarget: 50, Monthly: valid(1.2), ToDate: valid(1), Status: code(CodeDataError)}},
		{"no target population is N/A", CoverageInput{DosesThisMonth: 5, DosesToDate: 5, MonthsSoFar: 1},
			CoverageResult{Status: code(CodeNA)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Coverage(tt.in)
			if err != nil {
				t.Fatalf("Coverage(%+v) error: %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got, figures); diff != "" {
				t.Errorf("Coverage(%+v) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
	in := CoverageInput{DosesThisMonth: 50, DosesToDate: 40, TargetPopulation: 600, MonthsSoFar: 2}
	if _, err := Coverage(in); fieldOf(err) != "doses_to_date" {
		t.Errorf("Coverage(%+v) error = %v, want field doses_to_date", in, err)
	}
}
