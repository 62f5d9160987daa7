package admin

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/chanjo-health/chanjo/store"
)

// groupJSON is a group as the API shows it; Members counts those inside
// the token's scope.
type groupJSON struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Members   int       `json:"members"`
	CreatedAt time.Time `json:"created_at"`
}

func groupToJSON(g store.Group) groupJSON {
	return groupJSON{ID: g.ID, Name: g.Name, Members: g.Members, CreatedAt: g.CreatedAt.UTC()}
}

// trafficJSON is a group's traffic: its messages and their copies by
// channel, with the estimated cost of the SMS parts sent (SMS_SEGMENT_COST).
type trafficJSON struct {
	Messages int                  `json:"messages"`
	Channels []channelTrafficJSON `json:"channels"`
}

type channelTrafficJSON struct {
	Channel string `json:"channel"`
	Copies  int    `json:"copies"`
	Parts   int    `json:"parts,omitempty"`
	// Free and Templates split the WhatsApp copies sent by form.
	Free      *int    `json:"free_form,omitempty"`
	Templates *int    `json:"templates,omitempty"`
	Cost      float64 `json:"estimated_cost,omitempty"`
	Currency  string  `json:"currency,omitempty"`
}

// groups is GET /api/v1/groups: the groups inside the scope by name.
func (a *API) groups(c *gin.Context) {
	gs, err := a.db.Groups(c.Request.Context(), scopeOf(c))
	if err != nil {
		a.fail(c, err)
		return
	}
	out := make([]groupJSON, len(gs))
	for i, g := range gs {
		out[i] = groupToJSON(g)
	}
	c.JSON(http.StatusOK, gin.H{"groups": out})
}

// group is GET /api/v1/groups/:id with its members inside the scope.
func (a *API) group(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		a.fail(c, err)
		return
	}
	g, members, err := a.db.GroupInScope(c.Request.Context(), scopeOf(c), id)
	var t store.GroupTraffic
	if err == nil {
		t, err = a.db.GroupTraffic(c.Request.Context(), scopeOf(c), id)
	}
	if err != nil {
		a.fail(c, err)
		return
	}
	ws := make([]workerJSON, len(members))
	for i, m := range members {
		ws[i] = toJSON(m)
	}
	traffic := trafficJSON{Messages: t.Messages, Channels: []channelTrafficJSON{}}
	for _, ch := range t.Channels {
		j := channelTrafficJSON{Channel: ch.Channel, Copies: ch.Copies}
		if ch.Channel == store.ChannelSMS {
			j.Parts, j.Cost, j.Currency = ch.Parts, a.Price.Of(1, ch.Parts), a.Price.Currency
		} else {
			j.Free, j.Templates, j.Cost, j.Currency = &ch.Free, &ch.Templates, ch.Cost, a.Price.Currency
		}
		traffic.Channels = append(traffic.Channels, j)
	}
	c.JSON(http.StatusOK, struct {
		groupJSON
		Workers []workerJSON `json:"workers"`
		Traffic trafficJSON  `json:"traffic"`
	}{groupToJSON(g), ws, traffic})
}
