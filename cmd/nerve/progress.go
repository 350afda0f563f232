package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"

	"github.com/nerve-ml/nerve/train"
)

// progress reports training on stderr: a bar redrawn at most ten times a
// second on a terminal, one line per epoch otherwise, nothing when quiet.
type progress struct {
	w        io.Writer
	quiet    bool
	terminal bool
	last     time.Time
	start    time.Time
	drawn    bool
	val      string // the last epoch's validation figures, for the bar
	resumed  int    // epochs a resumed run had done before this process
}

func newProgress(w io.Writer, quiet bool) *progress {
	return &progress{w: w, quiet: quiet, terminal: isTerminal(w), start: time.Now()}
}

// say prints one line unless quiet.
func (p *progress) say(format string, a ...any) {
	if p.quiet {
		return
	}
	p.clear()
	fmt.Fprintf(p.w, format+"\n", a...)
}

func (p *progress) clear() {
	if p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
		p.drawn = false
	}
}

// batch redraws the bar on a terminal.
func (p *progress) batch(b train.BatchEnd) error {
	if p.quiet || !p.terminal {
		return nil
	}
	now := time.Now()
	if now.Sub(p.last) < 100*time.Millisecond && b.Batch != b.Batches {
		return nil
	}
	p.last = now
	done := float64(b.Epoch-1) + float64(b.Batch)/float64(b.Batches)
	frac := done / float64(b.Epochs)
	const width = 24
	n := int(frac * width)
	bar := strings.Repeat("=", n) + strings.Repeat(" ", width-n)
	eta := "?"
	// The ETA extrapolates this process's own pace over what it has left.
	ran := (done - float64(p.resumed)) / float64(b.Epochs-p.resumed)
	if elapsed := now.Sub(p.start); ran > 0 {
		eta = (time.Duration(float64(elapsed) * (1 - ran) / ran)).Round(time.Second).String()
	}
	fmt.Fprintf(p.w, "\r\033[Kepoch %d/%d [%s] batch %d/%d loss %.4f%s ETA %s", b.Epoch, b.Epochs, bar, b.Batch, b.Batches, b.Loss, p.val, eta)
	p.drawn = true
	return nil
}

// epoch prints the epoch's line (not on a terminal, where the bar shows
// it) and remembers the validation figures for the bar.
func (p *progress) epoch(e train.EpochEnd, elapsed time.Duration) {
	var b strings.Builder
	fmt.Fprintf(&b, "epoch %d/%d  loss %.4f", e.Epoch, e.Epochs, e.Loss)
	if !math.IsNaN(e.Accuracy) {
		fmt.Fprintf(&b, "  accuracy %.4f", e.Accuracy)
	}
	p.val = ""
	if !math.IsNaN(e.ValLoss) {
		fmt.Fprintf(&b, "  val_loss %.4f", e.ValLoss)
		p.val = fmt.Sprintf(" val_loss %.4f", e.ValLoss)
	}
	if !math.IsNaN(e.ValAccuracy) {
		fmt.Fprintf(&b, "  val_accuracy %.4f", e.ValAccuracy)
		p.val += fmt.Sprintf(" val_acc %.4f", e.ValAccuracy)
	}
	fmt.Fprintf(&b, "  %.1fs", elapsed.Seconds())
	if p.quiet || p.terminal {
		return
	}
	// At most about 20 lines per run: every k-th epoch, and the last.
	k := (e.Epochs + 19) / 20
	if e.Epoch%k == 0 || e.Epoch == e.Epochs || e.Epoch == 1 {
		fmt.Fprintln(p.w, b.String())
	}
}

// done ends the bar's line.
func (p *progress) done() {
	if p.drawn {
		fmt.Fprintln(p.w)
		p.drawn = false
	}
}

// epochJSON is one epoch as a --json line, without the fields that do not
// apply (JSON has no NaN).
func epochJSON(e train.EpochStats) map[string]any {
	m := map[string]any{"epoch": e.Epoch, "lr": e.LR, "loss": e.Loss}
	for k, v := range map[string]float64{"accuracy": e.Accuracy, "val_loss": e.ValLoss, "val_accuracy": e.ValAccuracy} {
		if !math.IsNaN(v) {
			m[k] = v
		}
	}
	return m
}

func writeJSONLine(w io.Writer, v any) {
	b, _ := json.Marshal(v)
	fmt.Fprintf(w, "%s\n", b)
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
