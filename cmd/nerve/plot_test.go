package main

import (
	"bytes"
	"encoding/xml"
	"flag"
	"fmt"
	"image/color"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nerve-ml/nerve/data"
)

var updateSpiral = flag.Bool("update-spiral", false, "rewrite testdata/spiral.csv from spiralCSV")

// spiralCSV returns the table of testdata/spiral.csv: data.Spiral's three
// arms of perArm points each (noise 0.2, seed 0), with a header x1,x2,arm
// and the labels arm1, arm2, arm3.
func spiralCSV(perArm int) string {
	d := data.Spiral(perArm, 3, 0.2, 0)
	for i, l := range d.Labels {
		d.Labels[i] = "arm" + string(rune('1'+l[0]-'0'))
	}
	var b bytes.Buffer
	if err := data.WriteCSV(&b, d, true); err != nil {
		panic(err)
	}
	return b.String()
}

// TestSpiralFile keeps testdata/spiral.csv, which the README's plots are
// made from, equal to what spiralCSV generates; -update-spiral rewrites it.
func TestSpiralFile(t *testing.T) {
	want := spiralCSV(100)
	path := filepath.Join("testdata", "spiral.csv")
	if *updateSpiral {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("%s differs from spiralCSV(100); rerun with -update-spiral", path)
	}
}

// imageSize decodes the PNG or SVG file at path and returns its size in
// pixels (an SVG states it in points, ¾ of a pixel each) and a measure of
// its content: the number of distinct colours of a PNG, the number of
// elements of an SVG.
func imageSize(t *testing.T, path string) (w, h, content int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(path, ".png") {
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		colors := map[color.RGBA]bool{}
		r := img.Bounds()
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				colors[color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)] = true
			}
		}
		return r.Dx(), r.Dy(), len(colors)
	}
	dec := xml.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if content == 0 {
			if se.Name.Local != "svg" {
				t.Fatalf("%s: root element <%s>, want <svg>", path, se.Name.Local)
			}
			for _, a := range se.Attr {
				v, _ := strconv.ParseFloat(strings.TrimSuffix(a.Value, "pt"), 64)
				switch a.Name.Local {
				case "width":
					w = int(math.Round(v / 0.75))
				case "height":
					h = int(math.Round(v / 0.75))
				}
			}
		}
		content++
	}
	return w, h, content
}

// checkImage fails unless the image at path is w×h pixels with at least
// minContent colours (PNG) or elements (SVG).
func checkImage(t *testing.T, path string, w, h, minContent int) {
	t.Helper()
	gw, gh, content := imageSize(t, path)
	if gw != w || gh != h {
		t.Errorf("%s is %d×%d pixels; want %d×%d", path, gw, gh, w, h)
	}
	if content < minContent {
		t.Errorf("%s has %d colours or elements; want at least %d", path, content, minContent)
	}
}

// spiralDir writes testdata's spiral table to a new directory and
// returns the directory and the file's path.
func spiralDir(t *testing.T) (dir, csv string) {
	t.Helper()
	dir = t.TempDir()
	csv = filepath.Join(dir, "spiral.csv")
	if err := os.WriteFile(csv, []byte(spiralCSV(60)), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, csv
}

// TestTrainPlot trains on the spiral with --plot and --json, then draws
// every kind of plot from the log and the model with nerve plot.
func TestTrainPlot(t *testing.T) {
	dir, csv := spiralDir(t)
	model := filepath.Join(dir, "m.nerve")
	plots := filepath.Join(dir, "plots", "new") // created by --plot
	stdout, stderr, code := runCase(t, "train", "--data", csv, "--hidden", "16", "--activation", "tanh", "--epochs", "6", "--val", "0.2", "--json", "--out", model, "--plot", plots)
	if code != 0 {
		t.Fatalf("nerve train --plot: exit status %d: %s", code, stderr)
	}
	checkImage(t, filepath.Join(plots, "loss.png"), 960, 420, 20)
	checkImage(t, filepath.Join(plots, "network.svg"), 900, 560, 50)
	checkImage(t, filepath.Join(plots, "boundary.png"), 720, 560, 50)
	log := filepath.Join(dir, "train.jsonl")
	if err := os.WriteFile(log, []byte(stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	// The log holds the whole history: plotting it gives the same image.
	again := filepath.Join(dir, "again.png")
	if _, stderr, code := runCase(t, "plot", "loss", "--log", log, "--out", again); code != 0 {
		t.Fatalf("nerve plot loss: %s", stderr)
	}
	a, _ := os.ReadFile(filepath.Join(plots, "loss.png"))
	if b, _ := os.ReadFile(again); !bytes.Equal(a, b) {
		t.Errorf("the loss plot of the --json log differs from the one train --plot drew")
	}

	tests := []struct {
		args       []string
		out        string
		w, h, min_ int
	}{
		{[]string{"plot", "loss", "--log", log, "--width", "800", "--height", "300"}, "loss.svg", 800, 300, 50},
		{[]string{"plot", "--log", log, "loss"}, "loss.png", 960, 420, 20},
		{[]string{"plot", "boundary", "--model", model, "--data", csv, "--width", "500", "--height", "400", "--title", "spiral"}, "b.png", 500, 400, 50},
		{[]string{"plot", "network", "--model", model, "--biases", "--max-units", "5"}, "n.png", 900, 560, 50},
		{[]string{"plot", "network", "--model", model}, "n.svg", 900, 560, 50},
		{[]string{"plot", "activations", "--model", model, "--data", csv, "--rows", "10"}, "a.png", 760, 440, 50},
		{[]string{"plot", "activations", "--model", model, "--data", csv, "--width", "600", "--height", "300"}, "a.svg", 600, 300, 10},
	}
	for _, tt := range tests {
		out := filepath.Join(dir, tt.out)
		args := append(tt.args, "--out", out)
		stdout, stderr, code := runCase(t, args...)
		if code != 0 {
			t.Errorf("nerve %s: exit status %d: %s", strings.Join(args, " "), code, stderr)
			continue
		}
		if !strings.Contains(stdout, "written to "+out) {
			t.Errorf("nerve %s: stdout %q; want it to say where the plot went", strings.Join(args, " "), stdout)
		}
		checkImage(t, out, tt.w, tt.h, tt.min_)
	}
}

// TestTrainPlotRegression: a regressor gets no decision boundary.
func TestTrainPlotRegression(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "r.csv")
	var b strings.Builder
	b.WriteString("a,b,y\n")
	for i := range 40 {
		fmt.Fprintf(&b, "%d,%d,%g\n", i, i%7, float64(i)*0.5+float64(i%7))
	}
	if err := os.WriteFile(csv, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	plots := filepath.Join(dir, "p")
	_, stderr, code := runCase(t, "train", "--data", csv, "--epochs", "3", "--out", filepath.Join(dir, "m.nerve"), "--plot", plots)
	if code != 0 {
		t.Fatalf("exit status %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "plots written to "+plots+": loss.png, network.svg\n") {
		t.Errorf("stderr %q; want it to name the plots written", stderr)
	}
	entries, _ := os.ReadDir(plots)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != "loss.png network.svg" {
		t.Errorf("--plot wrote %q; want loss.png and network.svg", names)
	}
	checkImage(t, filepath.Join(plots, "loss.png"), 640, 420, 10)
}

func TestReadTrainLog(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// A run resumed after epoch 2 that logged epoch 3 again; no summary.
	p := write("resumed.jsonl", `{"epoch":1,"loss":0.9,"lr":0.01,"val_loss":1.0}
{"epoch":2,"loss":0.5,"lr":0.01,"val_loss":0.4}
{"epoch":3,"loss":0.45,"lr":0.01,"val_loss":0.6}

{"epoch":3,"loss":0.3,"lr":0.01,"val_loss":0.35,"accuracy":0.9}
{"epoch":4,"loss":0.2,"lr":0.01,"val_loss":0.5}
`)
	h, err := readTrainLog(p)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range h.Epochs {
		got = append(got, fmt.Sprintf("%d:%g/%g/%g", e.Epoch, e.Loss, e.ValLoss, e.Accuracy))
	}
	want := "1:0.9/1/NaN 2:0.5/0.4/NaN 3:0.3/0.35/0.9 4:0.2/0.5/NaN"
	if strings.Join(got, " ") != want || h.BestEpoch != 3 {
		t.Errorf("got %s, best epoch %d; want %s, best epoch 3", strings.Join(got, " "), h.BestEpoch, want)
	}
	// The summary's best epoch wins.
	p = write("summary.jsonl", `{"epoch":1,"loss":0.9}
{"epoch":2,"loss":0.5}
{"best_epoch":1,"stopped_early":true,"epochs":2,"model":"m.nerve"}
`)
	if h, err = readTrainLog(p); err != nil || h.BestEpoch != 1 || !h.StoppedEarly || len(h.Epochs) != 2 {
		t.Errorf("got %+v, %v; want 2 epochs, best 1, stopped early", h, err)
	}

	bad := []struct{ text, want string }{
		{"", "no epoch records"},
		{`{"best_epoch":1}` + "\n", "no epoch records"},
		{`{"epoch":1,"loss":0.5}` + "\nnot json\n", ":2: not a JSON object"},
		{`{"epoch":1}` + "\n", `:1: the epoch record has no "loss"`},
		{`{"epoch":1,"loss":"low"}` + "\n", `:1: "loss" is low, want a number`},
		{`{"epoch":1.5,"loss":1}` + "\n", ":1: epoch 1.5, want an integer"},
		{`{"loss":1}` + "\n", `:1: neither an epoch record`},
		{`[1,2]` + "\n", ":1: not a JSON object"},
	}
	for i, b := range bad {
		p := write(fmt.Sprintf("bad%d.jsonl", i), b.text)
		_, err := readTrainLog(p)
		if err == nil || !strings.Contains(err.Error(), b.want) || !strings.Contains(err.Error(), p) {
			t.Errorf("log %q: error %v; want one naming %s and containing %q", b.text, err, p, b.want)
		}
	}
}

// TestPlotBadInput runs the real binary on bad plot command lines and
// files, as TestBadInput does for the other commands: one "nerve: " line
// on stderr naming the file or flag, exit status 1 (2 for a bad command
// line), nothing on stdout and no file written in out/.
func TestPlotBadInput(t *testing.T) {
	base, csv := spiralDir(t)
	spiralModel := filepath.Join(base, "spiral.nerve")
	if _, stderr, code := runCase(t, "train", "--data", csv, "--hidden", "8", "--epochs", "2", "--quiet", "--out", spiralModel); code != 0 {
		t.Fatal(stderr)
	}
	regModel := filepath.Join(base, "reg.nerve")
	regCSV := filepath.Join(base, "reg.csv")
	if err := os.WriteFile(regCSV, []byte("a,b,y\n1,2,3.5\n2,3,1.25\n3,1,2\n4,4,0.5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := runCase(t, "train", "--data", regCSV, "--epochs", "2", "--quiet", "--out", regModel); code != 0 {
		t.Fatal(stderr)
	}
	wide := modelVariant(t, goodModel) // 3 features, 2 classes
	read := func(p string) string {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	files := map[string]string{
		"spiral.csv":   read(csv),
		"spiral.nerve": read(spiralModel),
		"reg.nerve":    read(regModel),
		"wide.nerve":   string(wide),
		"train.jsonl":  `{"epoch":1,"loss":0.5}` + "\n",
		"bad.jsonl":    `{"epoch":1,"loss":0.5}` + "\n{oops\n",
		"empty.jsonl":  "",
		"arm9.csv":     "x1,x2,arm\n0.1,0.2,arm1\n0.3,0.1,arm9\n",
		"three.csv":    "a,b,c\n1,2,3\n4,5,6\n",
		"file.txt":     "not a directory\n",
	}
	tests := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"no kind", []string{"plot", "--out", "out/x.png"}, 2, []string{"plot:", "no KIND", "loss, boundary, network, activations"}},
		{"unknown kind", []string{"plot", "pie", "--out", "out/x.png"}, 2, []string{`unknown KIND "pie"`}},
		{"two kinds", []string{"plot", "loss", "network"}, 2, []string{"one KIND"}},
		{"jpeg", []string{"plot", "loss", "--log", "train.jsonl", "--out", "out/x.jpg"}, 2, []string{"--out out/x.jpg", ".png or .svg"}},
		{"no extension", []string{"plot", "network", "--model", "spiral.nerve", "--out", "out/net"}, 2, []string{"--out out/net"}},
		{"missing out dir", []string{"plot", "loss", "--log", "train.jsonl", "--out", "nodir/x.png"}, 1, []string{"--out nodir/x.png", "does not exist"}},
		{"loss without log", []string{"plot", "loss", "--out", "out/x.png"}, 2, []string{"--log FILE"}},
		{"missing log", []string{"plot", "loss", "--log", "nolog.jsonl", "--out", "out/x.png"}, 1, []string{"nolog.jsonl"}},
		{"bad log line", []string{"plot", "loss", "--log", "bad.jsonl", "--out", "out/x.png"}, 1, []string{"bad.jsonl:2:", "not a JSON object"}},
		{"empty log", []string{"plot", "loss", "--log", "empty.jsonl", "--out", "out/x.png"}, 1, []string{"empty.jsonl", "no epoch records"}},
		{"flag of another kind", []string{"plot", "network", "--model", "spiral.nerve", "--rows", "3", "--out", "out/x.png"}, 2, []string{"--rows applies only to activations plots, not network"}},
		{"log for boundary", []string{"plot", "boundary", "--log", "train.jsonl", "--out", "out/x.png"}, 2, []string{"--log applies only to loss plots"}},
		{"boundary without data", []string{"plot", "boundary", "--model", "spiral.nerve", "--out", "out/x.png"}, 2, []string{"--model FILE and --data FILE"}},
		{"boundary of 3 features", []string{"plot", "boundary", "--model", "wide.nerve", "--data", "three.csv", "--out", "out/x.png"}, 1, []string{"wide.nerve", "model of 2 features", "has 3"}},
		{"boundary of a regressor", []string{"plot", "boundary", "--model", "reg.nerve", "--data", "three.csv", "--out", "out/x.png"}, 1, []string{"reg.nerve", "needs a classifier", "regression"}},
		{"unknown label", []string{"plot", "boundary", "--model", "spiral.nerve", "--data", "arm9.csv", "--out", "out/x.png"}, 1, []string{"arm9.csv", `sample 2 has label "arm9"`}},
		{"missing model", []string{"plot", "network", "--model", "none.nerve", "--out", "out/x.png"}, 1, []string{"none.nerve"}},
		{"activations of wrong width", []string{"plot", "activations", "--model", "spiral.nerve", "--data", "three.csv", "--out", "out/x.png"}, 1, []string{"three.csv", `no column named "x1"`}},
		{"small width", []string{"plot", "network", "--model", "spiral.nerve", "--width", "20", "--out", "out/x.png"}, 2, []string{"--width"}},
		{"max units", []string{"plot", "network", "--model", "spiral.nerve", "--max-units", "2", "--out", "out/x.png"}, 2, []string{"--max-units"}},
		{"train --plot at a file", []string{"train", "--data", "spiral.csv", "--plot", "file.txt", "--out", "out/m.nerve"}, 2, []string{"--plot", "file.txt", "not a directory"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, text := range files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.Mkdir(filepath.Join(dir, "out"), 0o755); err != nil {
				t.Fatal(err)
			}
			stdout, stderr, code := runNerve(t, dir, time.Minute, tt.args...)
			cmd := "nerve " + strings.Join(tt.args, " ")
			if code != tt.code {
				t.Errorf("%s: exit status %d; want %d (stderr %q)", cmd, code, tt.code, stderr)
			}
			if stdout != "" {
				t.Errorf("%s: stdout %q; want nothing", cmd, stdout)
			}
			if !strings.HasPrefix(stderr, "nerve: ") || strings.Count(stderr, "\n") != 1 {
				t.Errorf("%s: stderr %q; want one line starting with \"nerve: \"", cmd, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("%s: stderr %q; want it to contain %q", cmd, stderr, w)
				}
			}
			if entries, _ := os.ReadDir(filepath.Join(dir, "out")); len(entries) > 0 {
				t.Errorf("%s: left %s in out/", cmd, entries[0].Name())
			}
		})
	}
}
