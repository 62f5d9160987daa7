package admin

import (
	"encoding/xml"
	"errors"
	"html/template"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// hostile is a label that would break the markup if it were not escaped.
const hostile = `<script>alert("x")</script> & 'Tally' </svg>`

// svgTexts parses an SVG document and returns its titles and texts in order.
func svgTexts(t *testing.T, doc template.HTML) (titles, texts []string) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(string(doc)))
	var stack []string
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return titles, texts
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, doc)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			stack = append(stack, tk.Name.Local)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			switch {
			case len(stack) == 0:
			case stack[len(stack)-1] == "title":
				titles = append(titles, string(tk))
			case stack[len(stack)-1] == "text":
				texts = append(texts, string(tk))
			}
		}
	}
}

func TestChartsWellFormedAndEscaped(t *testing.T) {
	tests := []struct {
		name      string
		doc       template.HTML
		title     string
		wantTexts []string
	}{
		{"grouped", groupedBars("g", "Scores "+hostile, []string{"Baseline", "Endline"},
			[]barGroup{{Label: hostile, Values: []value{{Pct: 62.6, OK: true}, {}}}}),
			"Scores " + hostile, []string{hostile, "Baseline", "63%", "Endline", "no data"}},
		{"horizontal", horizontalBars("h", "Completion", []hBar{{Label: hostile, Pct: 150, Note: "3 of 2"}}),
			"Completion", []string{hostile, "3 of 2"}},
		{"stacked", stackedBars("s", "Checklist", []string{"Done", "Partly", "Not done"}, []stackRow{{Label: hostile, Pcts: []float64{50, 25, 25}}}),
			"Checklist", []string{"Done", "Partly", "Not done", hostile}},
		{"empty", groupedBars("e", "Nothing yet", formNames, nil), "Nothing yet", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if strings.Contains(string(tt.doc), "<script") {
				t.Fatalf("%s chart holds an unescaped label:\n%s", tt.name, tt.doc)
			}
			titles, texts := svgTexts(t, tt.doc)
			if len(titles) == 0 || titles[0] != tt.title {
				t.Errorf("%s chart titles = %q, want %q first", tt.name, titles, tt.title)
			}
			if diff := cmp.Diff(tt.wantTexts, texts); diff != "" {
				t.Errorf("%s chart texts diff (-want +got):\n%s", tt.name, diff)
			}
		})
	}
}

func TestBarWidthClamped(t *testing.T) {
	tests := []struct {
		pct, want float64
	}{
		{-5, 0}, {0, 0}, {50, barSpan / 2}, {100, barSpan}, {250, barSpan},
	}
	for _, tt := range tests {
		if got := barWidth(tt.pct); got != tt.want {
			t.Errorf("barWidth(%v) = %v, want %v", tt.pct, got, tt.want)
		}
	}
}

// TestStockTrendChart: a stock alert's trend is drawn oldest first, each
// calculation a dot on its level's line (low at the bottom, in red), the
// text trend its title for screen readers.
func TestStockTrendChart(t *testing.T) {
	at := time.Date(2025, 3, 4, 9, 0, 0, 0, time.UTC)
	r := stockRow{Trend: []stockPoint{ // newest first, as the store answers
		{At: at, Grade: "below order point", Level: "low"},
		{At: at.AddDate(0, 0, -1), Grade: "ok", Level: ""},
	}}
	got := string(r.TrendChart())
	for _, want := range []string{`<title>3 Mar ok → 4 Mar below order point</title>`,
		`<circle cx="6" cy="18" r="4" fill="#0b5d4b"><title>3 Mar ok</title></circle>` +
			`<circle cx="26" cy="28" r="4" fill="#b3261e"><title>4 Mar below order point</title></circle>`,
		`<polyline points="6,18 26,28"`} {
		if !strings.Contains(got, want) {
			t.Errorf("TrendChart() lacks %s:\n%s", want, got)
		}
	}
}
