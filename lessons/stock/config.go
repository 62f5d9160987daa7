package stock

// Vaccine is one antigen's stock defaults. Vial sizes change with tenders and
// wastage differs by facility, so the content pack can override them.
type Vaccine struct {
	ID           string  `yaml:"id"`
	Name         string  `yaml:"name"`
	DosesPerVial int     `yaml:"doses_per_vial"`
	Wastage      float64 `yaml:"wastage"`            // WHO's indicative maximum rate, a fraction (0.25 = 25%)
	Acceptable   float64 `yaml:"acceptable_wastage"` // the rate above which wastage is flagged, a fraction
	// KeepOpenDays is how long an opened vial may be kept under the
	// multi-dose vial policy: 28 (VVM on the label) or 0 (VVM on the cap or
	// reconstituted: discard 6 hours after opening or at the session's end).
	KeepOpenDays int `yaml:"keep_open_days"`
}

// CarriesOver says whether an opened vial may be used in a later session,
// so that a month's administered doses may exceed the doses it consumed.
func (v Vaccine) CarriesOver() bool { return v.KeepOpenDays > 0 }

// Validate reports a vaccine the calculators cannot use.
func (v Vaccine) Validate() error {
	var c checker
	c.that(v.ID != "", "id", "must not be empty", "isiwe tupu")
	c.positiveInt("doses_per_vial", float64(v.DosesPerVial), 100)
	c.fraction("wastage", v.Wastage, false)
	c.fraction("acceptable_wastage", v.Acceptable, false)
	c.that(v.KeepOpenDays == 0 || v.KeepOpenDays == 28, "keep_open_days", "must be 0 or 28", "lazima iwe 0 au 28")
	return c.result()
}

// Policy is the facility stock policy. No national facility min/max rule
// was found, so every figure is configuration.
type Policy struct {
	SupplyMonths   float64 `yaml:"supply_months"`   // months between deliveries
	SafetyFraction float64 `yaml:"safety_fraction"` // safety stock as a fraction of the supply-period need
	LeadDays       int     `yaml:"lead_days"`       // days from order to delivery
}

// DefaultPolicy is monthly supply, a 25% safety stock and 7 days' lead time.
func DefaultPolicy() Policy {
	return Policy{SupplyMonths: 1, SafetyFraction: 0.25, LeadDays: 7}
}

// Validate reports a policy the calculators cannot use. The lead time must
// fit inside the supply period, or the order point would exceed the maximum.
func (p Policy) Validate() error {
	var c checker
	c.amount("supply_months", p.SupplyMonths)
	c.that(p.SupplyMonths > 0, "supply_months", "must be above 0", "lazima iwe zaidi ya 0")
	c.that(p.SupplyMonths <= 24, "supply_months", "must be at most 24", "isizidi 24")
	c.fraction("safety_fraction", p.SafetyFraction, true)
	c.count("lead_days", float64(p.LeadDays))
	c.that(float64(p.LeadDays) <= 30*p.SupplyMonths, "lead_days",
		"must not exceed the supply period", "isizidi kipindi cha usambazaji")
	return c.result()
}

// Indicative wastage rates (WHO 2002) by vial size and form.
const (
	wastageSingleDose       = 0.05 // single-dose vials
	wastageSmallVial        = 0.10 // 2-6 doses, liquid or freeze-dried
	wastageLargeLiquid      = 0.25 // 10-20 doses, liquid
	wastageLargeFreezeDried = 0.50 // 10-20 doses, freeze-dried
)

// keepOpen28 is the multi-dose vial policy's limit for a vial whose VVM is
// on the label (WHO/IVB/14.07).
const keepOpen28 = 28

// DefaultVaccines lists Kenya's schedule with the vial sizes of docs/domain.md,
// the WHO 2002 indicative wastage for each vial size and form, the
// acceptable rates of docs/domain.md section 2 (others at the indicative rate)
// and the open-vial rule by VVM position.
func DefaultVaccines() []Vaccine {
	return []Vaccine{
		{ID: "bcg", Name: "BCG", DosesPerVial: 20, Wastage: wastageLargeFreezeDried, Acceptable: 0.50},
		{ID: "bopv", Name: "bOPV", DosesPerVial: 20, Wastage: wastageLargeLiquid, Acceptable: 0.10, KeepOpenDays: keepOpen28},
		{ID: "penta", Name: "Penta (DTP-HepB-Hib)", DosesPerVial: 10, Wastage: wastageLargeLiquid, Acceptable: 0.15, KeepOpenDays: keepOpen28},
		{ID: "pcv10", Name: "PCV10", DosesPerVial: 5, Wastage: wastageSmallVial, Acceptable: wastageSmallVial, KeepOpenDays: keepOpen28},
		{ID: "rota", Name: "Rota", DosesPerVial: 5, Wastage: wastageSmallVial, Acceptable: wastageSmallVial},
		{ID: "ipv", Name: "IPV", DosesPerVial: 5, Wastage: wastageSmallVial, Acceptable: wastageSmallVial, KeepOpenDays: keepOpen28},
		{ID: "mr", Name: "Measles-Rubella", DosesPerVial: 10, Wastage: wastageLargeFreezeDried, Acceptable: 0.25},
		{ID: "yf", Name: "Yellow fever", DosesPerVial: 10, Wastage: wastageLargeFreezeDried, Acceptable: wastageLargeFreezeDried},
		{ID: "malaria", Name: "Malaria RTS,S", DosesPerVial: 2, Wastage: wastageSmallVial, Acceptable: wastageSmallVial},
		{ID: "hpv", Name: "HPV", DosesPerVial: 1, Wastage: wastageSingleDose, Acceptable: wastageSingleDose},
		{ID: "td", Name: "Td", DosesPerVial: 20, Wastage: wastageLargeLiquid, Acceptable: 0.15, KeepOpenDays: keepOpen28},
	}
}

// FindVaccine returns the vaccine with the given id.
func FindVaccine(vaccines []Vaccine, id string) (Vaccine, bool) {
	for _, v := range vaccines {
		if v.ID == id {
			return v, true
		}
	}
	return Vaccine{}, false
}
