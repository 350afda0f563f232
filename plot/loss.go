package plot

import (
	"fmt"
	"image/color"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/nerve-ml/nerve/train"
)

// Loss draws a training history: the training loss per epoch and, where
// the history has them (values that are not NaN), the validation loss,
// and a second panel with the training and validation accuracy. A dashed
// line marks h.BestEpoch when the run had more than one epoch; the title
// says whether the run stopped early. The default size is 960×420
// pixels with an accuracy panel and 640×420 without.
//
// It returns an error wrapping ErrData if h has no epoch with a finite
// loss, and one wrapping ErrImageFormat if path does not end in .png or .svg.
func Loss(path string, h *train.History, o Options) error {
	if err := CheckFormat(path); err != nil {
		return err
	}
	if h == nil {
		return fmt.Errorf("plot: %w: no training history", ErrData)
	}
	get := func(f func(train.EpochStats) float64) plotter.XYs {
		var xy plotter.XYs
		for _, e := range h.Epochs {
			if v := f(e); finite(v) {
				xy = append(xy, plotter.XY{X: float64(e.Epoch), Y: v})
			}
		}
		return xy
	}
	loss := get(func(e train.EpochStats) float64 { return e.Loss })
	valLoss := get(func(e train.EpochStats) float64 { return e.ValLoss })
	acc := get(func(e train.EpochStats) float64 { return e.Accuracy })
	valAcc := get(func(e train.EpochStats) float64 { return e.ValAccuracy })
	if len(loss) == 0 && len(valLoss) == 0 {
		return fmt.Errorf("plot: %w: the history has no epoch with a finite loss", ErrData)
	}
	panels := []*gplot.Plot{curves("loss", "loss", loss, valLoss, h.BestEpoch, len(h.Epochs))}
	if len(acc)+len(valAcc) > 0 {
		p := curves("accuracy", "accuracy", acc, valAcc, h.BestEpoch, len(h.Epochs))
		p.Legend.Top = false // accuracy rises: keep the legend off the curves
		panels = append(panels, p)
	}
	w, ht, err := o.size(320*(1+len(panels)), 420)
	if err != nil {
		return err
	}
	title := o.Title
	if title == "" {
		title = fmt.Sprintf("training history (%d epoch%s)", len(h.Epochs), plural(len(h.Epochs)))
		if h.StoppedEarly {
			title = fmt.Sprintf("training history (%d epoch%s, stopped early)", len(h.Epochs), plural(len(h.Epochs)))
		}
	}
	return render(path, w, ht, func(c draw.Canvas) error {
		c = titled(c, title)
		tiles := draw.Tiles{
			Rows: 1, Cols: len(panels),
			PadX: vg.Points(24), PadTop: vg.Points(2), PadBottom: vg.Points(8),
			PadLeft: vg.Points(8), PadRight: vg.Points(16),
		}
		canvases := gplot.Align([][]*gplot.Plot{panels}, tiles, c)
		for i, p := range panels {
			p.Draw(canvases[0][i])
		}
		return nil
	})
}

// curves returns a panel with the training series (solid) and the
// validation series (dashed) against the epoch, and the best epoch
// marked when there is more than one epoch.
func curves(title, ylabel string, training, validation plotter.XYs, best, epochs int) *gplot.Plot {
	p := newPlot(title, "epoch", ylabel)
	p.X.Tick.Marker = intTicks
	p.Add(grid())
	glyphs := epochs <= 30 // points on short runs, where lines alone hide the epochs
	add := func(xy plotter.XYs, name string, clr color.RGBA, dashed bool) {
		if len(xy) == 0 {
			return
		}
		l, _ := plotter.NewLine(xy) // values are finite: checked by the caller
		l.Color = clr
		l.Width = vg.Points(1.8)
		if dashed {
			l.Dashes = []vg.Length{vg.Points(6), vg.Points(3)}
		}
		p.Add(l)
		if glyphs || len(xy) == 1 {
			s, _ := plotter.NewScatter(xy)
			s.GlyphStyle = draw.GlyphStyle{Color: clr, Radius: vg.Points(2.5), Shape: draw.CircleGlyph{}}
			p.Add(s)
			p.Legend.Add(name, l, s)
		} else {
			p.Legend.Add(name, l)
		}
	}
	add(training, "training", colorOf(0), false)
	add(validation, "validation", colorOf(1), true)
	// 5 % of room above and below the curves.
	lo, hi := p.Y.Min, p.Y.Max
	if lo == hi {
		lo, hi = lo-0.5, hi+0.5
	}
	pad := 0.05 * (hi - lo)
	lo, hi = lo-pad, hi+pad
	p.Y.Min, p.Y.Max = lo, hi
	if best > 0 && epochs > 1 {
		m, _ := plotter.NewLine(plotter.XYs{{X: float64(best), Y: lo}, {X: float64(best), Y: hi}})
		m.Color = color.RGBA{90, 90, 90, 255}
		m.Width = vg.Points(1)
		m.Dashes = []vg.Length{vg.Points(2), vg.Points(3)}
		p.Add(m)
		p.Legend.Add(fmt.Sprintf("best epoch %d", best), m)
	}
	p.X.Min = min(p.X.Min, 1)
	return p
}
