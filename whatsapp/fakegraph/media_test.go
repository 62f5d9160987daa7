package fakegraph_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chanjo-health/chanjo/whatsapp/cloudapi"
	"github.com/chanjo-health/chanjo/whatsapp/fakegraph"
)

// Media on the fake: an uploaded job aid is looked up for a URL that downloads for 5 minutes and then
// answers 404; a new look-up gives a new URL.
func TestMediaURLExpires(t *testing.T) {
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	fake := fakegraph.New(fakegraph.Config{PhoneNumberID: "PNID", Token: "T", AppSecret: "s"})
	defer fake.Close()
	fake.SetClock(func() time.Time { return now })
	client := cloudapi.New(cloudapi.Config{BaseURL: fake.URL(), PhoneNumberID: "PNID", Token: "T"})
	id, err := client.UploadMedia(context.Background(), "cold-chain.pdf", "application/pdf", strings.NewReader("%PDF job aid"))
	if err != nil || id == "" {
		t.Fatalf("UploadMedia = %q, %v", id, err)
	}
	get := func(url string) (int, []byte) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("Authorization", "Bearer T")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	lookUp := func() string {
		t.Helper()
		code, b := get(fake.URL() + "/v25.0/" + id)
		var m struct{ URL string }
		if code != 200 || json.Unmarshal(b, &m) != nil || m.URL == "" {
			t.Fatalf("GET /%s = %d %s", id, code, b)
		}
		return m.URL
	}
	url := lookUp()
	if code, b := get(url); code != 200 || string(b) != "%PDF job aid" {
		t.Errorf("download at once = %d %q", code, b)
	}
	now = now.Add(fakegraph.MediaURLLife + time.Second)
	if code, _ := get(url); code != http.StatusNotFound {
		t.Errorf("download after 5 minutes = %d, want 404", code)
	}
	if code, _ := get(lookUp()); code != 200 {
		t.Errorf("download of a new look-up = %d, want 200", code)
	}
}
