package admin

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

func (h *harness) pairs() [][2]int64 {
	h.t.Helper()
	return storetest.Pairs(h.t, h.db)
}

func (h *harness) members(group int64) []int64 {
	h.t.Helper()
	return storetest.Members(h.t, h.db, group)
}

// TestGroupsAndPairsForms: a supervisor pairs, unpairs, creates a group,
// adds and removes members; each change is audited.
func TestGroupsAndPairsForms(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		p := peopleFixture(h)
		b, csrf := h.loggedIn("wanjiru")
		steps := []struct {
			name, path string
			form       []string
			status     int
		}{
			{"pair Baraka with Mary", "/admin/pairs", []string{"mentor_id", id(p.myMentor), "mentee_id", id(p.myOther)}, http.StatusSeeOther},
			{"a nurse is no mentor", "/admin/pairs", []string{"mentor_id", id(p.myNurse), "mentee_id", id(p.myOther)}, http.StatusUnprocessableEntity},
			{"unpair Achieng", "/admin/pairs/remove", []string{"mentor_id", id(p.myMentor), "mentee_id", id(p.myNurse)}, http.StatusSeeOther},
			{"unpair twice", "/admin/pairs/remove", []string{"mentor_id", id(p.myMentor), "mentee_id", id(p.myNurse)}, http.StatusNotFound},
			{"add Baraka", "/admin/groups/" + id(p.myGroup) + "/members", []string{"worker_id", id(p.myOther)}, http.StatusSeeOther},
			{"remove Achieng", "/admin/groups/" + id(p.myGroup) + "/members/" + id(p.myNurse) + "/remove", nil, http.StatusSeeOther},
			{"create a group", "/admin/groups", []string{"name", "Night shift", "worker_id", id(p.myNurse)}, http.StatusSeeOther},
			{"a name taken", "/admin/groups", []string{"name", "kibra COHORT", "worker_id", id(p.myNurse)}, http.StatusUnprocessableEntity},
			{"relay on", "/admin/groups/" + id(p.myGroup) + "/relay", []string{"relay", "on"}, http.StatusSeeOther},
			{"relay maybe", "/admin/groups/" + id(p.myGroup) + "/relay", []string{"relay", "maybe"}, http.StatusUnprocessableEntity},
		}
		for _, s := range steps {
			f := form(s.form...)
			f.Set("csrf", csrf)
			if rec := b.post(s.path, f); rec.Code != s.status {
				t.Errorf("%s: POST %s = %d, want %d: %s", s.name, s.path, rec.Code, s.status, rec.Body)
			}
		}
		want := [][2]int64{{p.myMentor, p.myOther}, {p.theirMentor, p.theirNurse}}
		if diff := cmp.Diff(want, h.pairs()); diff != "" {
			t.Errorf("pairs (-want +got):\n%s", diff)
		}
		if got := h.members(p.myGroup); !slices.Equal(got, []int64{p.myMentor, p.myOther}) {
			t.Errorf("members of Kibra cohort = %v, want Mary and Baraka %v", got, []int64{p.myMentor, p.myOther})
		}
		for action, n := range map[string]int{"pair.create": 1, "pair.delete": 1, "group.add": 1, "group.remove": 1, "group.create": 1, "group.relay": 1} {
			if got := h.audits(action); got != n {
				t.Errorf("audit rows %s = %d, want %d", action, got, n)
			}
		}
	})
}

var linkRE = regexp.MustCompile(`href="/admin/groups/(\d+)"`)

// TestGroupsCSVMatchesPage: the exports hold the groups, counts and pairs
// the page shows.
func TestGroupsCSVMatchesPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		p := peopleFixture(h)
		storetest.Group(h.t, h.db, "Empty", h.now)
		for _, who := range []string{"wanjiru", "root"} {
			b, _ := h.loggedIn(who)
			page := b.get("/admin/groups").Body.String()
			var onPage []string
			for _, m := range linkRE.FindAllStringSubmatch(page, -1) {
				onPage = append(onPage, m[1])
			}
			recs := readCSV(t, b.get("/admin/groups.csv").Body.String())
			var inCSV []string
			for _, r := range recs[1:] {
				if !slices.Contains(inCSV, r[0]) {
					inCSV = append(inCSV, r[0])
				}
				if !strings.Contains(page, r[1]+`</a></td>`+"\n"+`<td data-label="Members" class="num">`+r[2]+`<`) {
					t.Errorf("%s: groups.csv row %v: the page does not show %s with %s members", who, r, r[1], r[2])
				}
			}
			if diff := cmp.Diff(onPage, inCSV); diff != "" {
				t.Errorf("%s: groups on the page vs groups.csv (-page +csv):\n%s", who, diff)
			}
			pairs := readCSV(t, b.get("/admin/pairs.csv").Body.String())
			if n := strings.Count(page, "Unpair"); n != len(pairs)-1 {
				t.Errorf("%s: the page shows %d pairs, pairs.csv %d", who, n, len(pairs)-1)
			}
			if !slices.ContainsFunc(pairs, func(r []string) bool { return r[1] == "Mary" && r[4] == "Achieng" && r[3] == id(p.myNurse) }) {
				t.Errorf("%s: pairs.csv = %v, want Mary and Achieng", who, pairs)
			}
		}
	})
}

func readCSV(t *testing.T, body string) [][]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("read CSV %q: %v", body, err)
	}
	return recs
}

// TestAPIGroups: the groups and a group's members, as far as the token's
// scope reaches.
func TestAPIGroups(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		p := peopleFixture(h)
		storetest.Join(h.t, h.db, p.myGroup, p.theirNurse)
		token := h.token(h.userByName("wanjiru"))
		var list struct {
			Groups []groupJSON `json:"groups"`
		}
		rec := h.api("GET", "/api/v1/groups", token, "")
		if err := json.Unmarshal(rec.Body.Bytes(), &list); err != nil || rec.Code != http.StatusOK {
			t.Fatalf("GET /api/v1/groups = %d %s", rec.Code, rec.Body)
		}
		if len(list.Groups) != 1 || list.Groups[0].Name != "Kibra cohort" || list.Groups[0].Members != 2 {
			t.Errorf("GET /api/v1/groups = %+v, want Kibra cohort with its 2 Kibra members", list.Groups)
		}
		var one struct {
			groupJSON
			Workers []workerJSON `json:"workers"`
		}
		rec = h.api("GET", "/api/v1/groups/"+id(p.myGroup), token, "")
		if err := json.Unmarshal(rec.Body.Bytes(), &one); err != nil || rec.Code != http.StatusOK {
			t.Fatalf("GET /api/v1/groups/%d = %d %s", p.myGroup, rec.Code, rec.Body)
		}
		var names []string
		for _, w := range one.Workers {
			names = append(names, w.Name)
		}
		if diff := cmp.Diff([]string{"Achieng", "Mary"}, names); diff != "" {
			t.Errorf("members of Kibra cohort (-want +got), Chebet of Embakasi left out:\n%s", diff)
		}
	})
}

// TestGroupPagePages: a group of a whole sub-county shows its members a
// page at a time, every member reachable by Next (the page listed all
// 2,000 of a group: 880 KB).
func TestGroupPagePages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newHarness(t, db)
		p := peopleFixture(h)
		for i := range 60 {
			w := h.worker(fmt.Sprintf("Zawadi %02d", i), fmt.Sprintf("+254733%06d", i), "Kibra", store.StatusActive)
			storetest.Join(t, db, p.myGroup, w)
		}
		b, _ := h.loggedIn("wanjiru")
		next := regexp.MustCompile(`<a href="([^"]+)">Next</a>`)
		seen := map[string]bool{}
		page := "/admin/groups/" + id(p.myGroup)
		for pages := 0; page != "" && pages < 5; pages++ {
			body := b.get(page).Body.String()
			if !strings.Contains(body, "62 members.") {
				t.Fatalf("GET %s does not say 62 members.", page)
			}
			shown := regexp.MustCompile(`>(Zawadi \d\d)</a>`).FindAllStringSubmatch(body, -1)
			if len(shown) > store.DefaultWorkerPage {
				t.Errorf("GET %s shows %d members, want at most %d", page, len(shown), store.DefaultWorkerPage)
			}
			for _, m := range shown {
				seen[m[1]] = true
			}
			page = ""
			if m := next.FindStringSubmatch(body); m != nil {
				page = html.UnescapeString(m[1])
			}
		}
		if len(seen) != 60 {
			t.Errorf("the group's pages show %d of its 60 Zawadis, want all", len(seen))
		}
	})
}
