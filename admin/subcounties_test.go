package admin

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestPickSubCounties(t *testing.T) {
	known := []string{"Embakasi", "Kibra", "Langata"}
	got, err := PickSubCounties(known, []string{"Kibra", " Embakasi ", "Kibra"})
	if err != nil || !slices.Equal(got, []string{"Kibra", "Embakasi"}) {
		t.Errorf("PickSubCounties(Kibra, Embakasi, Kibra) = %v, %v; want each once", got, err)
	}
	for asked, suggest := range map[string]string{"kibra": "Kibra?", "EMBAKASI": "Embakasi?", "Kibraa": "Kibra?", "lang'ata": "Langata?", "Embakazi": "Embakasi?"} {
		_, err := PickSubCounties(known, []string{asked})
		if !errors.Is(err, ErrUnknownSubCounty) || !strings.HasSuffix(err.Error(), suggest) {
			t.Errorf("PickSubCounties(%q) = %v, want refused suggesting %s", asked, err, suggest)
		}
	}
	if _, err := PickSubCounties(nil, []string{"Kibra"}); err == nil || !strings.Contains(err.Error(), "import the roster") {
		t.Errorf("PickSubCounties on an empty roster = %v, want a word about importing it", err)
	}
}
