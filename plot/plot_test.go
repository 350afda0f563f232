package plot

import (
	"bytes"
	"encoding/xml"
	"errors"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/model"
	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/tensor"
	"github.com/nerve-ml/nerve/train"
)

// checkPNG decodes the PNG file at path and fails unless it is w×h pixels
// and has content: at least minColors distinct colours and at least a
// fraction minInk of pixels that are not white.
func checkPNG(t *testing.T, path string, w, h, minColors int, minInk float64) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	b := img.Bounds()
	if b.Dx() != w || b.Dy() != h {
		t.Errorf("%s is %d×%d pixels; want %d×%d", path, b.Dx(), b.Dy(), w, h)
	}
	colors := make(map[color.RGBA]bool)
	ink := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			colors[c] = true
			if c != (color.RGBA{255, 255, 255, 255}) {
				ink++
			}
		}
	}
	frac := float64(ink) / float64(b.Dx()*b.Dy())
	if len(colors) < minColors {
		t.Errorf("%s has %d distinct colours; want at least %d", path, len(colors), minColors)
	}
	if frac < minInk {
		t.Errorf("%s: %.3f of the pixels are not white; want at least %.3f", path, frac, minInk)
	}
}

// checkSVG parses the SVG file at path and fails unless its root is an
// <svg> element w×h pixels big (stated in points, ¾ of that) with at
// least minElems elements in it.
func checkSVG(t *testing.T, path string, w, h, minElems int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(bytes.NewReader(b))
	elems := 0
	var root *xml.StartElement
	for {
		tok, err := dec.Token()
		if err != nil {
			if err.Error() == "EOF" {
				break
			}
			t.Fatalf("%s: %v", path, err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if root == nil {
				se := se.Copy()
				root = &se
			}
			elems++
		}
	}
	if root == nil || root.Name.Local != "svg" {
		t.Fatalf("%s: the root element is not <svg>", path)
	}
	attr := func(name string) float64 {
		for _, a := range root.Attr {
			if a.Name.Local == name {
				v, err := strconv.ParseFloat(strings.TrimSuffix(a.Value, "pt"), 64)
				if err != nil || !strings.HasSuffix(a.Value, "pt") {
					t.Errorf("%s: %s=%q; want a length in pt", path, name, a.Value)
				}
				return v
			}
		}
		t.Errorf("%s: <svg> has no %s", path, name)
		return 0
	}
	if gw, gh := attr("width"), attr("height"); math.Abs(gw-float64(w)*0.75) > 0.01 || math.Abs(gh-float64(h)*0.75) > 0.01 {
		t.Errorf("%s is %gpt×%gpt; want %gpt×%gpt (%d×%d pixels)", path, gw, gh, float64(w)*0.75, float64(h)*0.75, w, h)
	}
	if elems < minElems {
		t.Errorf("%s has %d elements; want at least %d", path, elems, minElems)
	}
}

// history returns a made-up history of a classifier with validation.
func history(epochs int) *train.History {
	h := &train.History{BestEpoch: epochs * 2 / 3}
	for e := 1; e <= epochs; e++ {
		x := float64(e)
		h.Epochs = append(h.Epochs, train.EpochStats{
			Epoch: e, LR: 0.01,
			Loss: math.Exp(-x/10) + 0.05, ValLoss: math.Exp(-x/12) + 0.1,
			Accuracy: 1 - 0.6*math.Exp(-x/8), ValAccuracy: 0.95 - 0.6*math.Exp(-x/9),
		})
	}
	return h
}

// spiral returns n samples of 2 features on three interleaved spiral
// arms, labelled by arm, as data.Dataset.
func spiral(n int) *data.Dataset {
	src := rng.New(7)
	d := &data.Dataset{Name: "spiral", Features: []string{"x1", "x2"}, X: tensor.Zeros[float64](n, 2)}
	for i := range n {
		k := i % 3
		r := float64(i/3+1) / float64(n/3+1)
		th := 4*r + float64(k)*2*math.Pi/3 + 0.2*src.NormFloat64()
		d.X.Set(i, 0, r*math.Sin(th))
		d.X.Set(i, 1, r*math.Cos(th))
		d.Labels = append(d.Labels, "arm"+strconv.Itoa(k+1))
	}
	return d
}

// spiralModel returns a classifier of spiral's three arms, untrained.
func spiralModel(t *testing.T) *model.Model[float32] {
	t.Helper()
	net, err := nn.New[float32](nn.Config{
		Inputs: 2,
		Layers: []nn.LayerSpec{{Units: 12, Activation: activation.Tanh}, {Units: 6, Activation: activation.ReLU}, {Units: 3, Activation: activation.Softmax}},
		Loss:   loss.CrossEntropy,
	}, rng.New(3))
	if err != nil {
		t.Fatal(err)
	}
	return &model.Model[float32]{Network: net, Task: model.Classification, Classes: []string{"arm1", "arm2", "arm3"}, LabelType: model.LabelString, Features: []string{"x1", "x2"}, Target: "arm"}
}

// onlyFiles fails unless dir holds exactly the named files: no temporary
// file is left behind.
func onlyFiles(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, ",") != strings.Join(names, ",") {
		t.Errorf("%s holds %q; want %q", dir, got, names)
	}
}

func TestLoss(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		hist *train.History
		w, h int
	}{
		{"classifier.png", history(40), 900, 400},
		{"classifier.svg", history(40), 900, 400},
		{"one-epoch.png", history(1), 500, 300},
		{"regressor.png", func() *train.History {
			h := history(25)
			for i := range h.Epochs {
				h.Epochs[i].Accuracy, h.Epochs[i].ValAccuracy, h.Epochs[i].ValLoss = math.NaN(), math.NaN(), math.NaN()
			}
			return h
		}(), 640, 420},
	}
	for _, tt := range tests {
		path := filepath.Join(dir, tt.name)
		if err := Loss(path, tt.hist, Options{Width: tt.w, Height: tt.h}); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if strings.HasSuffix(path, ".svg") {
			checkSVG(t, path, tt.w, tt.h, 50)
		} else {
			checkPNG(t, path, tt.w, tt.h, 20, 0.01)
		}
	}
	// The default size: wider with an accuracy panel than without.
	path := filepath.Join(dir, "default.png")
	if err := Loss(path, history(5), Options{}); err != nil {
		t.Fatal(err)
	}
	checkPNG(t, path, 960, 420, 20, 0.01)
}

// TestLossColors checks that the curves are drawn in their colours: the
// training curve's blue and the validation curve's orange.
func TestLossColors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "loss.png")
	if err := Loss(path, history(30), Options{}); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	count := map[color.RGBA]int{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			count[color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)]++
		}
	}
	for i, name := range []string{"training (blue)", "validation (orange)"} {
		if n := count[colorOf(i)]; n < 200 {
			t.Errorf("%d pixels of the %s curve's colour; want at least 200", n, name)
		}
	}
}

func TestBoundary(t *testing.T) {
	dir := t.TempDir()
	d := spiral(150)
	before := d.X.Clone()
	m := spiralModel(t)
	for _, name := range []string{"b.png", "b.svg"} {
		path := filepath.Join(dir, name)
		if err := Boundary(path, m, m.Classes, d, Options{Width: 600, Height: 500}); err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(name, ".svg") {
			checkSVG(t, path, 600, 500, 150)
		} else {
			checkPNG(t, path, 600, 500, 50, 0.3)
		}
	}
	if !tensor.Equal(before, d.X) {
		t.Error("Boundary modified the samples")
	}
	// A one-column (sigmoid) predictor and samples without labels.
	half := PredictFunc(func(X *tensor.Dense[float64]) (*tensor.Dense[float64], error) {
		P := tensor.Zeros[float64](X.Rows(), 1)
		for i := range X.Rows() {
			P.Set(i, 0, 1/(1+math.Exp(-5*X.At(i, 0))))
		}
		return P, nil
	})
	unlabelled := &data.Dataset{X: d.X}
	path := filepath.Join(dir, "sigmoid.png")
	if err := Boundary(path, half, nil, unlabelled, Options{}); err != nil {
		t.Fatal(err)
	}
	checkPNG(t, path, 720, 560, 20, 0.3)
}

func TestNetwork(t *testing.T) {
	dir := t.TempDir()
	big, err := nn.New[float64](nn.Config{Inputs: 784, Layers: []nn.LayerSpec{{Units: 64, Activation: activation.ReLU}, {Units: 10, Activation: activation.Softmax}}, Loss: loss.CrossEntropy}, rng.New(1))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		draw func(path string) error
		w, h int
	}{
		{"small.png", func(p string) error {
			return Network(p, spiralModel(t), Options{Width: 700, Height: 450, Biases: true})
		}, 700, 450},
		{"small.svg", func(p string) error { return Network(p, spiralModel(t), Options{Width: 700, Height: 450}) }, 700, 450},
		// An MNIST-size model: at most MaxUnits units are drawn per layer.
		{"big.png", func(p string) error { return Network(p, &model.Model[float64]{Network: big}, Options{MaxUnits: 8}) }, 900, 560},
	}
	for _, tt := range tests {
		path := filepath.Join(dir, tt.name)
		if err := tt.draw(path); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if strings.HasSuffix(path, ".svg") {
			checkSVG(t, path, tt.w, tt.h, 100)
		} else {
			checkPNG(t, path, tt.w, tt.h, 50, 0.05)
		}
	}
	// The SVG of the big model stays small: the edges drawn are capped.
	path := filepath.Join(dir, "big.svg")
	if err := Network(path, &model.Model[float64]{Network: big}, Options{}); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() > 500<<10 {
		t.Errorf("the diagram of a 784-64-10 network: %v, %d bytes; want at most 500 KiB", err, fi.Size())
	}
}

func TestVisible(t *testing.T) {
	tests := []struct {
		n, max int
		want   string
	}{
		{3, 16, "[0 1 2]"},
		{16, 16, "[0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15]"},
		{17, 16, "[0 1 2 3 4 5 6 7 -1 10 11 12 13 14 15 16]"},
		{784, 5, "[0 1 -1 782 783]"},
		{10, 3, "[0 -1 9]"},
	}
	for _, tt := range tests {
		got := visible(tt.n, tt.max)
		if fmtInts(got) != tt.want {
			t.Errorf("visible(%d, %d) = %v; want %s", tt.n, tt.max, got, tt.want)
		}
		if len(got) > tt.max {
			t.Errorf("visible(%d, %d) has %d slots; want at most %d", tt.n, tt.max, len(got), tt.max)
		}
	}
}

func fmtInts(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.Itoa(x)
	}
	return "[" + strings.Join(s, " ") + "]"
}

func TestActivations(t *testing.T) {
	dir := t.TempDir()
	m := spiralModel(t)
	m.Scaler = &data.Scaler{Mean: []float64{0.1, -0.1}, Scale: []float64{0.5, 0.5}}
	d := spiral(30)
	before := d.X.Clone()
	for _, tt := range []struct {
		name string
		w, h int
	}{{"a.png", 1000, 420}, {"a.svg", 1000, 420}} {
		path := filepath.Join(dir, tt.name)
		if err := Activations(path, m, d.X, Options{Width: tt.w, Height: tt.h}); err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(path, ".svg") {
			checkSVG(t, path, tt.w, tt.h, 30)
		} else {
			checkPNG(t, path, tt.w, tt.h, 100, 0.3)
		}
	}
	if !tensor.Equal(before, d.X) {
		t.Error("Activations modified the samples")
	}
	// Four layers: two rows of panels, by default 3×380 by 2×440.
	net, err := nn.New[float32](nn.Config{Inputs: 2, Layers: []nn.LayerSpec{{Units: 5, Activation: activation.Sigmoid}, {Units: 5, Activation: activation.LeakyReLU}, {Units: 4}, {Units: 1, Activation: activation.Sigmoid}}, Loss: loss.BinaryCrossEntropy}, rng.New(1))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "deep.png")
	if err := Activations(path, &model.Model[float32]{Network: net}, d.X.Slice(0, 1), Options{}); err != nil {
		t.Fatal(err)
	}
	checkPNG(t, path, 3*380, 2*440, 50, 0.1)
}

func TestErrors(t *testing.T) {
	dir := t.TempDir()
	m := spiralModel(t)
	d := spiral(30)
	failing := PredictFunc(func(*tensor.Dense[float64]) (*tensor.Dense[float64], error) {
		return nil, errors.New("predictor broke")
	})
	wrongShape := PredictFunc(func(X *tensor.Dense[float64]) (*tensor.Dense[float64], error) {
		return tensor.Zeros[float64](X.Rows()-1, 3), nil
	})
	nanP := PredictFunc(func(X *tensor.Dense[float64]) (*tensor.Dense[float64], error) {
		P := tensor.Zeros[float64](X.Rows(), 2)
		P.Set(5, 1, math.NaN())
		return P, nil
	})
	three := &data.Dataset{Name: "wide.csv", X: tensor.Zeros[float64](4, 3)}
	strange := spiral(30)
	strange.Labels[4] = "arm9"
	nanX := spiral(30)
	nanX.X.Set(2, 1, math.Inf(1))
	nanH := &train.History{Epochs: []train.EpochStats{{Epoch: 1, Loss: math.NaN(), ValLoss: math.NaN()}}}
	tests := []struct {
		name string
		out  string
		draw func(path string) error
		is   error  // the sentinel the error wraps, if any
		want string // a substring of the error
	}{
		{"jpeg", "x.jpg", func(p string) error { return Loss(p, history(3), Options{}) }, ErrImageFormat, `".jpg"`},
		{"no extension", "x", func(p string) error { return Network(p, m, Options{}) }, ErrImageFormat, "no extension"},
		{"nil history", "x.png", func(p string) error { return Loss(p, nil, Options{}) }, ErrData, "no training history"},
		{"empty history", "x.png", func(p string) error { return Loss(p, &train.History{}, Options{}) }, ErrData, "no epoch"},
		{"NaN history", "x.png", func(p string) error { return Loss(p, nanH, Options{}) }, ErrData, "no epoch"},
		{"too small", "x.png", func(p string) error { return Loss(p, history(3), Options{Width: 50}) }, ErrData, "50×420"},
		{"three features", "x.png", func(p string) error { return Boundary(p, m, m.Classes, three, Options{}) }, ErrData, "wide.csv has 3"},
		{"unknown label", "x.png", func(p string) error { return Boundary(p, m, m.Classes, strange, Options{}) }, ErrData, `sample 5 has label "arm9"`},
		{"infinite feature", "x.png", func(p string) error { return Boundary(p, m, m.Classes, nanX, Options{}) }, ErrData, "sample 3, feature 2 is +Inf"},
		{"class count", "x.png", func(p string) error { return Boundary(p, m, []string{"a", "b"}, d, Options{}) }, ErrData, "2 class names for a predictor with 3 outputs"},
		{"predictor error", "x.png", func(p string) error { return Boundary(p, failing, nil, d, Options{}) }, nil, "predictor broke"},
		{"predictor shape", "x.png", func(p string) error { return Boundary(p, wrongShape, nil, d, Options{}) }, ErrData, "returned (4095, 3) for 4096 samples"},
		{"predictor NaN", "x.png", func(p string) error { return Boundary(p, nanP, nil, &data.Dataset{X: d.X}, Options{}) }, ErrData, "returned NaN"},
		{"no network", "x.png", func(p string) error { return Network(p, &model.Model[float32]{}, Options{}) }, ErrData, "no network"},
		{"max units", "x.png", func(p string) error { return Network(p, m, Options{MaxUnits: 2}) }, ErrData, "MaxUnits is 2"},
		{"activation width", "x.png", func(p string) error { return Activations(p, m, three.X, Options{}) }, ErrData, "3 features, the network 2 inputs"},
		{"no samples", "x.png", func(p string) error { return Activations(p, m, tensor.Zeros[float64](0, 2), Options{}) }, ErrData, "no samples"},
		{"no directory", "missing/x.png", func(p string) error { return Loss(p, history(3), Options{}) }, nil, "missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sub := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-"))
			if err := os.Mkdir(sub, 0o755); err != nil {
				t.Fatal(err)
			}
			err := tt.draw(filepath.Join(sub, tt.out))
			if err == nil {
				t.Fatal("no error")
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %q does not wrap %v", err, tt.is)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "plot: ") && tt.is != nil {
				t.Errorf("error %q does not start with \"plot: \"", err)
			}
			onlyFiles(t, sub) // nothing written, not even a temporary file
		})
	}
}

// TestFailedWriteLeavesOldFile checks that an error while drawing leaves
// an existing file as it was.
func TestFailedWriteLeavesOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "b.png")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	failing := PredictFunc(func(*tensor.Dense[float64]) (*tensor.Dense[float64], error) {
		return nil, errors.New("predictor broke")
	})
	if err := Boundary(path, failing, nil, spiral(9), Options{}); err == nil {
		t.Fatal("no error")
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != "old" {
		t.Errorf("after a failed plot the file holds %q (%v); want \"old\"", b, err)
	}
	onlyFiles(t, dir, "b.png")
}

func TestCheckFormat(t *testing.T) {
	for path, ok := range map[string]bool{"a.png": true, "A.PNG": true, "dir.d/b.svg": true, "c.Svg": true, "d.pdf": false, "e": false, "png": false, "f.png.gz": false} {
		err := CheckFormat(path)
		if (err == nil) != ok {
			t.Errorf("CheckFormat(%q) = %v; want ok %v", path, err, ok)
		}
		if err != nil && (!errors.Is(err, ErrImageFormat) || !strings.Contains(err.Error(), path)) {
			t.Errorf("CheckFormat(%q) = %q; want an error wrapping ErrImageFormat that names the path", path, err)
		}
	}
}

func TestIntTicks(t *testing.T) {
	tests := []struct {
		min, max float64
		want     string
	}{
		{1, 1, "1"},
		{1, 5, "1 2 3 4 5"},
		{0.5, 8.5, "1 2 3 4 5 6 7 8"},
		{1, 30, "5 10 15 20 25 30"},
		{1, 100, "20 40 60 80 100"},
		{1, 1000, "200 400 600 800 1000"},
	}
	for _, tt := range tests {
		var got []string
		for _, tk := range intTicks.Ticks(tt.min, tt.max) {
			got = append(got, tk.Label)
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("intTicks(%g, %g) = %q; want %q", tt.min, tt.max, got, tt.want)
		}
	}
}

// TestConcurrent draws plots from several goroutines at once, sharing
// the model and the data: run with -race, it shows that the package keeps
// no shared mutable state.
func TestConcurrent(t *testing.T) {
	dir := t.TempDir()
	m := spiralModel(t)
	d := spiral(60)
	h := history(10)
	errs := make(chan error, 12)
	for i := range 3 {
		go func() {
			errs <- Loss(filepath.Join(dir, "l"+strconv.Itoa(i)+".png"), h, Options{})
		}()
		go func() {
			errs <- Boundary(filepath.Join(dir, "b"+strconv.Itoa(i)+".png"), m, m.Classes, d, Options{Width: 300, Height: 300})
		}()
		go func() {
			errs <- Network(filepath.Join(dir, "n"+strconv.Itoa(i)+".svg"), m, Options{})
		}()
		go func() {
			errs <- Activations(filepath.Join(dir, "a"+strconv.Itoa(i)+".png"), m, d.X.Slice(0, 10), Options{})
		}()
	}
	for range 12 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
