package playground

import (
	"encoding/base64"
	"math"
	"strconv"

	"github.com/nerve-ml/nerve/tensor"
)

// The plane the page draws is [−Extent, Extent]² (TensorFlow
// Playground's), sampled at Density×Density pixel centres for the output
// heat-map; the neurons' thumbnails take every ThumbStep-th pixel.
const (
	Extent    = 6
	Density   = 100
	ThumbStep = 4
	Thumb     = Density / ThumbStep
)

// Frame is what the page draws after an epoch. Heat-maps are base64 bytes,
// one per pixel, rows from the top (x2 = +Extent) down, columns from the
// left (x1 = −Extent): byte v stands for the value v/127.5 − 1, clamped to
// [−1, 1].
type Frame struct {
	Run       int    `json:"run"` // counts the session's resets
	Epoch     int    `json:"epoch"`
	LossTrain Number `json:"lossTrain"`
	LossTest  Number `json:"lossTest"`
	// Boundary is the output over the plane, Density² bytes: the tanh
	// output (sigmoid's 2p−1, regression's value) for one output; for a
	// softmax over more than two classes, the winning class k, then
	// Density² bytes of its probability p (byte 255·p).
	Boundary string `json:"boundary"`
	Density  int    `json:"density"`
	// Neurons are every hidden unit's heat-map, Thumb² bytes, by layer
	// then unit.
	Neurons [][]string `json:"neurons"`
	Thumb   int        `json:"thumb"`
	// W, B are every layer's weights (inputs×outputs, rows) and biases;
	// DW, DB the gradients of the training loss at these weights over all
	// training points.
	W  [][][]Number `json:"w"`
	B  [][]Number   `json:"b"`
	DW [][][]Number `json:"dw"`
	DB [][]Number   `json:"db"`
	// Diverged explains why the run stopped, or is "".
	Diverged string `json:"diverged,omitempty"`
	// Playing says whether the play loop runs, as of Turn: the count of
	// its starts and stops so far. A frame sent before a start or stop
	// can reach the page after the reply to it (they travel on different
	// connections), so a page takes Playing only from a frame whose Turn
	// is not older than the last one it has seen.
	Playing bool   `json:"playing"`
	Turn    uint64 `json:"turn"`
}

// gridInputs returns the network inputs of the Density² pixel centres.
func gridInputs(names []string) *tensor.Dense[float64] {
	P := tensor.Zeros[float64](Density*Density, 2)
	for i := range Density {
		x2 := Extent - (float64(i)+0.5)*2*Extent/Density
		for j := range Density {
			x1 := -Extent + (float64(j)+0.5)*2*Extent/Density
			P.Set(i*Density+j, 0, x1)
			P.Set(i*Density+j, 1, x2)
		}
	}
	return features(P, names)
}

// quantize maps v in [−1, 1] to a byte, clamping.
func quantize(v float64) byte {
	if math.IsNaN(v) {
		return 128
	}
	return byte(math.Round((max(-1, min(1, v)) + 1) * 127.5))
}

// Frame runs the network over the plane and returns what the page draws.
func (s *Session) Frame() *Frame {
	f := &Frame{Run: s.run, Epoch: s.epoch, Density: Density, Thumb: Thumb, Diverged: s.diverged}
	if n := len(s.history); n > 0 {
		f.LossTrain, f.LossTest = Number(s.history[n-1].Train), Number(s.history[n-1].Test)
	}
	c := &s.gridCache
	if err := s.net.ForwardInto(c, s.grid); err != nil {
		panic("playground: the grid does not fit the network: " + err.Error()) // Reset built both
	}
	out := c.Layers[len(c.Layers)-1].A
	var px []byte
	switch {
	case s.multiClass():
		px = make([]byte, 2*Density*Density)
		for i := range Density * Density {
			row := out.Row(i)
			k := 0
			for j, p := range row {
				if p > row[k] {
					k = j
				}
			}
			px[i] = byte(k)
			px[Density*Density+i] = byte(math.Round(255 * row[k]))
		}
	default:
		sigmoid := s.crossEntropy()
		px = make([]byte, Density*Density)
		for i, v := range out.Data() {
			if sigmoid {
				v = 2*v - 1
			}
			px[i] = quantize(v)
		}
	}
	f.Boundary = base64.StdEncoding.EncodeToString(px)
	thumb := make([]byte, Thumb*Thumb)
	for l := range len(c.Layers) - 1 {
		A := c.Layers[l].A
		var units []string
		for u := range A.Cols() {
			for i := range Thumb {
				for j := range Thumb {
					thumb[i*Thumb+j] = quantize(A.At((i*ThumbStep+ThumbStep/2)*Density+j*ThumbStep+ThumbStep/2, u))
				}
			}
			units = append(units, base64.StdEncoding.EncodeToString(thumb))
		}
		f.Neurons = append(f.Neurons, units)
	}
	for l, layer := range s.net.Layers {
		f.W = append(f.W, rows(layer.W))
		f.B = append(f.B, numbers(layer.B.Data()))
		if s.grads != nil {
			g := s.grads.Layers[l]
			f.DW = append(f.DW, rows(g.DW))
			f.DB = append(f.DB, numbers(g.DB.Data()))
		}
	}
	return f
}

// rows returns a copy of m's rows.
func rows(m *tensor.Dense[float64]) [][]Number {
	r := make([][]Number, m.Rows())
	for i := range r {
		r[i] = numbers(m.Row(i))
	}
	return r
}

// numbers returns a copy of v.
func numbers(v []float64) []Number {
	out := make([]Number, len(v))
	for i, x := range v {
		out[i] = Number(x)
	}
	return out
}

// Number is a float64 that JSON encodes as null when it is NaN or ±Inf,
// which JSON cannot write: a diverged run still sends its frame.
type Number float64

// MarshalJSON writes n in the shortest form that reads back the same, or
// null.
func (n Number) MarshalJSON() ([]byte, error) {
	v := float64(n)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, v, 'g', -1, 64), nil
}
