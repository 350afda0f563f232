package plot

import (
	"fmt"
	"image/color"
	"math"
	"sort"
	"unicode/utf8"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/nerve-ml/nerve/model"
	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/tensor"
)

// The colours of positive and negative weights.
var (
	positive = color.RGBA{33, 102, 172, 255} // blue
	negative = color.RGBA{178, 24, 43, 255}  // red
)

// Network draws m's network as a diagram: a column of nodes per layer,
// inputs on the left, and an edge for every weight, blue when it is
// positive and red when it is negative, its width and opacity growing
// with |w| relative to the largest |w| of its layer. Each column is
// captioned with its size and activation; the inputs are labelled with
// m.Features and the outputs with m.Classes (or m.Target), when set.
// A layer with more than o.MaxUnits units shows its first and last ones
// and an ellipsis; with o.Biases each layer's bias is a square node
// above the column before it. The default size is 900×560 pixels.
//
// It returns an error wrapping ErrData if m has no valid network, and
// one wrapping ErrImageFormat if path does not end in .png or .svg.
func Network[T tensor.Float](path string, m *model.Model[T], o Options) error {
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
	maxUnits := o.MaxUnits
	if maxUnits == 0 {
		maxUnits = DefaultMaxUnits
	}
	if maxUnits < 3 {
		return fmt.Errorf("plot: %w: MaxUnits is %d, want at least 3", ErrData, maxUnits)
	}
	w, h, err := o.size(900, 560)
	if err != nil {
		return err
	}
	title := o.Title
	if title == "" {
		title = fmt.Sprintf("network (%d parameters)", net.NumParams())
	}

	// The columns: the inputs, then every layer's units.
	L := len(net.Layers)
	sizes := []int{net.Inputs()}
	for _, l := range net.Layers {
		sizes = append(sizes, l.Outputs())
	}
	shown := make([][]int, L+1) // per column, the units drawn; -1 is the ellipsis
	for i, n := range sizes {
		shown[i] = visible(n, maxUnits)
	}
	var inNames, outNames []string
	if len(m.Features) == sizes[0] {
		inNames = m.Features
	}
	switch {
	case len(m.Classes) == sizes[L]:
		outNames = m.Classes
	case sizes[L] == 1 && m.Target != "":
		outNames = []string{m.Target}
	}

	return render(path, w, h, func(c draw.Canvas) error {
		c = titled(c, title)
		label := textStyle(9, color.Black)
		caption := textStyle(10, color.Black)
		caption.XAlign, caption.YAlign = draw.XCenter, draw.YTop
		small := textStyle(9, color.Gray{Y: 80})
		small.XAlign, small.YAlign = draw.XCenter, draw.YTop

		// Room for the names on each side, the captions and the key
		// below.
		leftW := max(labelWidth(label, inNames, shown[0]), caption.Width(colCaption(net, sizes, 0))/2)
		rightW := max(labelWidth(label, outNames, shown[L]), caption.Width(colCaption(net, sizes, L))/2)
		area := draw.Crop(c, leftW+vg.Points(16), -(rightW + vg.Points(16)), caption.Height("X\nX")+small.Height("X")+vg.Points(22), 0)

		slots := 0
		for _, s := range shown {
			slots = max(slots, len(s))
		}
		if o.Biases {
			slots++
		}
		dy := area.Size().Y / vg.Length(slots)
		dx := area.Size().X / vg.Length(max(L, 1))
		r := min(dy*0.32, dx*0.06, vg.Points(9))
		colX := func(i int) vg.Length { return area.Min.X + vg.Length(i)*dx }
		// Unit slots are centred vertically; the bias node, if any,
		// sits one slot above the column's units.
		slotY := func(col, s int) vg.Length {
			n := len(shown[col])
			top := area.Min.Y + (area.Size().Y+vg.Length(n-1)*dy)/2
			if o.Biases {
				top -= dy / 2
			}
			return top - vg.Length(s)*dy
		}
		biasY := func(col int) vg.Length { return slotY(col, -1) }

		// Edges, weakest first so that strong ones stay visible.
		type edge struct {
			from, to vg.Point
			w        float64
		}
		for l, layer := range net.Layers {
			var edges []edge
			scale := 0.0
			for _, v := range layer.W.Data() {
				scale = math.Max(scale, math.Abs(float64(v)))
			}
			if layer.B != nil {
				for _, v := range layer.B.Data() {
					scale = math.Max(scale, math.Abs(float64(v)))
				}
			}
			for s, i := range shown[l] {
				if i < 0 {
					continue
				}
				for t, j := range shown[l+1] {
					if j < 0 {
						continue
					}
					edges = append(edges, edge{vg.Point{X: colX(l), Y: slotY(l, s)}, vg.Point{X: colX(l + 1), Y: slotY(l+1, t)}, float64(layer.W.At(i, j))})
				}
			}
			if o.Biases && layer.B != nil {
				for t, j := range shown[l+1] {
					if j >= 0 {
						edges = append(edges, edge{vg.Point{X: colX(l), Y: biasY(l)}, vg.Point{X: colX(l + 1), Y: slotY(l+1, t)}, float64(layer.B.At(0, j))})
					}
				}
			}
			sort.SliceStable(edges, func(a, b int) bool { return math.Abs(edges[a].w) < math.Abs(edges[b].w) })
			// Thinner lines where there are many, so that the
			// strongest stand out of the crowd.
			widest := 3.5 * math.Min(1, math.Sqrt(64/float64(len(edges))))
			for _, e := range edges {
				f := 0.0
				if scale > 0 {
					f = math.Abs(e.w) / scale
				}
				clr := positive
				if e.w < 0 {
					clr = negative
				}
				clr.A = uint8(math.Round(255 * (0.1 + 0.85*f*f)))
				c.StrokeLine2(draw.LineStyle{Color: premultiply(clr), Width: vg.Points(0.25 + widest*f)}, e.from.X, e.from.Y, e.to.X, e.to.Y)
			}
		}

		// Nodes, names and captions.
		outline := draw.LineStyle{Color: color.Gray{Y: 40}, Width: vg.Points(1)}
		for col, units := range shown {
			x := colX(col)
			fill := color.Color(color.White)
			if col == L {
				fill = color.Gray{Y: 235}
			}
			for s, i := range units {
				y := slotY(col, s)
				if i < 0 {
					more := sizes[col] - (len(units) - 1)
					for k := -1; k <= 1; k++ { // a vertical ellipsis
						dot(c, vg.Point{X: x, Y: y + vg.Length(k)*r*0.7}, r*0.18, color.Gray{Y: 60})
					}
					m := small
					m.XAlign, m.YAlign = draw.XLeft, draw.YCenter
					txt := fmt.Sprintf("%d more", more)
					at := vg.Point{X: x + r*0.7, Y: y}
					tw, th := m.Width(txt), m.Height(txt)
					pad := vg.Points(2)
					c.FillPolygon(color.White, []vg.Point{
						{X: at.X - pad, Y: at.Y - th/2 - pad}, {X: at.X + tw + pad, Y: at.Y - th/2 - pad},
						{X: at.X + tw + pad, Y: at.Y + th/2 + pad}, {X: at.X - pad, Y: at.Y + th/2 + pad},
					})
					c.FillText(m, at, txt)
					continue
				}
				circle(c, vg.Point{X: x, Y: y}, r, fill, outline)
				if col == 0 && inNames != nil {
					sty := label
					sty.XAlign, sty.YAlign = draw.XRight, draw.YCenter
					c.FillText(sty, vg.Point{X: x - r - vg.Points(4), Y: y}, clip(inNames[i]))
				}
				if col == L && outNames != nil {
					sty := label
					sty.XAlign, sty.YAlign = draw.XLeft, draw.YCenter
					c.FillText(sty, vg.Point{X: x + r + vg.Points(4), Y: y}, clip(outNames[i]))
				}
			}
			if o.Biases && col < L && net.Layers[col].B != nil {
				y := biasY(col)
				b := r * 0.8
				c.FillPolygon(color.Gray{Y: 245}, []vg.Point{{X: x - b, Y: y - b}, {X: x + b, Y: y - b}, {X: x + b, Y: y + b}, {X: x - b, Y: y + b}})
				c.StrokeLines(outline, []vg.Point{{X: x - b, Y: y - b}, {X: x + b, Y: y - b}, {X: x + b, Y: y + b}, {X: x - b, Y: y + b}, {X: x - b, Y: y - b}})
				sty := textStyle(7, color.Black)
				sty.XAlign, sty.YAlign = draw.XCenter, draw.YCenter
				c.FillText(sty, vg.Point{X: x, Y: y}, "b")
			}
			c.FillText(caption, vg.Point{X: x, Y: area.Min.Y - vg.Points(6)}, colCaption(net, sizes, col))
		}
		key := fmt.Sprintf("edges: blue w > 0, red w < 0; width and opacity grow with |w| / max |w| of the layer; loss %s (%s)", net.Loss, net.Reduction)
		c.FillText(small, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: c.Min.Y + small.Height(key) + vg.Points(4)}, key)
		return nil
	})
}

// colCaption returns the caption of column col: the inputs, a hidden
// layer or the output layer, with its activation and size.
func colCaption[T tensor.Float](net *nn.Network[T], sizes []int, col int) string {
	L := len(net.Layers)
	switch {
	case col == 0:
		return fmt.Sprintf("input\n%d", sizes[0])
	case col == L:
		return fmt.Sprintf("output: %s\n%d", net.Layers[col-1].Activation, sizes[col])
	}
	return fmt.Sprintf("hidden %d: %s\n%d", col, net.Layers[col-1].Activation, sizes[col])
}

// visible returns the units of a layer of n units to draw, at most max of
// them: all if they fit, else the first and the last ones with -1 (an
// ellipsis) between.
func visible(n, max int) []int {
	var s []int
	if n <= max {
		for i := range n {
			s = append(s, i)
		}
		return s
	}
	head := (max - 1) - (max-1)/2
	tail := (max - 1) / 2
	for i := range head {
		s = append(s, i)
	}
	s = append(s, -1)
	for i := n - tail; i < n; i++ {
		s = append(s, i)
	}
	return s
}

// labelWidth returns the width of the widest name drawn for the units
// shown.
func labelWidth(sty interface{ Width(string) vg.Length }, names []string, shown []int) vg.Length {
	var w vg.Length
	for _, i := range shown {
		if i >= 0 && names != nil {
			w = max(w, sty.Width(clip(names[i])))
		}
	}
	return w
}

// clip shortens a name to at most 16 characters.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= 16 {
		return s
	}
	r := []rune(s)
	return string(r[:15]) + "…"
}

// premultiply returns c with its colour channels scaled by its alpha, as
// color.RGBA requires.
func premultiply(c color.RGBA) color.RGBA {
	f := func(v uint8) uint8 { return uint8(uint32(v) * uint32(c.A) / 255) }
	return color.RGBA{f(c.R), f(c.G), f(c.B), c.A}
}

func circle(c draw.Canvas, ctr vg.Point, r vg.Length, fill color.Color, line draw.LineStyle) {
	var p vg.Path
	p.Move(vg.Point{X: ctr.X + r, Y: ctr.Y})
	p.Arc(ctr, r, 0, 2*math.Pi)
	p.Close()
	c.SetColor(fill)
	c.Fill(p)
	c.SetLineStyle(line)
	c.Stroke(p)
}

func dot(c draw.Canvas, ctr vg.Point, r vg.Length, fill color.Color) {
	var p vg.Path
	p.Move(vg.Point{X: ctr.X + r, Y: ctr.Y})
	p.Arc(ctr, r, 0, 2*math.Pi)
	p.Close()
	c.SetColor(fill)
	c.Fill(p)
}
