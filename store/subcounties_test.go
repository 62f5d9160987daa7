package store_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/chanjo-health/chanjo/store"
	"github.com/chanjo-health/chanjo/store/storetest"
)

// TestRegisterPicksSubCounty registers a nurse with a facility code the
// roster does not know and the sub-county she picked from the roster's
// list: her facility lands there, so her supervisor's scope holds her.
func TestRegisterPicksSubCounty(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		questionRoster(t, db) // Kithimani Dispensary, in Yatta
		got, err := db.SubCounties(ctx)
		if diff := cmp.Diff([]string{"Yatta"}, got); err != nil || diff != "" {
			t.Fatalf("SubCounties = %v (-want +got):\n%s", err, diff)
		}
		if _, err := db.Register(ctx, store.Registration{Phone: "+254711000061", Name: "Mary", FacilityCode: "777001",
			Language: "en", SubCounty: "Yatta"}); err != nil {
			t.Fatal(err)
		}
		var place string
		if err := db.GetContext(ctx, &place, `SELECT sub_county FROM facilities WHERE code = '777001'`); err != nil || place != "Yatta" {
			t.Errorf("sub-county of the new facility = %q, %v, want Yatta", place, err)
		}
		if got, _ := db.SubCounties(ctx); len(got) != 1 {
			t.Errorf("SubCounties after = %v, want the roster's only", got)
		}
	})
}
