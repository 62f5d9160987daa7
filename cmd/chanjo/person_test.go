package main

import (
	"archive/zip"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chanjo-health/chanjo/store"
)

func TestPersonExportAndErase(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "chanjo.db")
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Register(ctx, store.Registration{Phone: "+254711000001", Name: "Wanjiru Kamau", FacilityCode: "12345", Language: "sw"}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	jsonFile, zipFile := filepath.Join(dir, "her.json"), filepath.Join(dir, "her.zip")
	steps := []struct {
		args    []string
		wantErr string
		wantOut string
	}{
		{[]string{"person", "export", "--phone", "0711000001", jsonFile}, "", "written to"},
		{[]string{"person", "export", "--phone", "0711000001", "--format", "csv", zipFile}, "", "written to"},
		{[]string{"person", "export", "--phone", "0711000001", "--format", "xml", zipFile}, "--format", ""},
		{[]string{"person", "erase", "--phone", "0711000001"}, "add --yes", ""},
		{[]string{"person", "erase", "--phone", "0711000001", "--yes"}, "", "now erased-1"},
		{[]string{"person", "export", "--phone", "0711000001", jsonFile + "2"}, "no health worker", ""},
	}
	for _, s := range steps {
		e, out, errs := cliEnv(path, "")
		err := run(ctx, e, s.args)
		if s.wantErr != "" {
			// A usage error says what is wrong on stderr, a failure in err.
			if err == nil || !strings.Contains(err.Error()+errs.String(), s.wantErr) {
				t.Errorf("%v: error %v, want one with %q", s.args, err, s.wantErr)
			}
			continue
		}
		if err != nil || !strings.Contains(out.String(), s.wantOut) {
			t.Errorf("%v = %q, %v; want %q", s.args, out.String(), err, s.wantOut)
		}
		if strings.Contains(out.String(), "711000001") || strings.Contains(out.String(), "Wanjiru") {
			t.Errorf("%v printed her number or name: %q", s.args, out.String())
		}
	}

	var data store.PersonData
	b, err := os.ReadFile(jsonFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &data); err != nil {
		t.Fatal(err)
	}
	if len(data.Tables) == 0 || data.Tables[0].Name != "workers" || len(data.Tables[0].Rows) != 1 ||
		!strings.Contains(string(b), "Wanjiru Kamau") {
		t.Errorf("JSON export = %s, want her worker row", b)
	}
	z, err := zip.OpenReader(zipFile)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	if len(z.File) != len(data.Tables) || z.File[0].Name != "workers.csv" {
		t.Errorf("CSV export holds %d files starting %q, want one per table starting workers.csv", len(z.File), z.File[0].Name)
	}
}
