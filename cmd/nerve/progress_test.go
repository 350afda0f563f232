package main

import (
	"io"
	"strings"
	"testing"
	"time"

	"github.com/nerve-ml/nerve/train"
)

// TestProgressBatchAllocates: the bar is drawn at most ten times a second,
// and the batches in between allocate nothing; a draw writes the bar.
func TestProgressBatchAllocates(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	var out strings.Builder
	p := &progress{w: &out, terminal: true, start: time.Now(), last: time.Now().Add(time.Hour)}
	b := train.BatchEnd{Epoch: 1, Epochs: 3, Batch: 5, Batches: 469, Samples: 128, Loss: 0.5}
	if n := testing.AllocsPerRun(100, func() { p.batch(b) }); n != 0 {
		t.Errorf("a batch between two draws of the bar allocates %v times; want 0", n)
	}
	if out.Len() != 0 {
		t.Errorf("a batch between two draws wrote %q", out.String())
	}
	p.last = time.Time{}
	p.batch(b)
	if !strings.Contains(out.String(), "batch 5/469") {
		t.Errorf("the bar was not drawn: %q", out.String())
	}
	for _, quiet := range []*progress{{w: io.Discard, quiet: true}, {w: io.Discard}} {
		if n := testing.AllocsPerRun(100, func() { quiet.batch(b) }); n != 0 {
			t.Errorf("quiet %v, terminal false: a batch allocates %v times; want 0", quiet.quiet, n)
		}
	}
}
