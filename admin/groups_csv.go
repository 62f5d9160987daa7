package admin

import (
	"strconv"

	"github.com/gin-gonic/gin"
)

// groupsCSV is /admin/groups.csv: each group of the groups page with its
// member count, one row per member inside the scope (one row with empty
// member columns for a group without any).
func (h *Console) groupsCSV(c *gin.Context) {
	ctx, sc := c.Request.Context(), scopeOf(c)
	gs, err := h.db.Groups(ctx, sc)
	if err != nil {
		h.fail(c, err)
		return
	}
	w := startCSV(c, "groups.csv")
	w.Write([]string{"group_id", "group", "members", "worker_id", "name", "phone", "role", "facility_name", "sub_county"})
	for _, g := range gs {
		_, members, err := h.db.GroupInScope(ctx, sc, g.ID)
		if err != nil {
			h.log.Error("groups.csv", "err", err)
			break
		}
		head := []string{strconv.FormatInt(g.ID, 10), cell(g.Name), strconv.Itoa(g.Members)}
		if len(members) == 0 {
			w.Write(append(head, "", "", "", "", "", ""))
		}
		for _, m := range members {
			w.Write(append(head, strconv.FormatInt(m.ID, 10), cell(m.Name), m.Phone, m.Role, cell(m.FacilityName), cell(m.SubCounty)))
		}
	}
	h.endCSV(w, "groups.csv")
}

// pairsCSV is /admin/pairs.csv: the mentor pairs of the groups page.
func (h *Console) pairsCSV(c *gin.Context) {
	ps, err := h.db.MentorPairs(c.Request.Context(), scopeOf(c))
	if err != nil {
		h.fail(c, err)
		return
	}
	w := startCSV(c, "pairs.csv")
	w.Write([]string{"mentor_id", "mentor", "mentor_phone", "mentee_id", "mentee", "mentee_phone", "facility_name", "sub_county", "paired_at"})
	for _, p := range ps {
		w.Write([]string{strconv.FormatInt(p.MentorID, 10), cell(p.MentorName), p.MentorPhone, strconv.FormatInt(p.MenteeID, 10),
			cell(p.MenteeName), p.MenteePhone, cell(p.FacilityName), cell(p.SubCounty), p.CreatedAt.UTC().Format(csvTimeLayout)})
	}
	h.endCSV(w, "pairs.csv")
}
