package stock

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestAnswerJSON checks the shape that the JSON API answers and that stored
// calculations keep, whichever channel made them.
func TestAnswerJSON(t *testing.T) {
	vials, err := SessionVials(45, 10)
	if err != nil {
		t.Fatal(err)
	}
	none, err := MonthsOfStock(180, 0, 0, DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		a    Answer
		want string
	}{
		{"session vials", NewAnswer("session-vials", vials.Values(), vials.Status, vials.Formula),
			`{"calculator":"session-vials","values":{"doses":50,"vials":5},"status":{"code":"ok","en":"` + vials.Status.Text["en"] +
				`","sw":"` + vials.Status.Text["sw"] + `"},"formula":[{"en":"` + vials.Formula["en"] + `","sw":"` + vials.Formula["sw"] + `"}]}`},
		{"N/A is null", NewAnswer("months-of-stock", map[string]any{"months_of_stock": none.Values()["months_of_stock"]}, none.Status),
			`{"calculator":"months-of-stock","values":{"months_of_stock":null},"status":{"code":"n_a","en":"` + none.Status.Text["en"] +
				`","sw":"` + none.Status.Text["sw"] + `"},"formula":null}`},
		{"no -0", NewAnswer("x", map[string]any{"pct": PercentValue(valid(-0.0004))}, Status{Code: CodeOK}),
			`{"calculator":"x","values":{"pct":0},"status":{"code":"ok"},"formula":null}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := json.Marshal(c.a)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(c.want, string(b)); d != "" {
				t.Errorf("json.Marshal(%s) (-want +got):\n%s", c.name, d)
			}
			var back Answer // a stored calculation is read back the same
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(c.a.Status, back.Status, cmpopts.EquateEmpty()); d != "" {
				t.Errorf("json.Unmarshal(%s).Status (-want +got):\n%s", c.name, d)
			}
		})
	}
}

func TestQuantity(t *testing.T) {
	for _, c := range []struct {
		in   float64
		want string
	}{{1365, "1,365"}, {1.5, "1.5"}, {10000000, "10,000,000"}, {0, "0"}} {
		if got := Quantity(c.in); got != c.want {
			t.Errorf("Quantity(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}
