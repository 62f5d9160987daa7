package admin

import (
	"bytes"
	"errors"
	"html"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

const rosterHeader = "name,phone,role,language,facility_code,facility_name,sub_county,county"

// uploadRequest is a multipart form post of body as the file "roster.csv",
// with the CSRF token (none when "").
func uploadRequest(t *testing.T, path, csrf, body string) *http.Request {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if csrf != "" {
		mw.WriteField("csrf", csrf)
	}
	fw, err := mw.CreateFormFile("file", "roster.csv")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write([]byte(body))
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return req
}

// mflCodes gives the fixture's facilities codes a roster accepts (Kenya
// MFL codes are digits): 10000 in Kibra, 20000 in Embakasi.
func mflCodes(h *harness) {
	h.t.Helper()
	storetest.Recode(h.t, h.db, "F-Kibra", "10000")
	storetest.Recode(h.t, h.db, "F-Embakasi", "20000")
}

// TestImportRosterReportsBadRows: a supervisor's upload applies the good
// rows and reports every bad one with its line: a malformed row, a row of
// another sub-county, a row that would move Embakasi's nurse or facility.
func TestImportRosterReportsBadRows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		p := peopleFixture(h)
		mflCodes(h)
		b, csrf := h.loggedIn("wanjiru")
		file := strings.Join([]string{
			rosterHeader,
			"Neema,0711000099,nurse,sw,10000,Kibra Health Centre,Kibra,Nairobi",
			"Otieno,0711000098,nurse,en,20002,Embakasi Dispensary,Embakasi,Nairobi",
			"Pendo,12345,nurse,en,10000,Kibra Health Centre,Kibra,Nairobi",
			"Chebet,0711000021,nurse,en,10000,Kibra Health Centre,Kibra,Nairobi",
			"Rehema,0711000097,nurse,en,20000,Embakasi Health Centre,Kibra,Nairobi",
			"Sifa,0711000096,mentor,en,10000,Kibra Health Centre,Kibra,Nairobi",
		}, "\n") + "\n"
		rec := b.do(uploadRequest(t, "/admin/nurses/import", csrf, file))
		page := html.UnescapeString(rec.Body.String())
		if rec.Code != http.StatusOK || !strings.Contains(page, "2 rows applied: 2 nurses created") || !strings.Contains(page, "<strong>4</strong> rows refused") {
			t.Fatalf("import = %d, want 200 with 2 applied and 4 refused:\n%s", rec.Code, page)
		}
		for line, reason := range map[string]string{
			"3": "sub-county Embakasi is not yours",
			"4": "phone",
			"5": "phone +254711000021 is enrolled in sub-county Embakasi, which is not yours",
			"6": "facility 20000 is in sub-county Embakasi, which is not yours",
		} {
			if want := `<td data-label="Line" class="num">` + line + `</td><td data-label="Reason">` + reason; !strings.Contains(page, want) {
				t.Errorf("import report lacks line %s: %q:\n%s", line, reason, page)
			}
		}
		var names []string
		for _, p := range []string{"+254711000099", "+254711000096", "+254711000098", "+254711000097"} {
			if w, err := db.WorkerByPhone(t.Context(), p); err == nil {
				names = append(names, w.Name)
			} else if !errors.Is(err, store.ErrNotFound) {
				t.Fatal(err)
			}
		}
		slices.Sort(names)
		if diff := cmp.Diff([]string{"Neema", "Sifa"}, names); diff != "" {
			t.Errorf("workers imported (-want +got):\n%s", diff)
		}
		if w := h.workerRow(p.theirNurse); w.SubCounty != "Embakasi" || w.Name != "Chebet" {
			t.Errorf("Embakasi's nurse after the import = %s of %s, want Chebet of Embakasi", w.Name, w.SubCounty)
		}
		if sc := storetest.FacilitySubCounty(t, db, "20000"); sc != "Embakasi" {
			t.Errorf("facility 20000 is in %q, want Embakasi", sc)
		}
		if n := h.audits("roster.import"); n != 1 {
			t.Errorf("audit rows roster.import = %d, want 1", n)
		}
	})
}

// TestImportRosterAdmin: an administrator imports every sub-county; a bad
// header rejects the file.
func TestImportRosterAdmin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		peopleFixture(h)
		mflCodes(h)
		b, csrf := h.loggedIn("root")
		file := rosterHeader + "\nOtieno,0711000098,nurse,en,20002,Embakasi Dispensary,Embakasi,Nairobi\n"
		if rec := b.do(uploadRequest(t, "/admin/nurses/import", csrf, file)); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "1 rows applied") {
			t.Errorf("admin import = %d, want 200 with 1 row applied:\n%s", rec.Code, rec.Body)
		}
		rec := b.do(uploadRequest(t, "/admin/nurses/import", csrf, "name,phone,colour\nA,0711000090,red\n"))
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `<td data-label="Line" class="num">1</td>`) {
			t.Errorf("import with a bad header = %d, want 422 with line 1:\n%s", rec.Code, rec.Body)
		}
		if rec := b.get("/admin/nurses/import"); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `enctype="multipart/form-data"`) {
			t.Errorf("GET /admin/nurses/import = %d, want the upload form", rec.Code)
		}
	})
}
