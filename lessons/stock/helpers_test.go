package stock

import (
	"errors"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/chanjo-health/chanjo/lessons/i18n"
)

// figures compares results by their figures and status code; the wording is
// checked by TestTexts.
var figures = cmp.Options{cmpopts.EquateApprox(0, 1e-9), cmpopts.IgnoreTypes(i18n.Text{})}

func valid(v float64) Ratio { return Ratio{Value: v, Valid: true} }

func code(c Code) Status { return Status{Code: c} }

// fieldOf is the field an *InputError names, or "" for any other error.
func fieldOf(err error) string {
	var ie *InputError
	if errors.As(err, &ie) {
		return ie.Field
	}
	return ""
}
