package plot

import (
	"fmt"
	"image"
	"image/color"
	"math"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/model"
	"github.com/nerve-ml/nerve/tensor"
)

// Activations draws what every layer of m's network computes for the
// samples X (raw features, standardised with m.Scaler if it has one): a
// heat map per layer of its A, samples down (the first at the top) and
// units across, coloured blue below 0, light grey at 0 and red above, on a
// scale symmetric about 0 that a colour bar under the map labels. The
// panels are laid out in rows of up to three. The default size is 380
// pixels wide per panel and 440 high per row.
//
// Keep X to a few dozen samples: every sample is a row of every map.
// It returns an error wrapping ErrData if X is empty, does not have one
// column per network input or gives activations that are not finite,
// and one wrapping ErrImageFormat if path does not end in .png or .svg.
func Activations[T tensor.Float](path string, m *model.Model[T], X *tensor.Dense[float64], o Options) error {
	if err := CheckFormat(path); err != nil {
		return err
	}
	if m == nil || m.Network == nil {
		return fmt.Errorf("plot: %w: no network", ErrData)
	}
	net := m.Network
	if err := net.Validate(); err != nil {
		return fmt.Errorf("plot: %w: %w", ErrData, err)
	}
	if X == nil || X.Rows() == 0 {
		return fmt.Errorf("plot: %w: no samples", ErrData)
	}
	if X.Cols() != net.Inputs() {
		return fmt.Errorf("plot: %w: the samples have %d features, the network %d inputs", ErrData, X.Cols(), net.Inputs())
	}
	var in *tensor.Dense[T]
	if m.Scaler != nil {
		var err error
		if in, err = data.Transform[T](m.Scaler, X); err != nil {
			return fmt.Errorf("plot: %w: %w", ErrData, err)
		}
	} else {
		in = tensor.Convert[T](X)
	}
	cache, err := net.Forward(in)
	if err != nil {
		return fmt.Errorf("plot: %w: %w", ErrData, err)
	}
	L := len(net.Layers)
	cols := min(L, 3)
	rows := (L + cols - 1) / cols
	w, h, err := o.size(380*cols, 440*rows)
	if err != nil {
		return err
	}
	type panel struct {
		heat, bar *gplot.Plot
	}
	panels := make([]panel, L)
	for l, lc := range cache.Layers {
		A := tensor.Convert[float64](lc.A)
		scale := 0.0
		for _, v := range A.Data() {
			if !finite(v) {
				return fmt.Errorf("plot: %w: layer %d's activations include %v", ErrData, l+1, v)
			}
			scale = math.Max(scale, math.Abs(v))
		}
		if scale == 0 {
			scale = 1
		}
		cm := moreland.SmoothBlueRed()
		cm.SetMin(-scale)
		cm.SetMax(scale)

		name := fmt.Sprintf("layer %d: %s", l+1, net.Layers[l].Activation)
		if l == L-1 {
			name = fmt.Sprintf("output: %s", net.Layers[l].Activation)
		}
		heat := newPlot(fmt.Sprintf("%s (%d unit%s)", name, A.Cols(), plural(A.Cols())), "unit", "sample")
		img, err := heatImage(A, cm)
		if err != nil {
			return err
		}
		heat.Add(plotter.NewImage(img, 0.5, 0.5, float64(A.Cols())+0.5, float64(A.Rows())+0.5))
		heat.X.Tick.Marker = intTicks
		heat.Y.Tick.Marker = sampleTicks(A.Rows())
		heat.X.Padding, heat.Y.Padding = 0, 0

		bar := newPlot("", "A", "")
		bar.HideY()
		bar.X.Padding, bar.Y.Padding = 0, 0
		bar.Add(&plotter.ColorBar{ColorMap: cm})
		panels[l] = panel{heat, bar}
	}

	title := o.Title
	if title == "" {
		title = fmt.Sprintf("activations of %d sample%s", X.Rows(), plural(X.Rows()))
	}
	return render(path, w, h, func(c draw.Canvas) error {
		c = titled(c, title)
		c = draw.Crop(c, vg.Points(6), -vg.Points(12), vg.Points(4), 0)
		tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Points(28), PadY: vg.Points(18)}
		barH := vg.Points(44)
		for l, p := range panels {
			cell := tiles.At(c, l%cols, l/cols)
			hc := draw.Crop(cell, 0, 0, barH+vg.Points(10), 0)
			p.heat.Draw(hc)
			// The colour bar spans the map's width, under its axis.
			dc := p.heat.DataCanvas(hc)
			bc := cell
			bc.Min.X, bc.Max.X = dc.Min.X, dc.Max.X
			bc.Max.Y = cell.Min.Y + barH
			p.bar.Draw(bc)
		}
		return nil
	})
}

// heatImage returns A (samples × units) as an image of one block of
// pixels per value, sample 1 at the top, coloured by cm. The blocks are
// several pixels wide so that scaling the image to the plot keeps the
// cells sharp.
func heatImage(A *tensor.Dense[float64], cm palette.ColorMap) (*image.RGBA, error) {
	n, u := A.Dims()
	kx, ky := max(1, 480/u), max(1, 480/n)
	img := image.NewRGBA(image.Rect(0, 0, u*kx, n*ky))
	for i := range n {
		for j, v := range A.Row(i) {
			c, err := cm.At(v)
			if err != nil {
				return nil, fmt.Errorf("plot: %w: value %v: %w", ErrData, v, err)
			}
			rgba := color.RGBAModel.Convert(c).(color.RGBA)
			for y := i * ky; y < (i+1)*ky; y++ {
				for x := j * kx; x < (j+1)*kx; x++ {
					img.SetRGBA(x, y, rgba)
				}
			}
		}
	}
	return img, nil
}

// sampleTicks labels the rows of a heat map of n samples, drawn with the
// first sample at the top (y = n), by sample number.
func sampleTicks(n int) gplot.Ticker {
	return gplot.TickerFunc(func(min, max float64) []gplot.Tick {
		ticks := intTicks.Ticks(1, float64(n))
		for i := range ticks {
			ticks[i].Value = float64(n+1) - ticks[i].Value
		}
		return ticks
	})
}
