package roster_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/roster"
	"github.com/chanjo-health/chanjo/roster/rostertest"
)

const header = "name,phone,role,language,facility_code,facility_name,sub_county,county,mentor_phone,group\n"

// good rows: a mentor and her nurse at Kithimani.
const (
	mentorRow = "Mary Mentor,0711000001,mentor,en,13023,Kithimani Dispensary,Yatta,Machakos,,Cohort A\n"
	nurseRow  = "Jane Nurse,0711000002,nurse,sw,13023,Kithimani Dispensary,Yatta,Machakos,0711000001,Cohort A\n"
)

func TestParseProblems(t *testing.T) {
	tests := []struct {
		name string
		file string
		want []roster.Problem
	}{
		{"empty file", "", []roster.Problem{{1, "the file is empty: it needs a header row (name,phone,role,language,facility_code,facility_name,sub_county,county)"}}},
		{"unknown column", strings.Replace(header, "group", "cadre", 1), []roster.Problem{{1, `unknown column "cadre" (the columns are name, phone, role, language, facility_code, facility_name, sub_county, county, and optionally mentor_phone, group, channel)`}}},
		{"missing columns", "name,phone,role,language,facility_code\n", []roster.Problem{{1, "missing column(s): facility_name, sub_county, county"}}},
		{"column twice", "Name,NAME\n", []roster.Problem{{1, `column "name" appears twice`}}},
		{"column without a name", strings.TrimSuffix(header, "\n") + ",\n", []roster.Problem{{1, "column 11 has no name (delete the empty column)"}}},
		{"empty name", header + ",0711000003,nurse,en,13023,Kithimani Dispensary,Yatta,Machakos,,\n", []roster.Problem{{2, "name is empty"}}},
		{"bad phone", header + "Ann,0811000003,nurse,en,13023,Kithimani Dispensary,Yatta,Machakos,,\n", []roster.Problem{{2, `phone "0811000003" is not a Kenyan phone number (use 07..., 01..., 2547... or +2547...)`}}},
		{"empty phone", header + "Ann,,nurse,en,13023,Kithimani Dispensary,Yatta,Machakos,,\n", []roster.Problem{{2, "phone is empty"}}},
		{"unknown role", header + "Ann,0711000003,supervisor,en,13023,Kithimani Dispensary,Yatta,Machakos,,\n", []roster.Problem{{2, `role "supervisor" is not nurse or mentor`}}},
		{"bad language", header + "Ann,0711000003,nurse,English,13023,Kithimani Dispensary,Yatta,Machakos,,\n", []roster.Problem{{2, `language "english" is not en or sw`}}},
		{"bad facility code", header + "Ann,0711000003,nurse,en,13O23,Kithimani Dispensary,Yatta,Machakos,,\n", []roster.Problem{{2, `facility_code "13O23" is not a Kenya MFL code (digits only)`}}},
		{"empty facility columns", header + "Ann,0711000003,nurse,en,13023,,,,,\n", []roster.Problem{{2, "facility_name is empty; sub_county is empty; county is empty"}}},
		{"every mistake of a row at once", header + ",x,x,x,x,F,S,C,,\n", []roster.Problem{{2, `name is empty; phone "x" is not a Kenyan phone number (use 07..., 01..., 2547... or +2547...); role "x" is not nurse or mentor; language "x" is not en or sw; facility_code "x" is not a Kenya MFL code (digits only)`}}},
		{"too long", header + strings.Repeat("n", 101) + ",0711000003,nurse,en,13023,Kithimani Dispensary,Yatta,Machakos,,\n", []roster.Problem{{2, "name is longer than 100 characters"}}},
		{"too few fields", header + "Ann,0711000003,nurse\n", []roster.Problem{{2, "has 3 fields, the header has 10 (a comma inside a field needs quotes)"}}},
		{"too many fields", header + "Ann, Nurse,0711000003,nurse,en,13023,Kithimani Dispensary,Yatta,Machakos,,\n", []roster.Problem{{2, "has 11 fields, the header has 10 (a comma inside a field needs quotes)"}}},
		{"bare quote", header + `Ann "Nana" Otieno,0711000003,nurse,en,13023,Kithimani Dispensary,Yatta,Machakos,,` + "\n" + mentorRow, []roster.Problem{{2, `bad quoting: a field with a quote (") must be enclosed in quotes, and quotes inside it doubled ("")`}}},
		{"bad mentor phone", header + mentorRow + "Ann,0711000003,nurse,en,13023,Kithimani Dispensary,Yatta,Machakos,07110,\n", []roster.Problem{{3, `mentor_phone "07110" is not a Kenyan phone number (use 07..., 01..., 2547... or +2547...)`}}},
		{"own mentor", header + "Ann,0711000003,mentor,en,13023,Kithimani Dispensary,Yatta,Machakos,+254711000003,\n", []roster.Problem{{2, "mentor_phone is the row's own phone: a worker cannot mentor herself"}}},
		{"mentor is a nurse", header + nurseRow + "Ann,0711000003,nurse,en,13023,Kithimani Dispensary,Yatta,Machakos,0711000002,\n",
			[]roster.Problem{{3, "mentor_phone +254711000002 is a nurse on line 2, not a mentor"}}},
		{"mentor rejected", header + strings.Replace(mentorRow, ",en,", ",fr,", 1) + nurseRow,
			[]roster.Problem{{2, `language "fr" is not en or sw`}, {3, "mentor_phone +254711000001 is the worker on line 2, which is rejected"}}},
		{"mentor rejected for her own mentor, then her nurse", header + nurseRow + mentorRow[:len(mentorRow)-10] + "0711000002,Cohort A\n",
			[]roster.Problem{{2, "mentor_phone +254711000001 is the worker on line 3, which is rejected"}, {3, "mentor_phone +254711000002 is a nurse on line 2, not a mentor"}}},
		{"phone repeated with other data", header + mentorRow + strings.Replace(mentorRow, ",en,", ",sw,", 1),
			[]roster.Problem{{3, "phone +254711000001 is also on line 2 with a different language"}}},
		{"facility with two names", header + mentorRow + "Ann,0711000003,nurse,en,13023,Kithimani Health Centre,Yatta,Machakos,,\n",
			[]roster.Problem{{3, `facility_code 13023 is "Kithimani Dispensary" (Yatta, Machakos) on line 2, but "Kithimani Health Centre" (Yatta, Machakos) here`}}},
		{"line numbers count the lines of quoted fields", header + "\"Mary\nMentor\",0711000001,mentor,en,13023,Kithimani Dispensary,Yatta,Machakos,,\n\nAnn,07,nurse,en,13023,Kithimani Dispensary,Yatta,Machakos,,\n",
			[]roster.Problem{{5, `phone "07" is not a Kenyan phone number (use 07..., 01..., 2547... or +2547...)`}}},
		{"good rows", header + mentorRow + nurseRow, nil},
		{"a phone repeated as written before is fine", header + mentorRow + strings.Replace(mentorRow, "Mary Mentor", "MARY MENTOR", 1), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got := roster.Parse(strings.NewReader(tt.file), shipped)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse(%q) problems (-want +got):\n%s", tt.file, diff)
			}
		})
	}
}

// TestParseNormalises reads what spreadsheet programs and people write: a
// byte order mark, CRLF, header names in any case and order, spaces, phones
// in every common form, groups separated by semicolons.
func TestParseNormalises(t *testing.T) {
	file := "\uFEFF Phone ,County,Sub County,Facility-Code,Facility_Name,LANGUAGE,Role,Name,Group,Mentor_Phone\r\n" +
		"+254 711 000 001,Machakos,Yatta, 13023 ,Kithimani  Dispensary,EN,Mentor,  Mary   Mentor ,,\r\n" +
		"254711000002,Machakos,Yatta,13023,Kithimani Dispensary,sw,nurse,Jane Nurse,Cohort A; Yatta ;;cohort a,0711000001\r\n" +
		"711000003,Machakos,Yatta,13023,Kithimani Dispensary,sw,nurse,Ann,,\r\n"
	rows, problems := roster.Parse(strings.NewReader(file), shipped)
	if len(problems) > 0 {
		t.Fatalf("Parse problems = %v, want none", problems)
	}
	fac := roster.Row{Language: "sw", Role: "nurse", FacilityCode: "13023", FacilityName: "Kithimani Dispensary", SubCounty: "Yatta", County: "Machakos"}
	mary, jane, ann := fac, fac, fac
	mary.Line, mary.Name, mary.Phone, mary.Role, mary.Language, mary.FacilityName = 2, "Mary Mentor", "+254711000001", "mentor", "en", "Kithimani Dispensary"
	jane.Line, jane.Name, jane.Phone, jane.MentorPhone, jane.Groups = 3, "Jane Nurse", "+254711000002", "+254711000001", []string{"Cohort A", "Yatta"}
	ann.Line, ann.Name, ann.Phone = 4, "Ann", "+254711000003"
	if diff := cmp.Diff([]roster.Row{mary, jane, ann}, rows); diff != "" {
		t.Errorf("Parse rows (-want +got):\n%s", diff)
	}
}

func TestParseWithoutOptionalColumns(t *testing.T) {
	file := "name,phone,role,language,facility_code,facility_name,sub_county,county\nAnn,0711000003,nurse,en,13023,K,Y,M\n"
	rows, problems := roster.Parse(strings.NewReader(file), shipped)
	if len(problems) > 0 || len(rows) != 1 || rows[0].MentorPhone != "" || rows[0].Groups != nil {
		t.Errorf("Parse(no optional columns) = %+v, %v, want one row without mentor or groups", rows, problems)
	}
}

// TestParseGenerated checks the generated roster the acceptance tests use:
// each bad row is reported at its line (the unknown mentor is the store's to
// find, not the file's).
func TestParseGenerated(t *testing.T) {
	file, bad := rostertest.Generate(480)
	rows, problems := roster.Parse(bytes.NewReader(file), shipped)
	if len(rows) != 481 || len(problems) != len(bad)-1 {
		t.Fatalf("Parse(generated) = %d rows, %d problems, want 481 and %d", len(rows), len(problems), len(bad)-1)
	}
	i := 0
	for _, b := range bad {
		if strings.Contains(b.Reason, "already enrolled") {
			continue
		}
		if problems[i].Line != b.Line || !strings.Contains(problems[i].Reason, b.Reason) {
			t.Errorf("problem %d = %+v, want line %d with %q", i, problems[i], b.Line, b.Reason)
		}
		i++
	}
}

func BenchmarkParse10000(b *testing.B) {
	file, _ := rostertest.Generate(10000)
	b.SetBytes(int64(len(file)))
	for b.Loop() {
		roster.Parse(bytes.NewReader(file), shipped)
	}
}

// shipped are the languages of the shipped content pack.
var shipped = []string{"en", "sw"}

// TestParseLanguagesOfThePack: a language is whatever the pack declares, so
// a pack with Kikamba takes kam rows and one without refuses them.
func TestParseLanguagesOfThePack(t *testing.T) {
	file := "name,phone,role,language,facility_code,facility_name,sub_county,county\nMwende,0711000003,nurse,KAM,13023,K,Y,M\n"
	if rows, problems := roster.Parse(strings.NewReader(file), []string{"en", "sw", "kam"}); len(problems) > 0 || len(rows) != 1 || rows[0].Language != "kam" {
		t.Errorf("Parse(kam row, pack with kam) = %+v, %v, want the row in kam", rows, problems)
	}
	want := []roster.Problem{{2, `language "kam" is not en or sw`}}
	if _, problems := roster.Parse(strings.NewReader(file), shipped); !cmp.Equal(problems, want) {
		t.Errorf("Parse(kam row, shipped pack) problems = %v, want %v", problems, want)
	}
}
