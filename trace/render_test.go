package trace

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current renderings")

// The titles "nerve trace" gives the two tutorials with --seed 1; the
// command's tests compare its output with the same golden files.
const (
	hiddenLayerTitle = "hidden-layer, seed 1: one hidden layer with biases, step by step (Analytics Vidhya)"
	xorTitle         = "xor, seed 1: a 3-4-1 sigmoid network learns XOR (iamtrask part 2)"
)

// goldenTraces are the traces whose renderings are committed, as
// "nerve trace NAME" makes them.
func goldenTraces(t *testing.T) map[string]*Trace {
	t.Helper()
	out := map[string]*Trace{}
	net, X, y := hiddenLayer(t, 1)
	tr, err := New(net, X, y, Options{LR: 0.1, Title: hiddenLayerTitle})
	if err != nil {
		t.Fatal(err)
	}
	out["hidden_layer"] = tr
	net, X, y = xor(t, 1)
	if tr, err = New(net, X, y, Options{LR: 1, Title: xorTitle}); err != nil {
		t.Fatal(err)
	}
	out["xor"] = tr
	return out
}

// TestRenderGolden compares the text and Markdown renderings of the
// hidden-layer and xor traces, 4 digits, with testdata/*.golden. Run
// "go test ./trace/ -run RenderGolden -update" to rewrite them.
func TestRenderGolden(t *testing.T) {
	for name, tr := range goldenTraces(t) {
		for ext, write := range map[string]func(io.Writer, int) error{"txt": tr.WriteText, "md": tr.WriteMarkdown} {
			var b bytes.Buffer
			if err := write(&b, 4); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", name+"."+ext+".golden")
			if *update {
				if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./trace/ -run RenderGolden -update to make it)", err)
			}
			if got := b.String(); got != string(want) {
				t.Errorf("%s differs from the rendering:\n%s", path, firstDiff(got, string(want)))
			}
		}
	}
}

// firstDiff describes the first line where got and want differ.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d:\n got %q\nwant %q", i+1, gl, wl)
		}
	}
	return "no line differs"
}

func TestTextTable(t *testing.T) {
	net, X, y := hiddenLayer(t, 1)
	tr, err := New(net, X, y, Options{LR: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := tr.WriteText(&b, 2); err != nil {
		t.Fatal(err)
	}
	// Step 3's result, A1 = σ(Z1), focus on [0,0].
	want := "" +
		"  A1  3×3  (Analytics Vidhya: hiddenlayer_activations; iamtrask: l1; Go: cache.Layers[0].A)\n" +
		"  from Z1 3×3\n" +
		"           0       1       2\n" +
		"    0  [0.69]   0.87    0.60\n" +
		"    1   0.79    0.91    0.75\n" +
		"    2   0.74    0.81    0.69\n"
	if !strings.Contains(b.String(), want) {
		t.Errorf("the text rendering lacks\n%s\nin\n%s", want, b.String())
	}
}

func TestRenderDigits(t *testing.T) {
	net, X, y := xor(t, 1)
	tr, err := New(net, X, y, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []int{-1, MaxDigits + 1} {
		for _, write := range []func(io.Writer, int) error{tr.WriteText, tr.WriteMarkdown, tr.WriteHTML} {
			if err := write(io.Discard, d); !errors.Is(err, ErrOptions) {
				t.Errorf("%d digits: error %v; want ErrOptions", d, err)
			}
		}
	}
	var b bytes.Buffer
	if err := tr.WriteText(&b, MaxDigits); err != nil {
		t.Fatal(err)
	}
	// Every bit of the first weight survives 17 digits.
	w := tr.Matrix("W1").Value.At(0, 0)
	if !strings.Contains(b.String(), strconv.FormatFloat(w, 'f', MaxDigits, 64)) {
		t.Errorf("W1[0,0] = %v is not in the 17-digit rendering", w)
	}
}

// errWriter fails after n bytes.
type errWriter struct{ n int }

var errWrite = errors.New("disk full")

func (w *errWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		n := w.n
		w.n = 0
		return n, errWrite
	}
	w.n -= len(p)
	return len(p), nil
}

func TestRenderWriteError(t *testing.T) {
	net, X, y := xor(t, 1)
	tr, err := New(net, X, y, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for name, write := range map[string]func(io.Writer, int) error{"text": tr.WriteText, "markdown": tr.WriteMarkdown, "html": tr.WriteHTML} {
		if err := write(&errWriter{n: 1000}, 4); !errors.Is(err, errWrite) {
			t.Errorf("%s: error %v; want %v", name, err, errWrite)
		}
	}
}

// page is what checkHTML found in a page.
type page struct {
	steps   []int       // data-step of each section, in order
	focus   map[int]int // focus cells per step
	sources map[int]int // source cells per step
	results map[int]int // result cells per step
}

// parseHTML reads an HTML page, as XML when strict, or as the HTML a
// browser serialises (unclosed void elements), and counts each step's
// result, focus and source cells. It fails on scripts and on external
// resources.
func parseHTML(t *testing.T, r io.Reader, strict bool) page {
	t.Helper()
	d := xml.NewDecoder(r)
	d.Strict = strict
	if !strict {
		d.AutoClose = xml.HTMLAutoClose
		d.Entity = xml.HTMLEntity
	}
	p := page{focus: map[int]int{}, sources: map[int]int{}, results: map[int]int{}}
	step := -1
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("parsing the page: %v", err)
		}
		e, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		attr := map[string]string{}
		for _, a := range e.Attr {
			attr[a.Name.Local] = a.Value
		}
		switch e.Name.Local {
		case "script", "link", "img", "iframe", "object":
			t.Errorf("the page has a <%s> element", e.Name.Local)
		}
		if _, ok := attr["src"]; ok {
			t.Errorf("<%s> has a src attribute", e.Name.Local)
		}
		if h, ok := attr["href"]; ok && !strings.HasPrefix(h, "#") {
			t.Errorf("<%s> links to %q", e.Name.Local, h)
		}
		class := strings.Fields(attr["class"])
		has := func(c string) bool {
			for _, x := range class {
				if x == c {
					return true
				}
			}
			return false
		}
		switch {
		case e.Name.Local == "section" && has("step"):
			n, err := strconv.Atoi(attr["data-step"])
			if err != nil {
				t.Fatalf("section with data-step %q", attr["data-step"])
			}
			step = n
			p.steps = append(p.steps, n)
		case e.Name.Local == "td":
			if has("result") {
				p.results[step]++
			}
			if has("focus") {
				p.focus[step]++
				if !has("result") {
					t.Errorf("step %d: a focus cell that is not a result cell", step)
				}
			}
			if has("source") {
				p.sources[step]++
			}
		}
	}
	return p
}

// checkPage checks that p shows the steps of tr: one section per step in
// order, result cells in every step, exactly one focus cell per step,
// and for every step that has inputs as many source cells as the focus
// cell has sources.
func checkPage(t *testing.T, tr *Trace, p page) {
	t.Helper()
	if len(p.steps) != len(tr.Steps) {
		t.Fatalf("the page has %d steps %v; want %d", len(p.steps), p.steps, len(tr.Steps))
	}
	for i, s := range tr.Steps {
		if p.steps[i] != i {
			t.Errorf("section %d has data-step %d", i, p.steps[i])
		}
		if p.focus[i] != 1 {
			t.Errorf("step %d has %d focus cells; want exactly 1", i, p.focus[i])
		}
		cells := 0
		for _, m := range s.Results {
			cells += m.Value.Rows() * m.Value.Cols()
		}
		if p.results[i] != cells {
			t.Errorf("step %d has %d result cells; want %d", i, p.results[i], cells)
		}
		want := 0
		for _, src := range s.Sources(s.Focus.Result, s.Focus.Cell) {
			want += len(src.Cells)
		}
		if len(s.Inputs) > 0 && want == 0 {
			t.Errorf("step %d has inputs but its focus cell has no sources", i)
		}
		if p.sources[i] != want {
			t.Errorf("step %d has %d source cells; want %d", i, p.sources[i], want)
		}
	}
}

// TestHTMLWellFormed parses the HTML of every test network as strict XML
// and checks its steps, focus cells and source cells.
func TestHTMLWellFormed(t *testing.T) {
	for _, nw := range networks {
		for _, layout := range []Layout{Rows, Columns} {
			t.Run(nw.name+"/"+layout.String(), func(t *testing.T) {
				net, X, y := nw.make(t)
				tr, err := New(net, X, y, Options{LR: nw.lr, Layout: layout, Title: "a <trace> & its \"title\""})
				if err != nil {
					t.Fatal(err)
				}
				var b bytes.Buffer
				if err := tr.WriteHTML(&b, 4); err != nil {
					t.Fatal(err)
				}
				checkPage(t, tr, parseHTML(t, &b, true))
			})
		}
	}
}

// chromium returns the path of a Chromium or Chrome binary, or "".
func chromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// TestHTMLInChromium loads the hidden-layer trace in headless Chromium
// and checks the DOM the browser built: 12 steps, exactly one focus cell
// in each, and the focus cell's sources marked in every step that has
// inputs. It skips when no Chromium is installed (.ci/run installs the
// Debian package).
func TestHTMLInChromium(t *testing.T) {
	bin := chromium()
	if bin == "" {
		t.Skip("chromium is not installed (apt-get install chromium): the HTML was checked as XML only, not in a browser")
	}
	tr := goldenTraces(t)["hidden_layer"]
	dir := t.TempDir()
	path := filepath.Join(dir, "trace.html")
	var b bytes.Buffer
	if err := tr.WriteHTML(&b, 4); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu",
		"--disable-background-networking", "--no-first-run", "--no-default-browser-check",
		"--disable-dev-shm-usage", "--user-data-dir="+filepath.Join(dir, "profile"),
		"--dump-dom", "file://"+path)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("%s did not finish within 60 s; stderr:\n%s", bin, errOut.String())
	}
	if err != nil {
		t.Fatalf("%s: %v; stderr:\n%s", bin, err, errOut.String())
	}
	if !strings.Contains(out.String(), `data-step="11"`) {
		t.Fatalf("the DOM Chromium dumped has no step 11:\n%.2000s\nstderr:\n%s", out.String(), errOut.String())
	}
	p := parseHTML(t, &out, false)
	if len(p.steps) != 12 {
		t.Errorf("Chromium's DOM has %d steps; want 12 for the one-hidden-layer network", len(p.steps))
	}
	checkPage(t, tr, p)
}
