package trace

import (
	"html"
	"io"
	"slices"
	"strconv"
	"strings"
)

// css styles the HTML page. Result cells are yellow, the focus cell
// orange with a dark border, the cells it was computed from blue.
const css = `
body{font:14px/1.45 "DejaVu Sans",system-ui,sans-serif;margin:0;padding:18px 26px;color:#1d2330;background:#f3f4f7}
h1{font-size:21px;margin:0 0 2px}
p.summary{margin:0 0 10px;color:#4a5160}
.legend{display:flex;gap:18px;font-size:13px;margin:0 0 6px;align-items:center}
.legend span.key{display:inline-block;width:26px;height:16px;border:1px solid #c3c8d1;vertical-align:-3px;margin-right:5px}
section.step{background:#fff;border:1px solid #d8dce3;border-radius:8px;padding:10px 16px 12px;margin:12px 0}
section.step h2{font-size:16px;margin:0 0 4px;font-weight:600}
h2 .num{display:inline-block;min-width:24px;height:24px;border-radius:12px;background:#2f5fb3;color:#fff;text-align:center;font-size:13px;line-height:24px;margin-right:8px}
h2 .walk{color:#6b7280;font-weight:normal;font-size:13px}
.eq{font:15px "DejaVu Sans Mono",monospace;margin:2px 0 6px;color:#0b3d91}
table.names{border-collapse:collapse;font-size:12px;margin:0 0 8px}
table.names th{text-align:left;color:#6b7280;font-weight:normal;padding:0 12px 0 0;vertical-align:top;white-space:nowrap}
table.names td{padding:0}
code{font:12px "DejaVu Sans Mono",monospace;color:#374151}
.note{font-size:12px;color:#8a4b08;margin:0 0 8px}
.mats{display:flex;flex-wrap:wrap;align-items:flex-start;gap:10px 16px;margin:0 0 8px}
.group{display:flex;flex-wrap:wrap;gap:10px 14px;align-items:flex-start}
.arrow{font-size:26px;color:#9aa1ad;align-self:center;padding:0 2px}
figure{margin:0}
figcaption{font-size:12px;margin:0 0 2px;color:#374151}
figcaption b{font-size:13px;color:#111827}
figcaption .alias{color:#6b7280}
table.m{border-collapse:collapse;font:12px "DejaVu Sans Mono",monospace}
table.m th{font-weight:normal;color:#9aa1ad;font-size:10px;padding:0 4px}
table.m td{border:1px solid #d5d9e0;padding:2px 6px;text-align:right;background:#fff}
table.m td.result{background:#fff3bf}
table.m td.source{background:#d0e2ff;border-color:#4c84e0}
table.m td.focus{background:#ffa94d;border:2px solid #c2410c;font-weight:bold}
p.explain{font:12px "DejaVu Sans Mono",monospace;margin:8px 0 0;color:#1f2937;background:#f8f9fb;padding:4px 8px;border-left:3px solid #ffa94d}
`

// WriteHTML writes the trace as one self-contained HTML page (inline CSS,
// no scripts, no external resources), with digits digits after the
// decimal point (0..MaxDigits). Each step is a
// <section class="step" data-step="N"> showing the matrices it reads and
// the ones it computes; every result cell has class "result", exactly one
// of them per step also "focus", and the cells the focus was computed
// from have class "source". The markup is well-formed XML. It returns an
// error wrapping ErrOptions for digits out of range, or the first error
// from w.
func (t *Trace) WriteHTML(w io.Writer, digits int) error {
	if err := checkDigits(digits); err != nil {
		return err
	}
	esc := html.EscapeString
	p := &printer{w: w}
	p.printf("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>%s</title>\n<style>%s</style>\n</head>\n<body>\n", esc(t.Title), css)
	p.printf("<h1>%s</h1>\n<p class=\"summary\">%s</p>\n", esc(t.Title), esc(t.Summary()))
	p.printf("<div class=\"legend\"><span><span class=\"key\" style=\"background:#fff3bf\"></span>computed in the step</span>" +
		"<span><span class=\"key\" style=\"background:#ffa94d;border:2px solid #c2410c\"></span>the cell worked out below</span>" +
		"<span><span class=\"key\" style=\"background:#d0e2ff;border-color:#4c84e0\"></span>the cells it was computed from</span></div>\n")
	for _, s := range t.Steps {
		p.printf("<section class=\"step\" id=\"step-%d\" data-step=\"%d\" data-tutorial-step=\"%d\">\n", s.Number, s.Number, s.Tutorial)
		walk := ""
		if s.Number != s.Tutorial {
			walk = " <span class=\"walk\">(step " + strconv.Itoa(s.Tutorial) + " of the one-hidden-layer walk-through)</span>"
		}
		p.printf("<h2><span class=\"num\">%d</span>%s%s</h2>\n", s.Number, esc(s.Title), walk)
		for _, e := range s.Equations {
			p.printf("<div class=\"eq\">%s</div>\n", esc(e))
		}
		p.printf("<table class=\"names\">\n")
		row := func(label string, lines []string, asCode bool) {
			if len(lines) == 0 {
				return
			}
			parts := make([]string, len(lines))
			for i, l := range lines {
				parts[i] = esc(l)
				if asCode {
					parts[i] = "<code>" + parts[i] + "</code>"
				}
			}
			p.printf("<tr><th>%s</th><td>%s</td></tr>\n", label, strings.Join(parts, "<br/>"))
		}
		row("Analytics Vidhya", s.Vidhya, true)
		row("iamtrask", s.Trask, true)
		row("Go", s.Go, false)
		p.printf("</table>\n")
		if s.Note != "" {
			p.printf("<p class=\"note\">%s</p>\n", esc(s.Note))
		}

		// The focus cell's sources, by matrix.
		marked := map[*Matrix]map[Cell]bool{}
		for _, src := range s.Sources(s.Focus.Result, s.Focus.Cell) {
			if marked[src.Matrix] == nil {
				marked[src.Matrix] = map[Cell]bool{}
			}
			for _, c := range src.Cells {
				marked[src.Matrix][c] = true
			}
		}
		for _, r := range htmlRows(s) {
			p.printf("<div class=\"mats\">\n")
			if len(r.inputs) > 0 {
				p.printf("<div class=\"group inputs\">\n")
				for _, m := range r.inputs {
					htmlMatrix(p, m, false, nil, marked[m], digits)
				}
				p.printf("</div>\n<div class=\"arrow\">→</div>\n")
			}
			p.printf("<div class=\"group results\">\n")
			for _, m := range r.results {
				htmlMatrix(p, m, true, focusOf(s, m), marked[m], digits)
			}
			p.printf("</div>\n</div>\n")
		}
		if ex := s.Explain(digits); len(ex) > 0 {
			for i, e := range ex {
				ex[i] = esc(e)
			}
			p.printf("<p class=\"explain\">%s</p>\n", strings.Join(ex, "<br/>"))
		}
		p.printf("</section>\n")
	}
	p.printf("</body>\n</html>\n")
	return p.err
}

// htmlRow is one line of a step's picture: inputs → results.
type htmlRow struct{ inputs, results []*Matrix }

// htmlRows splits a step's picture into one row per result when each
// result reads its own inputs (the slopes, the updates of each layer),
// and keeps it in one row otherwise.
func htmlRows(s *Step) []htmlRow {
	one := []htmlRow{{s.Inputs, s.Results}}
	if len(s.Results) < 2 {
		return one
	}
	owner := map[*Matrix]int{}
	for r, m := range s.Results {
		for _, d := range s.deps[m] {
			if _, taken := owner[d.m]; taken || !slices.Contains(s.Inputs, d.m) {
				return one
			}
			owner[d.m] = r
		}
	}
	if len(owner) != len(s.Inputs) {
		return one
	}
	rows := make([]htmlRow, len(s.Results))
	for r, m := range s.Results {
		rows[r].results = []*Matrix{m}
	}
	for _, m := range s.Inputs {
		r := owner[m]
		rows[r].inputs = append(rows[r].inputs, m)
	}
	return rows
}

// htmlMatrix writes m as a captioned table; result cells get class
// "result", the focus cell "focus" as well, and marked cells "source".
func htmlMatrix(p *printer, m *Matrix, result bool, focus *Cell, marked map[Cell]bool, digits int) {
	esc := html.EscapeString
	var names []string
	if m.Vidhya != "" {
		names = append(names, m.Vidhya)
	}
	if m.Trask != "" && m.Trask != m.Vidhya {
		names = append(names, m.Trask)
	}
	alias := ""
	if len(names) > 0 {
		alias = " <span class=\"alias\">" + esc(strings.Join(names, " · ")) + "</span>"
	}
	p.printf("<figure class=\"matrix\" data-matrix=\"%s\"><figcaption><b>%s</b> %s%s</figcaption>\n<table class=\"m\">\n<tr><th></th>", esc(m.ID), esc(m.Name), m.Shape(), alias)
	r, c := m.Value.Dims()
	for j := range c {
		p.printf("<th>%d</th>", j)
	}
	p.printf("</tr>\n")
	for i := range r {
		p.printf("<tr><th>%d</th>", i)
		for j := range c {
			var class []string
			if result {
				class = append(class, "result")
			}
			if focus != nil && focus.Row == i && focus.Col == j {
				class = append(class, "focus")
			}
			if marked[Cell{i, j}] {
				class = append(class, "source")
			}
			v := cellText(m.Value.At(i, j), digits)
			if len(class) > 0 {
				p.printf("<td class=\"%s\">%s</td>", strings.Join(class, " "), v)
			} else {
				p.printf("<td>%s</td>", v)
			}
		}
		p.printf("</tr>\n")
	}
	p.printf("</table></figure>\n")
}
