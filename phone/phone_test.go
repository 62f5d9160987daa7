package phone

import "testing"

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"0712345678", "+254712345678"},
		{"712345678", "+254712345678"},
		{"254712345678", "+254712345678"},
		{"+254712345678", "+254712345678"},
		{"+254 712 345 678", "+254712345678"},
		{"0712-345-678", "+254712345678"},
		{"0110123456", "+254110123456"},
		{"+254 (0)712345678", ""},
		{"0212345678", ""},
		{"07123456", ""},
		{"abc", ""},
		{"", ""},
		{"+1 202 555 0100", ""},
		{"+254112345678", "+254112345678"},
		{"+254812345678", ""},
		{"+25471234567x", ""},
		{"+2547123456789", ""},
		{"+25471234567", ""},
		{"+255712345678", ""},
	}
	for _, tt := range tests {
		got, err := Normalize(tt.in)
		if tt.want == "" {
			if err == nil {
				t.Errorf("Normalize(%q) = %q, want an error", tt.in, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Normalize(%q) = %q, %v, want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestMask(t *testing.T) {
	tests := []struct{ in, want string }{
		{"+254712345678", "+2547******78"},
		{"short", "*****"},
	}
	for _, tt := range tests {
		if got := Mask(tt.in); got != tt.want {
			t.Errorf("Mask(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
