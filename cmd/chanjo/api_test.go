package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chanjo-health/chanjo/lessons"
	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

func post(h http.Handler, token, path, body string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("POST", path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	h.ServeHTTP(rec, req)
	return rec
}

func TestCalculatorAPIStoresForAWorker(t *testing.T) {
	a, _ := testApp(t, nil)
	ctx := context.Background()
	if _, err := a.db.Register(ctx, store.Registration{Phone: "+254712000001", Name: "Wanjiku", FacilityCode: "12345", Language: "sw", Active: true}); err != nil {
		t.Fatal(err)
	}
	h, token := a.router(), apiToken(t, a)
	cases := []struct {
		body   string
		status int
		stored int
	}{
		{`{"vaccine": "penta", "stock_on_hand": 180, "amc": 120}`, http.StatusOK, 0},
		{`{"vaccine": "penta", "stock_on_hand": 180, "amc": 120, "phone": "0712000001"}`, http.StatusOK, 1},
		{`{"vaccine": "penta", "stock_on_hand": 180, "amc": 120, "phone": "0799999999"}`, http.StatusUnprocessableEntity, 1},
	}
	for _, c := range cases {
		rec := post(h, token, "/api/v1/calculators/months-of-stock", c.body)
		var n int
		for _, c := range storetest.Calculations(t, a.db) {
			if c.Status == "above_maximum" && c.Vaccine == "penta" && c.FacilityID.Valid {
				n++
			}
		}
		if rec.Code != c.status || n != c.stored {
			t.Errorf("POST months-of-stock %s = %d (%s), %d stored; want %d, %d stored", c.body, rec.Code, rec.Body, n, c.status, c.stored)
		}
	}
}

func TestStockPolicyComesFromContentDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, lessons.Embedded()); err != nil {
		t.Fatal(err)
	}
	settings := filepath.Join(dir, "settings.yaml")
	b, err := os.ReadFile(settings)
	if err != nil {
		t.Fatal(err)
	}
	b = []byte(strings.Replace(string(b), "supply_months: 1,", "supply_months: 2,", 1))
	if err := os.WriteFile(settings, b, 0o644); err != nil {
		t.Fatal(err)
	}
	a, _ := testApp(t, map[string]string{"CONTENT_DIR": dir})
	rec := post(a.router(), apiToken(t, a), "/api/v1/calculators/stock-levels", `{"vaccine": "penta", "amc": 120}`)
	var got struct {
		Values struct {
			PeriodNeed float64 `json:"period_need"`
		} `json:"values"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || got.Values.PeriodNeed != 240 {
		t.Errorf("stock-levels {amc: 120} with supply_months 2 in CONTENT_DIR = %s, want period_need 240", rec.Body)
	}
}

func TestBrokenContentDirStopsStartUp(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "settings.yaml"), []byte("topics: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := loadConfig(envOf(map[string]string{"CONTENT_DIR": dir, "DATABASE_URL": filepath.Join(t.TempDir(), "c.db")}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = newApp(context.Background(), cfg, nil, nil)
	if err == nil || !strings.HasPrefix(err.Error(), "CONTENT_DIR: ") || strings.Contains(err.Error(), "\n") {
		t.Errorf("newApp(broken CONTENT_DIR) = %v, want one line starting CONTENT_DIR", err)
	}
}
