package admin

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"strconv"

	"github.com/chanjo-health/chanjo/store"
)

// Charts are drawn on the server as inline SVG: no script, nothing to
// download, and the same picture on a slow phone as on a desktop. Every
// chart is a column of horizontal bars, each with its label on the line
// above, so long topic names stay readable on a narrow screen. The picture
// has a <title> for screen readers; the page shows the same figures in a
// table under it.

// Chart geometry, in the units of the viewBox (about CSS pixels on a phone).
const (
	chartWidth = 360
	labelLine  = 18 // a label's line above its bars
	barLine    = 20 // one bar and the gap under it
	barHeight  = 14
	barLeft    = 70  // series names sit left of the bars
	barSpan    = 220 // the length of 100%
	groupGap   = 8
)

// The colours of the series and of the checklist answers, dark enough for
// white text and apart for the common colour blindnesses.
var (
	formColours   = []string{"#8a94a6", "#3b6fd1", "#0b5d4b"}
	answerColours = []string{"#0b5d4b", "#d39a00", "#b3261e"}
)

// value is a figure in percent that may be missing (no data).
type value struct {
	Pct float64
	OK  bool
}

// barGroup is one label with a bar per series (a topic's baseline, midline
// and endline).
type barGroup struct {
	Label  string
	Values []value
}

// svgWriter builds an SVG document; every text and attribute it is given
// is escaped.
type svgWriter struct {
	buf bytes.Buffer
}

func (w *svgWriter) open(id, title string, height int) {
	fmt.Fprintf(&w.buf, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby="%s" viewBox="0 0 %d %d" width="100%%">`,
		html.EscapeString(id), chartWidth, height)
	fmt.Fprintf(&w.buf, `<title id="%s">%s</title>`, html.EscapeString(id), html.EscapeString(title))
}

func (w *svgWriter) text(x, y float64, s, anchor string) {
	fmt.Fprintf(&w.buf, `<text x="%s" y="%s" font-size="13" text-anchor="%s" fill="#1d2330">%s</text>`,
		num(x), num(y), anchor, html.EscapeString(s))
}

// rect draws a bar with a tooltip.
func (w *svgWriter) rect(x, y, width float64, fill, tip string) {
	fmt.Fprintf(&w.buf, `<rect x="%s" y="%s" width="%s" height="%d" fill="%s"><title>%s</title></rect>`,
		num(x), num(y), num(width), barHeight, fill, html.EscapeString(tip))
}

func (w *svgWriter) close() template.HTML {
	w.buf.WriteString(`</svg>`)
	return template.HTML(w.buf.String()) // every text and attribute above is escaped
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

func pctText(f float64) string { return strconv.FormatFloat(f, 'f', 0, 64) + "%" }

// barWidth is the length of pct, between 0 and 100.
func barWidth(pct float64) float64 {
	return barSpan * min(max(pct, 0), 100) / 100
}

// legend draws the series' colours and names on one line at y.
func (w *svgWriter) legend(y float64, names, colours []string) {
	x := 0.0
	for i, n := range names {
		fmt.Fprintf(&w.buf, `<rect x="%s" y="%s" width="12" height="12" fill="%s"/>`, num(x), num(y-10), colours[i%len(colours)])
		w.text(x+16, y, n, "start")
		x += 16 + 8*float64(len(n)) + 14
	}
}

// groupedBars draws a bar per series for each group, the series named left
// of their bars and the percent right of them; a missing value reads "no data".
func groupedBars(id, title string, series []string, groups []barGroup) template.HTML {
	var w svgWriter
	w.open(id, title, len(groups)*(labelLine+len(series)*barLine+groupGap)+4)
	y := 0.0
	for _, g := range groups {
		w.text(0, y+13, g.Label, "start")
		y += labelLine
		for i, s := range series {
			w.text(barLeft-6, y+11, s, "end")
			v := value{}
			if i < len(g.Values) {
				v = g.Values[i]
			}
			if !v.OK {
				w.text(barLeft, y+11, "no data", "start")
			} else {
				w.rect(barLeft, y, barWidth(v.Pct), formColours[i%len(formColours)], g.Label+", "+s+": "+pctText(v.Pct))
				w.text(barLeft+barWidth(v.Pct)+4, y+11, pctText(v.Pct), "start")
			}
			y += barLine
		}
		y += groupGap
	}
	return w.close()
}

// hBar is one labelled bar: pct of the span, note written right of it.
type hBar struct {
	Label string
	Pct   float64
	Note  string
}

// horizontalBars draws one bar per row, its label above it.
func horizontalBars(id, title string, rows []hBar) template.HTML {
	var w svgWriter
	w.open(id, title, len(rows)*(labelLine+barLine)+4)
	y := 0.0
	for _, r := range rows {
		w.text(0, y+13, r.Label, "start")
		y += labelLine
		w.rect(0, y, barWidth(r.Pct)*(barLeft+barSpan)/barSpan, formColours[2], r.Label+": "+r.Note)
		w.text(barWidth(r.Pct)*(barLeft+barSpan)/barSpan+4, y+11, r.Note, "start")
		y += barLine
	}
	return w.close()
}

// stackRow is one bar made of parts that add up to 100%.
type stackRow struct {
	Label string
	Pcts  []float64
}

// stackedBars draws one bar per row, split into the parts named in the
// legend on top.
func stackedBars(id, title string, parts []string, rows []stackRow) template.HTML {
	var w svgWriter
	w.open(id, title, labelLine+6+len(rows)*(labelLine+barLine)+4)
	w.legend(13, parts, answerColours)
	y := float64(labelLine + 6)
	full := float64(barLeft + barSpan)
	for _, r := range rows {
		w.text(0, y+13, r.Label, "start")
		y += labelLine
		x := 0.0
		for i, p := range r.Pcts {
			width := full * min(max(p, 0), 100) / 100
			if width > 0 {
				w.rect(x, y, width, answerColours[i%len(answerColours)], r.Label+", "+parts[i]+": "+pctText(p))
			}
			x += width
		}
		y += barLine
	}
	return w.close()
}

// Trend geometry: a small picture that fits a table cell on a phone.
const (
	trendStep   = 20 // between two calculations
	trendDot    = 4  // a dot's radius
	trendEdge   = trendDot + 2
	trendWidth  = 2*trendEdge + (store.StockTrend-1)*trendStep
	trendHeight = 36
)

// trendY is the line of a stock level in the trend: high stock at the
// top, within the policy in the middle, low at the bottom.
var trendY = map[string]int{"high": 8, "": 18, "low": 28}

// levelColours colour a stock level's dot: red for low, amber for high,
// green within the policy.
var levelColours = map[string]string{"low": "#b3261e", "high": "#d39a00", "": "#0b5d4b"}

// TrendChart draws the trend of a stock alert, oldest calculation first:
// a dot per calculation on its level's line, joined by a line. The
// picture's title is TrendText, and each dot's tooltip its calculation.
func (r stockRow) TrendChart() template.HTML {
	var w svgWriter
	fmt.Fprintf(&w.buf, `<svg xmlns="http://www.w3.org/2000/svg" class="trend" role="img" viewBox="0 0 %d %d" width="%d" height="%d">`,
		trendWidth, trendHeight, trendWidth, trendHeight)
	fmt.Fprintf(&w.buf, `<title>%s</title>`, html.EscapeString(r.TrendText()))
	var line bytes.Buffer
	n := len(r.Trend)
	for i := range r.Trend {
		p := r.Trend[n-1-i] // the trend is newest first
		x, y := trendEdge+i*trendStep, trendY[p.Level]
		fmt.Fprintf(&line, "%d,%d ", x, y)
		fmt.Fprintf(&w.buf, `<circle cx="%d" cy="%d" r="%d" fill="%s"><title>%s</title></circle>`,
			x, y, trendDot, levelColours[p.Level], html.EscapeString(p.At.Format("2 Jan")+" "+p.Grade))
	}
	if n > 1 {
		fmt.Fprintf(&w.buf, `<polyline points="%s" fill="none" stroke="#8a94a6" stroke-width="1.5"/>`, bytes.TrimSpace(line.Bytes()))
	}
	return w.close()
}
