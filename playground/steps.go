package playground

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/nerve-ml/nerve/trace"
)

// traceDigits is how many digits after the decimal point step mode shows.
const traceDigits = 4

// WriteTrace writes the next training iteration of the current network on
// its first batch (the first state.Batch training points, at most 16, so
// the matrices stay readable) as trace lays it out, step by step: an HTML
// fragment of <section class="step" data-step="N"> elements, numbered
// from 0, preceded by a summary and trace's stylesheet scoped to
// #trace. The numbers are those of (*nn.Network).Forward, Backward and a
// plain gradient-descent Update at state.LR, as nerve trace prints them;
// the session itself is not changed.
func (s *Session) WriteTrace(w io.Writer) error {
	n := min(s.state.Batch, s.nTrain, 16)
	t, err := trace.New(s.net, s.Xtr.Slice(0, n), s.Ytr.Slice(0, n), trace.Options{
		LR:    s.state.LR,
		Title: fmt.Sprintf("Epoch %d: the next iteration on the first %d training points", s.epoch+1, n),
	})
	if err != nil {
		return err
	}
	var page bytes.Buffer
	if err := t.WriteHTML(&page, traceDigits); err != nil {
		return err
	}
	html := page.String()
	css := between(html, "<style>", "</style>")
	body := between(html, "<body>", "</body>")
	if body == "" {
		return fmt.Errorf("playground: trace.WriteHTML wrote no <body>")
	}
	_, err = fmt.Fprintf(w, "<style>%s</style>\n<p class=\"trace-note\">Features in order: %s. The page trains with %s; these steps show plain gradient descent, as nerve trace does.</p>\n%s",
		scopeCSS(css, "#trace"), strings.Join(s.state.Features, ", "), s.state.Optimizer, body)
	return err
}

// between returns the text of s between the first open and the next
// close, or "".
func between(s, open, close string) string {
	_, after, ok := strings.Cut(s, open)
	if !ok {
		return ""
	}
	in, _, ok := strings.Cut(after, close)
	if !ok {
		return ""
	}
	return in
}

// scopeCSS prefixes every selector of css, one rule a line, with scope,
// dropping the rule for body, so that trace's page style applies only
// inside the element scope names.
func scopeCSS(css, scope string) string {
	var out strings.Builder
	for line := range strings.SplitSeq(css, "\n") {
		sel, rule, ok := strings.Cut(line, "{")
		if !ok || strings.TrimSpace(sel) == "body" {
			continue
		}
		parts := strings.Split(sel, ",")
		for i, p := range parts {
			parts[i] = scope + " " + strings.TrimSpace(p)
		}
		out.WriteString(strings.Join(parts, ",") + "{" + rule + "\n")
	}
	return out.String()
}

// Command returns the command lines that draw the session's data with
// nerve data and train a network of the same shape on it with nerve
// train. nerve train standardises its inputs and takes only the columns
// of the file, X₁ and X₂, so it reaches a similar network, not the same
// weights.
func (s *Session) Command() string {
	st := s.state
	var b strings.Builder
	file := st.Dataset + ".csv"
	if st.Dataset == Upload {
		file = "playground.csv"
		b.WriteString("# playground.csv: the uploaded data (Download data)\n")
	} else {
		fmt.Fprintf(&b, "nerve data %s --samples %d --noise %s --seed %d", st.Dataset, st.samples(),
			strconv.FormatFloat(float64(st.Noise)/100, 'g', -1, 64), st.Seed)
		if st.Classes != 2 {
			fmt.Fprintf(&b, " --classes %d", st.Classes)
		}
		fmt.Fprintf(&b, " --out %s\n", file)
	}
	hidden := "none"
	if len(st.Hidden) > 0 {
		h := make([]string, len(st.Hidden))
		for i, v := range st.Hidden {
			h[i] = strconv.Itoa(v)
		}
		hidden = strings.Join(h, ",")
	}
	act := st.Activation
	if act == "linear" {
		act = "tanh" // nerve train's hidden activations have no identity
		b.WriteString("# nerve train has no linear hidden layers; tanh instead\n")
	}
	opt := st.Optimizer
	fmt.Fprintf(&b, "nerve train --data %s --task %s --hidden %s --activation %s --optimizer %s --lr %s --batch %d --epochs %d --seed %d --out playground.nerve\n",
		file, st.Problem, hidden, act, opt, strconv.FormatFloat(st.LR, 'g', -1, 64), st.Batch, max(s.epoch, 1), st.Seed)
	return b.String()
}
