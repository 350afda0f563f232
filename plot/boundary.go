package plot

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"strconv"
	"strings"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/tensor"
)

// Predictor maps samples (rows of X, raw features) to class
// probabilities, one column per class, or to a single column holding the
// probability of the second of two classes. *model.Model[T] is one.
type Predictor interface {
	Predict(X *tensor.Dense[float64]) (*tensor.Dense[float64], error)
}

// PredictFunc adapts a function to a Predictor.
type PredictFunc func(X *tensor.Dense[float64]) (*tensor.Dense[float64], error)

// Predict returns f(X).
func (f PredictFunc) Predict(X *tensor.Dense[float64]) (*tensor.Dense[float64], error) {
	return f(X)
}

// boundaryGrid is the number of grid cells per side at which Boundary
// asks the predictor for classes.
const boundaryGrid = 240

// Boundary draws the decision regions of a classifier of two features:
// it predicts the class of every cell of a grid that covers d's samples
// with a margin of 10 % on each side, fills each class's region with a
// light shade of its colour (paler where the predicted probability is
// lower), darkens the cells where the class changes, and draws d's
// samples on top, coloured and shaped by their label, with a legend of
// the class names. The default size is 720×560 pixels.
//
// classes names p's output columns: class k is column k, or, for a
// single-column output, classes[0] below 0.5 and classes[1] above; nil
// means "0", "1", …. d.X must have two columns, named by d.Features if
// set; d.Labels, if set, must be among classes (without labels the
// samples are drawn in grey).
//
// It returns an error wrapping ErrData for data or predictions that do
// not fit, the error p returns, and one wrapping ErrImageFormat if path does
// not end in .png or .svg.
func Boundary(path string, p Predictor, classes []string, d *data.Dataset, o Options) error {
	if err := CheckFormat(path); err != nil {
		return err
	}
	if d == nil || d.X == nil || d.Len() == 0 {
		return fmt.Errorf("plot: %w: no samples", ErrData)
	}
	if d.X.Cols() != 2 {
		return fmt.Errorf("plot: %w: a decision boundary needs samples of 2 features, %s has %d", ErrData, orName(d.Name), d.X.Cols())
	}
	if d.Labels != nil && len(d.Labels) != d.Len() {
		return fmt.Errorf("plot: %w: %d labels for %d samples", ErrData, len(d.Labels), d.Len())
	}
	for i, v := range d.X.Data() {
		if !finite(v) {
			return fmt.Errorf("plot: %w: sample %d, feature %d is %v", ErrData, i/2+1, i%2+1, v)
		}
	}
	w, h, err := o.size(720, 560)
	if err != nil {
		return err
	}

	// The grid: boundaryGrid² cell centres over the data's range plus a
	// margin, row 0 at the top as in an image.
	lo, hi := [2]float64{math.Inf(1), math.Inf(1)}, [2]float64{math.Inf(-1), math.Inf(-1)}
	for i := range d.Len() {
		for j, v := range d.X.Row(i) {
			lo[j], hi[j] = math.Min(lo[j], v), math.Max(hi[j], v)
		}
	}
	for j := range lo {
		m := 0.1 * (hi[j] - lo[j])
		if m == 0 {
			m = math.Max(0.5, 0.1*math.Abs(lo[j]))
		}
		lo[j], hi[j] = lo[j]-m, hi[j]+m
	}
	n := boundaryGrid
	G := tensor.Zeros[float64](n*n, 2)
	for r := range n {
		y := hi[1] - (float64(r)+0.5)*(hi[1]-lo[1])/float64(n)
		for c := range n {
			G.Set(r*n+c, 0, lo[0]+(float64(c)+0.5)*(hi[0]-lo[0])/float64(n))
			G.Set(r*n+c, 1, y)
		}
	}
	P, err := predictAll(p, G)
	if err != nil {
		return err
	}
	k := max(P.Cols(), 2)
	if classes == nil {
		for c := range k {
			classes = append(classes, strconv.Itoa(c))
		}
	}
	if len(classes) != k {
		return fmt.Errorf("plot: %w: %d class names for a predictor with %d outputs, want %d", ErrData, len(classes), P.Cols(), k)
	}
	index := make(map[string]int, k)
	for c, name := range classes {
		index[name] = c
	}
	var y []int
	if d.Labels != nil {
		y = make([]int, d.Len())
		for i, l := range d.Labels {
			c, ok := index[l]
			if !ok {
				return fmt.Errorf("plot: %w: sample %d has label %q, which is not one of the classes (%s)", ErrData, i+1, l, strings.Join(classes, ", "))
			}
			y[i] = c
		}
	}

	// Each cell's class and how sure the predictor is, as a shade.
	class := make([]int, n*n)
	img := image.NewRGBA(image.Rect(0, 0, n, n))
	for i := range n * n {
		c, prob, err := decide(P.Row(i))
		if err != nil {
			return err
		}
		class[i] = c
		// prob is in [1/k, 1]; map it to a shade of 0.15 (a toss-up)
		// to 0.4 (certain).
		sure := (prob - 1/float64(k)) / (1 - 1/float64(k))
		img.SetRGBA(i%n, i/n, mix(colorOf(c), 0.15+0.25*sure))
	}
	for i := range n * n {
		r, c := i/n, i%n
		if (c+1 < n && class[i+1] != class[i]) || (r+1 < n && class[i+n] != class[i]) {
			img.SetRGBA(c, r, mix(colorOf(class[i]), 0.7))
		}
	}

	title := o.Title
	if title == "" {
		title = "decision boundary"
	}
	xname, yname := "x1", "x2"
	if len(d.Features) == 2 {
		xname, yname = d.Features[0], d.Features[1]
	}
	plt := newPlot(title, xname, yname)
	plt.Add(plotter.NewImage(img, lo[0], lo[1], hi[0], hi[1]))
	legend := gplot.NewLegend()
	legend.TextStyle = textStyle(11, color.Black)
	legend.Top, legend.Left = true, true
	legend.Padding = vg.Points(4)
	legend.ThumbnailWidth = vg.Points(22)
	for c, name := range classes {
		var xy plotter.XYs
		for i, yc := range y {
			if yc == c {
				xy = append(xy, plotter.XY{X: d.X.At(i, 0), Y: d.X.At(i, 1)})
			}
		}
		sty := draw.GlyphStyle{Color: colorOf(c), Radius: vg.Points(3.2), Shape: marker(c)}
		region := swatch{mix(colorOf(c), 0.35)}
		if len(xy) == 0 {
			legend.Add(name, region)
			continue
		}
		s, _ := plotter.NewScatter(xy) // finite: checked above
		s.GlyphStyle = sty
		plt.Add(s)
		legend.Add(name, region, s)
	}
	if y == nil {
		s, _ := plotter.NewScatter(pointsOf(d.X))
		s.GlyphStyle = draw.GlyphStyle{Color: color.RGBA{110, 110, 110, 255}, Radius: vg.Points(2.8), Shape: marker(0)}
		plt.Add(s)
		legend.Add("samples", s)
	}
	plt.X.Min, plt.X.Max, plt.Y.Min, plt.Y.Max = lo[0], hi[0], lo[1], hi[1]
	return render(path, w, h, func(c draw.Canvas) error {
		c = draw.Crop(c, vg.Points(4), -vg.Points(4), vg.Points(4), -vg.Points(4))
		lw := legend.Rectangle(c).Size().X + vg.Points(16)
		plt.Draw(draw.Crop(c, 0, -lw, 0, 0))
		// The legend sits right of the plot, level with its top.
		lc := draw.Crop(c, c.Size().X-lw+vg.Points(10), 0, 0, 0)
		lc.Max.Y -= plt.Title.TextStyle.Height(title) + plt.Title.Padding + vg.Points(4)
		legend.Draw(lc)
		return nil
	})
}

// predictChunk is the most grid cells Boundary passes to the predictor
// at once, which bounds the memory a wide network's forward pass takes.
const predictChunk = 4096

// predictAll returns p's predictions for the rows of G, asking for
// predictChunk rows at a time.
func predictAll(p Predictor, G *tensor.Dense[float64]) (*tensor.Dense[float64], error) {
	var P *tensor.Dense[float64]
	for lo := 0; lo < G.Rows(); lo += predictChunk {
		hi := min(lo+predictChunk, G.Rows())
		part, err := p.Predict(G.Slice(lo, hi))
		if err != nil {
			return nil, err
		}
		if part == nil || part.Rows() != hi-lo || part.Cols() < 1 || P != nil && part.Cols() != P.Cols() {
			return nil, fmt.Errorf("plot: %w: the predictor returned %s for %d samples", ErrData, shapeOf(part), hi-lo)
		}
		if P == nil {
			P = tensor.Zeros[float64](G.Rows(), part.Cols())
		}
		copy(P.Data()[lo*P.Cols():], part.Data())
	}
	return P, nil
}

// decide returns the class a row of predictions picks and its
// probability: the largest column, or for one column p, class 1 if
// p > 0.5.
func decide(row []float64) (class int, prob float64, err error) {
	for _, v := range row {
		if !finite(v) {
			return 0, 0, fmt.Errorf("plot: %w: the predictor returned %v", ErrData, v)
		}
	}
	if len(row) == 1 {
		if row[0] > 0.5 {
			return 1, math.Min(row[0], 1), nil
		}
		return 0, math.Min(1-row[0], 1), nil
	}
	for j, v := range row {
		if v > row[class] {
			class = j
		}
	}
	return class, math.Min(row[class], 1), nil
}

func pointsOf(X *tensor.Dense[float64]) plotter.XYs {
	xy := make(plotter.XYs, X.Rows())
	for i := range xy {
		xy[i] = plotter.XY{X: X.At(i, 0), Y: X.At(i, 1)}
	}
	return xy
}

func shapeOf(m *tensor.Dense[float64]) string {
	if m == nil {
		return "nothing"
	}
	return m.Shape()
}

func orName(name string) string {
	if name == "" {
		return "the data"
	}
	return name
}

// swatch is a legend thumbnail: a filled square of one colour.
type swatch struct{ color color.Color }

func (s swatch) Thumbnail(c *draw.Canvas) {
	r := c.Rectangle
	side := math.Min(float64(r.Size().X), float64(r.Size().Y))
	ctr := c.Center()
	h := vg.Length(side) / 2
	c.FillPolygon(s.color, []vg.Point{
		{X: ctr.X - h, Y: ctr.Y - h}, {X: ctr.X + h, Y: ctr.Y - h},
		{X: ctr.X + h, Y: ctr.Y + h}, {X: ctr.X - h, Y: ctr.Y + h},
	})
}

// marker returns the k-th point shape: circle, square, triangle up,
// diamond, triangle down, each filled and outlined in a darker tone.
func marker(k int) draw.GlyphDrawer { return outlined(k % 5) }

type outlined int

func (o outlined) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	r := sty.Radius
	var p vg.Path
	poly := func(pts ...vg.Point) {
		p.Move(pts[0])
		for _, q := range pts[1:] {
			p.Line(q)
		}
		p.Close()
	}
	switch o {
	case 0:
		p.Move(vg.Point{X: pt.X + r, Y: pt.Y})
		p.Arc(pt, r, 0, 2*math.Pi)
		p.Close()
	case 1:
		s := r * 0.9
		poly(vg.Point{X: pt.X - s, Y: pt.Y - s}, vg.Point{X: pt.X + s, Y: pt.Y - s}, vg.Point{X: pt.X + s, Y: pt.Y + s}, vg.Point{X: pt.X - s, Y: pt.Y + s})
	case 2:
		s := r * 1.25
		poly(vg.Point{X: pt.X, Y: pt.Y + s}, vg.Point{X: pt.X - s*0.866, Y: pt.Y - s*0.5}, vg.Point{X: pt.X + s*0.866, Y: pt.Y - s*0.5})
	case 3:
		s := r * 1.2
		poly(vg.Point{X: pt.X, Y: pt.Y + s}, vg.Point{X: pt.X - s, Y: pt.Y}, vg.Point{X: pt.X, Y: pt.Y - s}, vg.Point{X: pt.X + s, Y: pt.Y})
	default:
		s := r * 1.25
		poly(vg.Point{X: pt.X, Y: pt.Y - s}, vg.Point{X: pt.X - s*0.866, Y: pt.Y + s*0.5}, vg.Point{X: pt.X + s*0.866, Y: pt.Y + s*0.5})
	}
	c.SetColor(sty.Color)
	c.Fill(p)
	c.SetLineStyle(draw.LineStyle{Color: darker(sty.Color), Width: vg.Points(0.6)})
	c.Stroke(p)
}

// darker returns c at 55 % of its brightness.
func darker(c color.Color) color.Color {
	r, g, b, a := c.RGBA()
	f := func(v uint32) uint8 { return uint8(float64(v>>8) * 0.55) }
	return color.RGBA{f(r), f(g), f(b), uint8(a >> 8)}
}
