package playground

import (
	"context"
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/nerve-ml/nerve/data"
)

func mustSession(t testing.TB, hash string) *Session {
	t.Helper()
	st, warnings := ParseState(hash)
	if len(warnings) > 0 {
		t.Fatalf("ParseState(%q) warns %q", hash, warnings)
	}
	s, err := NewSession(st)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func steps(t testing.TB, s *Session, n int) {
	t.Helper()
	for range n {
		if err := s.Step(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSessionLearnsSpiral(t *testing.T) {
	s := mustSession(t, "dataset=spiral&features=x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2&hidden=8,8&activation=tanh&lr=0.03&batch=10")
	start := s.History()[0]
	steps(t, s, 150)
	end := s.History()[150]
	if end.Epoch != 150 || s.Epoch() != 150 {
		t.Fatalf("epoch %d after 150 steps", end.Epoch)
	}
	if !(end.Test < start.Test/2) || !(end.Train < start.Train/2) {
		t.Errorf("losses went from %+v to %+v; want both below half", start, end)
	}
}

func TestSessionReproducible(t *testing.T) {
	hash := "dataset=xor&hidden=3&lr=0.1&optimizer=adam&reg=l1&regrate=0.001&seed=9"
	a, b := mustSession(t, hash), mustSession(t, hash)
	steps(t, a, 5)
	steps(t, b, 5)
	if a.Frame().Boundary != b.Frame().Boundary || a.History()[5] != b.History()[5] {
		t.Error("the same state trained twice gives other numbers")
	}
	// Reset goes back to the start exactly.
	first := mustSession(t, hash).History()[0]
	if err := a.Reset(a.State()); err != nil {
		t.Fatal(err)
	}
	if got := a.History(); len(got) != 1 || got[0] != first {
		t.Errorf("after Reset the history is %+v; want [%+v]", got, first)
	}
	c := mustSession(t, strings.Replace(hash, "seed=9", "seed=10", 1))
	if c.History()[0] == first {
		t.Error("another seed gives the same starting loss")
	}
}

func TestSessionProblems(t *testing.T) {
	for _, tt := range []struct {
		hash    string
		outputs int
	}{
		{"dataset=plane&hidden=4", 1},
		{"dataset=multigauss&hidden=", 1},
		{"dataset=spiral&classes=3&hidden=8", 3},
		{"dataset=gauss&loss=cross-entropy&hidden=2", 1},
		{"dataset=circle&activation=relu&reg=l2&regrate=0.01&optimizer=momentum", 1},
	} {
		s := mustSession(t, tt.hash)
		steps(t, s, 3)
		if got := s.net.Outputs(); got != tt.outputs {
			t.Errorf("%s: %d outputs; want %d", tt.hash, got, tt.outputs)
		}
		f := s.Frame()
		if f.Epoch != 3 || len(f.Neurons) != len(s.state.Hidden) || len(f.W) != len(s.state.Hidden)+1 || len(f.DW) != len(f.W) {
			t.Errorf("%s: frame epoch %d, %d neuron layers, %d W, %d dW", tt.hash, f.Epoch, len(f.Neurons), len(f.W), len(f.DW))
		}
		if math.IsNaN(float64(f.LossTrain)) || f.LossTrain <= 0 {
			t.Errorf("%s: training loss %v", tt.hash, f.LossTrain)
		}
	}
}

func TestSessionRegularization(t *testing.T) {
	// A huge L1 rate drives every weight to exactly 0; L2 shrinks them.
	s := mustSession(t, "dataset=gauss&hidden=3&reg=l1&regrate=100&lr=0.1")
	steps(t, s, 2)
	for l, layer := range s.net.Layers {
		for _, w := range layer.W.Data() {
			if w != 0 {
				t.Fatalf("layer %d: weight %v under strong L1; want 0", l+1, w)
			}
		}
	}
}

func TestSessionDiverges(t *testing.T) {
	s := mustSession(t, "dataset=plane&hidden=8,8&activation=relu&lr=10&batch=1")
	var err error
	for i := 0; i < 50 && err == nil; i++ {
		err = s.Step(context.Background())
	}
	if err == nil || s.Diverged() == "" {
		t.Fatalf("lr 10 with ReLU on plane: %v, %q; want a divergence", err, s.Diverged())
	}
	if !strings.Contains(s.Diverged(), "Lower the learning rate") {
		t.Errorf("message %q has no suggestion", s.Diverged())
	}
	if err := s.Step(context.Background()); !errors.Is(err, ErrState) {
		t.Errorf("step after divergence: %v; want ErrState", err)
	}
	if _, err := s.Frame().LossTrain.MarshalJSON(); err != nil {
		t.Error(err)
	}
	if err := s.Reset(s.State()); err != nil || s.Diverged() != "" {
		t.Errorf("reset after divergence: %v, %q", err, s.Diverged())
	}
}

func TestSessionUpload(t *testing.T) {
	s := mustSession(t, "")
	st := s.State()
	st.Dataset = Upload
	if err := s.Reset(st); !errors.Is(err, ErrState) {
		t.Errorf("dataset=upload with nothing uploaded: %v; want ErrState", err)
	}
	d, err := data.ReadCSV(strings.NewReader("a,b,c\n1,2,x\n3,4,y\n5,6,x\n7,8,y\n"), "mine.csv", data.CSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetUpload(d); err != nil {
		t.Fatal(err)
	}
	if err := s.Reset(st); err != nil {
		t.Fatal(err)
	}
	if s.classes[0] != "x" || s.nTrain != 2 {
		t.Errorf("classes %v, %d training points", s.classes, s.nTrain)
	}
	three, _ := data.ReadCSV(strings.NewReader("a,b,c,d\n1,2,3,x\n3,4,5,y\n"), "wide.csv", data.CSVOptions{})
	if err := s.SetUpload(three); !errors.Is(err, ErrState) || !strings.Contains(err.Error(), "wide.csv has 3 features") {
		t.Errorf("three features: %v", err)
	}
}

func TestWriteTrace(t *testing.T) {
	s := mustSession(t, "dataset=xor&hidden=3&batch=4")
	var b strings.Builder
	if err := s.WriteTrace(&b); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	for i := range 12 {
		if !strings.Contains(html, `data-step="`+itoa(i)+`"`) {
			t.Errorf("no step %d in the trace", i)
		}
	}
	if strings.Contains(html, "data-step=\"12\"") || strings.Contains(html, "<body") || strings.Contains(html, "\nbody{") {
		t.Error("more than 12 steps for one hidden layer, or a whole page")
	}
	if !strings.Contains(html, "#trace section.step{") {
		t.Error("the stylesheet is not scoped to #trace")
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
