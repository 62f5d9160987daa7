package stock

// Vaccine is one antigen's stock defaults. Vial sizes change with tenders and
// wastage differs by facility, so the content pack can override them.
type Vaccine struct {
	ID           string  `yaml:"id"`
	Name         string  `yaml:"name"`
	DosesPerVial int     `yaml:"doses_per_vial"`
	Wastage      float64 `yaml:"wastage"` // indicative wastage rate, a fraction (0.25 = 25%)
}

// Validate reports a vaccine the calculators cannot use.
func (v Vaccine) Validate() error {
	var c checker
	c.that(v.ID != "", "id", "must not be empty", "isiwe tupu")
	c.positiveInt("doses_per_vial", float64(v.DosesPerVial), 100)
	c.fraction("wastage", v.Wastage, false)
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

// DefaultVaccines lists Kenya's schedule with the vial sizes of domain.md and
// the WHO 2002 indicative wastage for each vial size and form.
func DefaultVaccines() []Vaccine {
	return []Vaccine{
		{ID: "bcg", Name: "BCG", DosesPerVial: 20, Wastage: wastageLargeFreezeDried},
		{ID: "bopv", Name: "bOPV", DosesPerVial: 20, Wastage: wastageLargeLiquid},
		{ID: "penta", Name: "Penta (DTP-HepB-Hib)", DosesPerVial: 10, Wastage: wastageLargeLiquid},
		{ID: "pcv10", Name: "PCV10", DosesPerVial: 5, Wastage: wastageSmallVial},
		{ID: "rota", Name: "Rota", DosesPerVial: 5, Wastage: wastageSmallVial},
		{ID: "ipv", Name: "IPV", DosesPerVial: 5, Wastage: wastageSmallVial},
		{ID: "mr", Name: "Measles-Rubella", DosesPerVial: 10, Wastage: wastageLargeFreezeDried},
		{ID: "yf", Name: "Yellow fever", DosesPerVial: 10, Wastage: wastageLargeFreezeDried},
		{ID: "malaria", Name: "Malaria RTS,S", DosesPerVial: 2, Wastage: wastageSmallVial},
		{ID: "hpv", Name: "HPV", DosesPerVial: 1, Wastage: wastageSingleDose},
		{ID: "td", Name: "Td", DosesPerVial: 20, Wastage: wastageLargeLiquid},
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
