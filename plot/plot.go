// Package plot draws what training and a trained network look like: loss
// and accuracy curves (Loss), the decision regions of a 2-D classifier
// (Boundary), the network as nodes and weighted edges (Network) and every
// layer's activations for a batch of samples as heat maps (Activations).
//
// Each function renders one image with gonum.org/v1/plot and writes it to
// a file whose extension chooses the format: ".png" or ".svg". The file
// is written to a temporary name in the same directory and renamed into
// place, so an error never leaves a partial image behind. Sizes are in
// pixels at 96 dots per inch; an SVG file states the same size in points
// (¾ of the pixel count), which a browser shows at Width×Height pixels.
//
// Input that cannot be plotted (an empty history, data that is not 2-D,
// a class label the predictor does not know) gives an error wrapping
// ErrData; a file name with another extension gives one wrapping
// ErrImageFormat. Nothing is modified: not the history, the data, nor the
// model; the functions may be called from any number of goroutines at
// once.
package plot

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/nerve-ml/nerve/internal/atomicfile"
	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// ErrImageFormat is wrapped by errors about an output file name whose
// extension is not .png or .svg.
var ErrImageFormat = errors.New("unsupported image format")

// ErrData is wrapped by errors about input that cannot be plotted.
var ErrData = errors.New("nothing to plot")

// DefaultMaxUnits is the number of units per layer Network draws when
// Options.MaxUnits is 0.
const DefaultMaxUnits = 16

// dpi is the resolution at which sizes in pixels become lengths.
const dpi = 96

// Options are a plot's settings; each kind of plot uses those that apply
// to it. The zero value gives every kind its default size and title.
type Options struct {
	// Width and Height are the image size in pixels; 0 means the kind's
	// default. Each must be 0 or in 100..20000.
	Width, Height int
	// Title is drawn above the plot; "" means the kind's default.
	Title string
	// MaxUnits is the most units per layer Network draws (at least 3);
	// 0 means DefaultMaxUnits. A bigger layer shows its first and last
	// units with an ellipsis and the layer's size between them.
	MaxUnits int
	// Biases makes Network draw each layer's bias as a node feeding the
	// layer, with an edge per unit like the weights.
	Biases bool
}

// CheckFormat returns an error wrapping ErrImageFormat unless path ends in
// .png or .svg (in any case), the formats the plot functions write.
func CheckFormat(path string) error {
	_, err := formatOf(path)
	return err
}

func formatOf(path string) (string, error) {
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".png", ".svg":
		return ext[1:], nil
	case "":
		return "", fmt.Errorf("plot: %s: %w: the name has no extension, want .png or .svg", path, ErrImageFormat)
	default:
		return "", fmt.Errorf("plot: %s: %w %q, want .png or .svg", path, ErrImageFormat, ext)
	}
}

// size returns the image size o asks for, or the default.
func (o Options) size(defW, defH int) (w, h int, err error) {
	w, h = defW, defH
	if o.Width != 0 {
		w = o.Width
	}
	if o.Height != 0 {
		h = o.Height
	}
	const lo, hi = 100, 20000
	if w < lo || h < lo || w > hi || h > hi {
		return 0, 0, fmt.Errorf("plot: %w: size %d×%d pixels, want each side in %d..%d", ErrData, w, h, lo, hi)
	}
	return w, h, nil
}

// render draws an image of w×h pixels with fill and writes it to path in
// the format its extension names.
func render(path string, w, h int, fill func(c draw.Canvas) error) error {
	format, err := formatOf(path)
	if err != nil {
		return err
	}
	var cv vg.CanvasWriterTo
	switch format {
	case "png":
		cv = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseImage(image.NewRGBA(image.Rect(0, 0, w, h))))}
	case "svg":
		cv = vgsvg.New(pixels(w), pixels(h))
	}
	dc := draw.New(cv)
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	if err := fill(dc); err != nil {
		return err
	}
	return writeAtomic(path, func(wr io.Writer) error {
		_, err := cv.WriteTo(wr)
		return err
	})
}

// pixels converts a length in pixels to points.
func pixels(n int) vg.Length { return vg.Length(n) * vg.Inch / dpi }

// writeAtomic writes what fill produces to a temporary file in path's
// directory and renames it to path only when all went well.
func writeAtomic(path string, fill func(w io.Writer) error) error {
	if err := atomicfile.Write(path, fill); err != nil {
		return fmt.Errorf("plot: writing %s: %w", path, err)
	}
	return nil
}

// sans is the typeface of every text: Liberation Sans, which gonum/plot
// embeds.
var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

// textStyle returns a plain text style of the given size in points.
func textStyle(size float64, clr color.Color) text.Style {
	return text.Style{
		Color:   clr,
		Font:    font.From(sans, vg.Length(size)),
		XAlign:  draw.XLeft,
		YAlign:  draw.YBottom,
		Handler: gplot.DefaultTextHandler,
	}
}

// newPlot returns a gonum plot with nerve's look: sans-serif text, the
// legend at the top right.
func newPlot(title, xlabel, ylabel string) *gplot.Plot {
	p := gplot.New()
	setFont := func(s *text.Style, size float64) {
		s.Font = font.From(sans, vg.Length(size))
	}
	p.Title.Text = title
	setFont(&p.Title.TextStyle, 13)
	p.Title.Padding = vg.Points(6)
	p.X.Label.Text, p.Y.Label.Text = xlabel, ylabel
	for _, a := range []*gplot.Axis{&p.X, &p.Y} {
		setFont(&a.Label.TextStyle, 11)
		setFont(&a.Tick.Label, 9)
	}
	setFont(&p.Legend.TextStyle, 10)
	p.Legend.Top = true
	p.Legend.Padding = vg.Points(2)
	return p
}

// grid returns light grey grid lines at the major ticks.
func grid() *plotter.Grid {
	g := plotter.NewGrid()
	g.Vertical.Color = color.Gray{Y: 215}
	g.Horizontal.Color = color.Gray{Y: 215}
	return g
}

// titled draws title centred at the top of c and returns the rest of c.
func titled(c draw.Canvas, title string) draw.Canvas {
	if title == "" {
		return c
	}
	sty := textStyle(14, color.Black)
	sty.XAlign, sty.YAlign = draw.XCenter, draw.YTop
	top := c.Max.Y - vg.Points(6)
	c.FillText(sty, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: top}, title)
	return draw.Crop(c, 0, 0, 0, -(sty.Height(title) + vg.Points(12)))
}

// colors is the qualitative colour cycle for classes and series: the
// "Tableau 10" colours, which stay distinguishable for the common forms of
// colour blindness when paired with different glyph shapes.
var colors = []color.RGBA{
	{31, 119, 180, 255},  // blue
	{255, 127, 14, 255},  // orange
	{44, 160, 44, 255},   // green
	{214, 39, 40, 255},   // red
	{148, 103, 189, 255}, // purple
	{140, 86, 75, 255},   // brown
	{227, 119, 194, 255}, // pink
	{127, 127, 127, 255}, // grey
	{188, 189, 34, 255},  // olive
	{23, 190, 207, 255},  // cyan
}

// colorOf returns the k-th colour of the cycle.
func colorOf(k int) color.RGBA { return colors[k%len(colors)] }

// mix returns the colour a fraction t of the way from white to c.
func mix(c color.RGBA, t float64) color.RGBA {
	f := func(v uint8) uint8 { return uint8(math.Round(255 - t*(255-float64(v)))) }
	return color.RGBA{f(c.R), f(c.G), f(c.B), 255}
}

// plural returns "s" unless n is 1.
func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// finite reports whether v is neither NaN nor infinite.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// intTicks marks integers in [min, max] with labels: the multiples of
// the smallest step of 1, 2 or 5 times a power of ten that gives at most
// eight of them.
var intTicks = gplot.TickerFunc(func(min, max float64) []gplot.Tick {
	lo, hi := math.Ceil(min), math.Floor(max)
	if hi < lo {
		return nil
	}
	step := 1.0
	for p := 1.0; step == 1 && (hi-lo)/p > 8; p *= 10 {
		for _, s := range []float64{2, 5, 10} {
			if (hi-lo)/(s*p) <= 8 {
				step = s * p
				break
			}
		}
	}
	var ticks []gplot.Tick
	for v := math.Ceil(lo/step) * step; v <= hi; v += step {
		ticks = append(ticks, gplot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', 0, 64)})
	}
	if len(ticks) == 0 {
		ticks = append(ticks, gplot.Tick{Value: lo, Label: strconv.FormatFloat(lo, 'f', 0, 64)})
	}
	return ticks
})
