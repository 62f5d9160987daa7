package i18n

import "testing"

func TestTextIn(t *testing.T) {
	text := Text{"en": "order point", "sw": "kiwango cha kuagiza", "kam": "ORDER POINT"}
	for lang, want := range map[string]string{"sw": text["sw"], "en": text["en"], "kam": text["kam"], "fr": text["en"], "": text["en"]} {
		if got := text.In(lang); got != want {
			t.Errorf("Text.In(%q) = %q, want %q", lang, got, want)
		}
	}
}
