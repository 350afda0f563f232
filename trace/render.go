package trace

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// MaxDigits is the largest number of digits after the decimal point the
// renderings accept; 17 shows every bit of a float64 near 1.
const MaxDigits = 17

// Summary describes the traced network and iteration in one line, e.g.
// "network 4-3-1 (sigmoid, sigmoid), loss half-sse summed over 3 samples,
// iteration 1, lr 0.1, samples as rows".
func (t *Trace) Summary() string {
	sizes := make([]string, len(t.Sizes))
	for i, n := range t.Sizes {
		sizes[i] = strconv.Itoa(n)
	}
	acts := make([]string, len(t.Activations))
	for i, k := range t.Activations {
		acts[i] = k.String()
	}
	red := "summed"
	if t.Reduction.String() == "mean" {
		red = "averaged"
	}
	return fmt.Sprintf("network %s (%s), loss %s %s over %d samples, iteration %d, lr %s, samples as %s",
		strings.Join(sizes, "-"), strings.Join(acts, ", "), t.Loss, red, t.Samples, t.Iteration,
		strconv.FormatFloat(t.LR, 'g', -1, 64), t.Layout)
}

// printer writes formatted text and keeps the first error.
type printer struct {
	w   io.Writer
	err error
}

func (p *printer) printf(format string, a ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, a...)
	}
}

func checkDigits(digits int) error {
	if digits < 0 || digits > MaxDigits {
		return fmt.Errorf("%w: %d digits, want 0..%d", ErrOptions, digits, MaxDigits)
	}
	return nil
}

// cellText formats one matrix element for a table.
func cellText(v float64, digits int) string { return strconv.FormatFloat(v, 'f', digits, 64) }

// aliases lists a matrix's tutorial names and Go expression, for its
// caption.
func aliases(m *Matrix) []string {
	var out []string
	if m.Vidhya != "" {
		out = append(out, "Analytics Vidhya: "+m.Vidhya)
	}
	if m.Trask != "" {
		out = append(out, "iamtrask: "+m.Trask)
	}
	out = append(out, "Go: "+m.Go)
	return out
}

// fromList lists the matrices result r of s was computed from, with
// their shapes, or "" for a result read from nothing.
func fromList(s *Step, r int) string {
	var parts []string
	for _, src := range s.Sources(r, Cell{}) {
		parts = append(parts, src.Matrix.Name+" "+src.Matrix.Shape())
	}
	if len(parts) == 0 {
		return ""
	}
	return "from " + strings.Join(parts, ", ")
}

// heading is a step's title line.
func heading(s *Step) string {
	h := fmt.Sprintf("Step %d. %s", s.Number, s.Title)
	if s.Number != s.Tutorial {
		h += fmt.Sprintf(" (step %d of the one-hidden-layer walk-through)", s.Tutorial)
	}
	return h
}

// focusOf returns the focus cell of m in s, or nil.
func focusOf(s *Step, m *Matrix) *Cell {
	if s.Results[s.Focus.Result] == m {
		return &s.Focus.Cell
	}
	return nil
}

// WriteText writes the trace as aligned plain text for a terminal, with
// digits digits after the decimal point (0..MaxDigits): per step its
// title, equations, the tutorials' numpy lines, the Go functions, the
// inputs it reads, its results as tables (the focus cell in brackets) and
// the focus cell worked out. It returns an error wrapping ErrOptions for
// digits out of range, or the first error from w.
func (t *Trace) WriteText(w io.Writer, digits int) error {
	if err := checkDigits(digits); err != nil {
		return err
	}
	p := &printer{w: w}
	p.printf("%s\n%s\n", t.Title, t.Summary())
	for _, s := range t.Steps {
		p.printf("\n%s\n", heading(s))
		for _, e := range s.Equations {
			p.printf("    %s\n", e)
		}
		field := func(label string, lines []string) {
			for i, l := range lines {
				if i == 0 {
					p.printf("  %-18s%s\n", label+":", l)
				} else {
					p.printf("  %-18s%s\n", "", l)
				}
			}
		}
		field("Analytics Vidhya", s.Vidhya)
		field("iamtrask", s.Trask)
		field("Go", s.Go)
		if s.Note != "" {
			field("Note", []string{s.Note})
		}
		for r, m := range s.Results {
			p.printf("\n  %s  %s  (%s)\n", m.Name, m.Shape(), strings.Join(aliases(m), "; "))
			if from := fromList(s, r); from != "" {
				p.printf("  %s\n", from)
			}
			for _, line := range textTable(m, focusOf(s, m), digits) {
				p.printf("    %s\n", line)
			}
		}
		for i, e := range s.Explain(digits) {
			if i == 0 {
				p.printf("\n  Worked out: %s\n", e)
			} else {
				p.printf("              %s\n", e)
			}
		}
	}
	return p.err
}

// textTable lays m out with row and column numbers, right-aligned, the
// focus cell (if any) in brackets.
func textTable(m *Matrix, focus *Cell, digits int) []string {
	r, c := m.Value.Dims()
	cells := make([][]string, r)
	width := make([]int, c)
	for j := range c {
		width[j] = len(strconv.Itoa(j))
	}
	for i := range r {
		cells[i] = make([]string, c)
		for j := range c {
			cells[i][j] = cellText(m.Value.At(i, j), digits)
			width[j] = max(width[j], len(cells[i][j]))
		}
	}
	iw := len(strconv.Itoa(r - 1))
	var lines []string
	var sb strings.Builder
	sb.WriteString(strings.Repeat(" ", iw))
	for j := range c {
		fmt.Fprintf(&sb, "   %*d ", width[j], j)
	}
	lines = append(lines, strings.TrimRight(sb.String(), " "))
	for i := range r {
		sb.Reset()
		fmt.Fprintf(&sb, "%*d", iw, i)
		for j := range c {
			l, rr := " ", " "
			if focus != nil && focus.Row == i && focus.Col == j {
				l, rr = "[", "]"
			}
			fmt.Fprintf(&sb, "  %s%*s%s", l, width[j], cells[i][j], rr)
		}
		lines = append(lines, strings.TrimRight(sb.String(), " "))
	}
	return lines
}

// mdEscape escapes the characters Markdown would read as emphasis.
func mdEscape(s string) string {
	return strings.NewReplacer(`*`, `\*`, `_`, `\_`, `|`, `\|`).Replace(s)
}

// mdAliases lists a matrix's tutorial names and Go expression as code
// spans.
func mdAliases(m *Matrix) string {
	var out []string
	if m.Vidhya != "" {
		out = append(out, "Analytics Vidhya `"+m.Vidhya+"`")
	}
	if m.Trask != "" {
		out = append(out, "iamtrask `"+m.Trask+"`")
	}
	out = append(out, "Go `"+m.Go+"`")
	return strings.Join(out, ", ")
}

// code wraps each line in a code span.
func code(lines []string) string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = "`" + l + "`"
	}
	return strings.Join(out, "<br>")
}

// WriteMarkdown writes the trace as Markdown, with digits digits after
// the decimal point (0..MaxDigits): a section per step with its equations
// and names as a list and each result as a table, the focus cell in bold.
// It returns an error wrapping ErrOptions for digits out of range, or the
// first error from w.
func (t *Trace) WriteMarkdown(w io.Writer, digits int) error {
	if err := checkDigits(digits); err != nil {
		return err
	}
	p := &printer{w: w}
	p.printf("# %s\n\n%s.\n", mdEscape(t.Title), mdEscape(t.Summary()))
	for _, s := range t.Steps {
		p.printf("\n## %s\n\n", mdEscape(heading(s)))
		p.printf("- Equation: %s\n", code(s.Equations))
		if len(s.Vidhya) > 0 {
			p.printf("- Analytics Vidhya: %s\n", code(s.Vidhya))
		}
		if len(s.Trask) > 0 {
			p.printf("- iamtrask: %s\n", code(s.Trask))
		}
		for _, g := range s.Go {
			p.printf("- Go: %s\n", mdEscape(g))
		}
		if s.Note != "" {
			p.printf("- Note: %s\n", mdEscape(s.Note))
		}
		for r, m := range s.Results {
			p.printf("\n**%s** (%s): %s", m.Name, m.Shape(), mdAliases(m))
			if from := fromList(s, r); from != "" {
				p.printf("; %s", from)
			}
			p.printf("\n\n")
			mdTable(p, m, focusOf(s, m), digits)
		}
		if ex := s.Explain(digits); len(ex) > 0 {
			p.printf("\nWorked out: %s\n", code(ex))
		}
	}
	return p.err
}

func mdTable(p *printer, m *Matrix, focus *Cell, digits int) {
	r, c := m.Value.Dims()
	p.printf("|   |")
	for j := range c {
		p.printf(" %d |", j)
	}
	p.printf("\n|---|")
	for range c {
		p.printf("---:|")
	}
	p.printf("\n")
	for i := range r {
		p.printf("| %d |", i)
		for j := range c {
			v := cellText(m.Value.At(i, j), digits)
			if focus != nil && focus.Row == i && focus.Col == j {
				v = "**" + v + "**"
			}
			p.printf(" %s |", v)
		}
		p.printf("\n")
	}
}
